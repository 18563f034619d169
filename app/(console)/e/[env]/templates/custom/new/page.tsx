"use client";
/** New custom template: written here, or started from an existing stack (Save as template on its page). */
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import { envPath } from "~/app/_lib/env-path";
import { useEnv } from "~/app/_lib/use-env";
import { CustomTemplateForm, emptyDraft, toInput } from "~/app/_features/templates/custom-template-form";

export default function NewCustomTemplatePage() {
  const trpc = useTRPC();
  const env = useEnv();
  const router = useRouter();
  const create = useMutation(trpc.templates.customCreate.mutationOptions());
  return (
    <section aria-labelledby="ct-page-title">
      <div className="page-head">
        <h1 id="ct-page-title">New custom template</h1>
        <Link href={envPath(env, "/templates?tab=custom")}>Back to custom templates</Link>
      </div>
      <CustomTemplateForm
        initial={emptyDraft}
        busy={create.isPending}
        error={create.error ? errorMessage(create.error) : undefined}
        submitLabel="Create template"
        onSubmit={(d) => create.mutate({ env, ...toInput(d) }, { onSuccess: () => router.push(envPath(env, "/templates?tab=custom")) })}
      />
    </section>
  );
}
