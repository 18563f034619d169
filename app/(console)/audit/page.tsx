"use client";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage, useTRPC } from "../../_lib/trpc";
import { useDebounced } from "../../_lib/use-debounced";
import { AuditDetails } from "./details";
import { AuditFilters, emptyFilter, filterInput, type AuditFilterForm } from "./filters";
import { RetentionSetting } from "./retention";
import { VerifyChain } from "./verify";

function Outcome({ outcome, error }: { outcome: string; error: string | null }) {
  if (outcome === "ok") return <td className="ok">ok</td>;
  // Written before the action and never completed: the action's end is not on record.
  if (outcome === "pending") return <td style={{ color: "var(--warn)" }} title="The action started; its end was not recorded yet">pending</td>;
  if (outcome === "interrupted") return <td style={{ color: "var(--warn)" }} title={error ?? undefined}>interrupted</td>;
  if (outcome === "denied") return <td className="error">{`denied: ${error ?? ""}`}</td>;
  return <td className="error">{`error: ${error ?? ""}`}</td>;
}

export default function AuditPage() {
  const trpc = useTRPC();
  const [form, setForm] = useState<AuditFilterForm>(emptyFilter);
  const filter = filterInput(useDebounced(form, 300));
  const { data, error, isLoading, fetchNextPage, hasNextPage, isFetchingNextPage } = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(
      { limit: 200, ...filter },
      { getNextPageParam: (last) => last.nextCursor, refetchOnWindowFocus: true, retry: false },
    ),
  );
  const items = data?.pages.flatMap((p) => p.items) ?? [];
  const field = (error as { data?: { field?: string } } | null)?.data?.field;
  const exportHref = (format: "csv" | "json") => `/api/audit/export?${new URLSearchParams({ format, ...filter }).toString()}`;
  return (
    <section aria-labelledby="audit-title">
      <div className="page-head">
        <h1 id="audit-title">Audit history</h1>
        <div style={{ display: "flex", gap: "0.75rem", alignItems: "center", flexWrap: "wrap" }}>
          <VerifyChain />
          <a href={exportHref("csv")} download>
            Export CSV
          </a>
          <a href={exportHref("json")} download>
            Export JSON
          </a>
        </div>
      </div>
      <AuditFilters value={form} onChange={setForm} fieldError={error ? { field, message: errorMessage(error) } : undefined} />
      <RetentionSetting />
      {error ? (
        <p role="alert" className="error">{errorMessage(error)}</p>
      ) : isLoading ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          <table className="table" aria-label="Audit entries">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">User</th>
                <th scope="col">Source IP</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">Outcome</th>
                <th scope="col">Duration</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.id} data-audit-id={a.id}>
                  <td>{new Date(a.at).toLocaleString()}</td>
                  <td title={a.teamContext ? `teams: ${a.teamContext}` : undefined}>{a.username ?? "—"}</td>
                  <td title={a.userAgent ?? undefined}>{a.sourceIp ?? "—"}</td>
                  <td><code>{a.action}</code></td>
                  <td>
                    {[a.environmentId, a.targetType, a.targetName ?? a.targetId?.slice(0, 12)].filter(Boolean).join(" / ") || "—"}
                  </td>
                  <Outcome outcome={a.outcome} error={a.error} />
                  <td>{a.durationMs == null ? "—" : `${a.durationMs} ms`}</td>
                  <td>{a.details ? <AuditDetails id={a.id} preview={a.details} truncated={a.detailsTruncated} /> : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {items.length === 0 ? <p className="muted">No entries match.</p> : null}
          {hasNextPage ? (
            <button type="button" onClick={() => void fetchNextPage()} disabled={isFetchingNextPage}>
              {isFetchingNextPage ? "Loading…" : "Older entries"}
            </button>
          ) : null}
        </>
      )}
    </section>
  );
}
