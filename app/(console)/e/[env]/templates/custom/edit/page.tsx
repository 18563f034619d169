"use client";
/** Change or delete a custom template (`?id=custom:<id>`): its owner's, or any for Administrators. */
import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { Suspense, useState } from "react";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import { envPath } from "~/app/_lib/env-path";
import { useEnv } from "~/app/_lib/use-env";
import { CustomTemplateForm, toInput, type CustomTemplateDraft } from "~/app/_features/templates/custom-template-form";

function EditCustomTemplate() {
  const trpc = useTRPC();
  const env = useEnv();
  const router = useRouter();
  const id = useSearchParams().get("id") ?? "";
  const t = useQuery({ ...trpc.templates.get.queryOptions({ env, id }), enabled: id.length > 0 });
  const update = useMutation(trpc.templates.customUpdate.mutationOptions());
  const remove = useMutation(trpc.templates.customRemove.mutationOptions());
  const [confirming, setConfirming] = useState(false);
  const back = envPath(env, "/templates?tab=custom");
  const draft: CustomTemplateDraft | undefined = t.data && {
    title: t.data.title,
    description: t.data.description,
    note: t.data.note ?? "",
    logo: t.data.logo ?? "",
    categories: t.data.categories.join(", "),
    content: t.data.stackFile ?? "",
    variables: t.data.variables ?? t.data.env.map((v) => ({ name: v.name, label: v.label ?? "", defaultValue: v.default ?? "", description: v.description ?? "" })),
  };
  return (
    <section aria-labelledby="ct-page-title">
      <div className="page-head">
        <h1 id="ct-page-title">{t.data ? `Edit ${t.data.title}` : "Edit custom template"}</h1>
        <Link href={back}>Back to custom templates</Link>
      </div>
      {t.error ? (
        <p role="alert" className="error">{errorMessage(t.error)}</p>
      ) : !draft || !t.data ? (
        <p className="muted">Loading…</p>
      ) : !t.data.editable ? (
        <p role="alert" className="error">This template is not yours to change.</p>
      ) : (
        <>
          <CustomTemplateForm
            key={t.data.id}
            initial={draft}
            busy={update.isPending}
            error={update.error ? errorMessage(update.error) : remove.error ? errorMessage(remove.error) : undefined}
            submitLabel="Save template"
            onSubmit={(d) => update.mutate({ env, id, ...toInput(d) }, { onSuccess: () => router.push(back) })}
          />
          <div className="row">
            {confirming ? (
              <>
                <span>Delete this template?</span>
                <button type="button" className="danger" disabled={remove.isPending} onClick={() => remove.mutate({ env, id }, { onSuccess: () => router.push(back) })}>
                  Confirm delete
                </button>
                <button type="button" onClick={() => setConfirming(false)}>Cancel</button>
              </>
            ) : (
              <button type="button" className="danger" onClick={() => setConfirming(true)}>
                Delete template
              </button>
            )}
          </div>
        </>
      )}
    </section>
  );
}

export default function EditCustomTemplatePage() {
  return (
    <Suspense fallback={<p className="muted">Loading…</p>}>
      <EditCustomTemplate />
    </Suspense>
  );
}
