"use client";
/**
 * App templates: the built-in list, the lists of the template sources and the
 * custom templates, as cards with search and filters (category, type, source);
 * Deploy opens a template's deploy form. Custom templates have their own tab
 * with New custom template.
 */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { Suspense, useMemo, useState } from "react";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import { envPath } from "~/app/_lib/env-path";
import { useEnv } from "~/app/_lib/use-env";
import { useCan } from "~/app/_lib/use-can";
import { TemplateCard } from "~/app/_features/templates/template-card";
import { categoriesOf, filterTemplates, type TemplateFilter } from "~/app/_features/templates/template-form-model";

function TemplatesList() {
  const trpc = useTRPC();
  const env = useEnv();
  const can = useCan();
  const tab = useSearchParams().get("tab") === "custom" ? "custom" : "all";
  const list = useQuery({ ...trpc.templates.list.queryOptions({ env }), refetchOnMount: "always" });
  const [f, setF] = useState<TemplateFilter>({ search: "", category: "", type: "", source: "" });
  const all = useMemo(() => list.data?.templates ?? [], [list.data]);
  const inTab = tab === "custom" ? all.filter((t) => t.source === "custom") : all;
  const shown = filterTemplates(inTab, f);
  const categories = categoriesOf(inTab);
  const failedSources = (list.data?.sources ?? []).filter((s) => !s.ok);

  return (
    <section aria-labelledby="templates-title">
      <div className="page-head">
        <h1 id="templates-title">App templates</h1>
        {can("template.manage") && (
          <Link className="button-link" href={envPath(env, "/templates/custom/new")}>
            New custom template
          </Link>
        )}
      </div>
      <nav className="tabs" aria-label="Template lists">
        <Link href={envPath(env, "/templates")} aria-current={tab === "all" ? "page" : undefined}>
          All templates
        </Link>
        <Link href={envPath(env, "/templates?tab=custom")} aria-current={tab === "custom" ? "page" : undefined}>
          Custom templates
        </Link>
      </nav>
      <div className="filters">
        <input type="search" aria-label="Search" placeholder="Search templates" value={f.search} onChange={(e) => setF({ ...f, search: e.target.value })} />
        <select aria-label="Category" value={f.category} onChange={(e) => setF({ ...f, category: e.target.value })}>
          <option value="">All categories</option>
          {categories.map((c) => (
            <option key={c} value={c}>{c}</option>
          ))}
        </select>
        <select aria-label="Type" value={f.type} onChange={(e) => setF({ ...f, type: e.target.value as TemplateFilter["type"] })}>
          <option value="">All types</option>
          <option value="container">Container</option>
          <option value="stack">Stack</option>
        </select>
        {tab === "all" && (
          <select aria-label="Source" value={f.source} onChange={(e) => setF({ ...f, source: e.target.value as TemplateFilter["source"] })}>
            <option value="">All sources</option>
            <option value="builtin">Built-in</option>
            <option value="source">Template sources</option>
            <option value="custom">Custom</option>
          </select>
        )}
      </div>
      {failedSources.length > 0 && (
        <p className="banner banner-warn" role="status">
          {failedSources.map((s) => `${s.name ?? s.url}: ${s.error ?? "cannot be read"}`).join("; ")}
        </p>
      )}
      {list.error ? (
        <p className="error" role="alert">{errorMessage(list.error)}</p>
      ) : list.isLoading ? (
        <p className="muted">Loading…</p>
      ) : shown.length === 0 ? (
        <p className="muted">{tab === "custom" && inTab.length === 0 ? "No custom templates yet." : "No template matches."}</p>
      ) : (
        <div className="template-grid" role="list" aria-label="Templates">
          {shown.map((t) => (
            <div role="listitem" key={t.id}>
              <TemplateCard env={env} t={t} canDeploy={can(t.type === "stack" ? "stack.create" : "container.create")} />
            </div>
          ))}
        </div>
      )}
    </section>
  );
}

export default function TemplatesPage() {
  return (
    <Suspense fallback={<p className="muted">Loading…</p>}>
      <TemplatesList />
    </Suspense>
  );
}
