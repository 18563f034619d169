"use client";
/**
 * One template as a card: logo, title, description, categories as chips, its
 * type (Container / Stack) and where it comes from; Deploy opens the deploy
 * form, and a custom template its owner may change has Edit.
 */
import Link from "next/link";
import type { AppTemplate } from "~/server/templates/types";
import { envPath } from "~/app/_lib/env-path";

const SOURCE: Record<AppTemplate["source"], string> = { builtin: "Built-in", source: "Source", custom: "Custom" };

export function deployHref(env: string, id: string): string {
  return envPath(env, `/templates/deploy?id=${encodeURIComponent(id)}`);
}

export function TemplateCard({ env, t, canDeploy }: { env: string; t: AppTemplate; canDeploy: boolean }) {
  const titleId = `tpl-${t.id.replace(/[^a-zA-Z0-9_-]/g, "_")}`;
  return (
    <article className="card template-card" aria-labelledby={titleId} data-template={t.id}>
      <div className="template-head">
        {t.logo ? (
          <img src={t.logo} alt="" width={40} height={40} className="template-logo" referrerPolicy="no-referrer" />
        ) : (
          <span className="template-logo" aria-hidden="true">{t.title.slice(0, 1)}</span>
        )}
        <h3 id={titleId}>{t.title}</h3>
      </div>
      <p className="small">{t.description}</p>
      <div className="chips" aria-label="Categories">
        {t.categories.map((c) => (
          <span key={c} className="chip">{c}</span>
        ))}
      </div>
      <p className="small muted">
        <span className="badge" title="Type">{t.type === "stack" ? "Stack" : "Container"}</span>
        <span className="badge" title={t.sourceName ?? "Shipped with Berth"}>{SOURCE[t.source]}</span>
        {t.image && <code className="small"> {t.image}</code>}
      </p>
      <div className="row">
        {canDeploy && (t.type === "container" || t.hasStackFile !== false) ? (
          <Link className="button-link primary" href={deployHref(env, t.id)} aria-label={`Deploy ${t.title}`}>
            Deploy
          </Link>
        ) : (
          <span className="small muted">{t.type === "stack" && t.hasStackFile === false ? (t.stackFileProblem ?? "Its compose file cannot be read") : ""}</span>
        )}
        {t.source === "custom" && t.editable && (
          <Link className="button-link" href={envPath(env, `/templates/custom/edit?id=${encodeURIComponent(t.id)}`)} aria-label={`Edit ${t.title}`}>
            Edit
          </Link>
        )}
      </div>
    </article>
  );
}
