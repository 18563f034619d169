"use client";
/** Deploy one template (`?id=builtin:nginx`): its card's facts and the deploy form. */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { Suspense } from "react";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import { envPath } from "~/app/_lib/env-path";
import { useEnv } from "~/app/_lib/use-env";
import { DeployForm } from "~/app/_features/templates/deploy-form";

function DeployTemplate() {
  const trpc = useTRPC();
  const env = useEnv();
  const id = useSearchParams().get("id") ?? "";
  const t = useQuery({ ...trpc.templates.get.queryOptions({ env, id }), enabled: id.length > 0 });
  return (
    <section aria-labelledby="deploy-title">
      <div className="page-head">
        <h1 id="deploy-title">{t.data ? `Deploy ${t.data.title}` : "Deploy a template"}</h1>
        <Link href={envPath(env, "/templates")}>Back to templates</Link>
      </div>
      {!id ? (
        <p role="alert" className="error">id: which template to deploy is missing.</p>
      ) : t.error ? (
        <p role="alert" className="error">{errorMessage(t.error)}</p>
      ) : !t.data ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          <p className="small">
            {t.data.description} <span className="badge">{t.data.type === "stack" ? "Stack" : "Container"}</span>
            {t.data.image && <code className="small"> {t.data.image}</code>}
          </p>
          <DeployForm key={t.data.id} env={env} template={t.data} />
        </>
      )}
    </section>
  );
}

export default function DeployTemplatePage() {
  return (
    <Suspense fallback={<p className="muted">Loading…</p>}>
      <DeployTemplate />
    </Suspense>
  );
}
