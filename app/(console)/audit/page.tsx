"use client";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage, useTRPC } from "../../_lib/trpc";
import { AuditDetails } from "./details";

function Outcome({ outcome, error }: { outcome: string; error: string | null }) {
  if (outcome === "ok") return <td className="ok">ok</td>;
  // Written before the action and never completed: the action's end is not on record.
  if (outcome === "pending") return <td style={{ color: "var(--warn)" }} title="The action started; its end was not recorded">pending</td>;
  return <td className="error">{`error: ${error ?? ""}`}</td>;
}

export default function AuditPage() {
  const trpc = useTRPC();
  const [action, setAction] = useState("");
  const { data, error, isLoading, fetchNextPage, hasNextPage, isFetchingNextPage } = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(
      { limit: 200, action: action || undefined },
      { getNextPageParam: (last) => last.nextCursor, refetchOnWindowFocus: true },
    ),
  );
  const items = data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby="audit-title">
      <div className="page-head">
        <h1 id="audit-title">Audit history</h1>
        <input type="search" aria-label="Filter by action" placeholder="Filter by action (e.g. container.)" value={action} onChange={(e) => setAction(e.target.value)} />
      </div>
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
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.id}>
                  <td>{new Date(a.at).toLocaleString()}</td>
                  <td>{a.username ?? "—"}</td>
                  <td>{a.sourceIp ?? "—"}</td>
                  <td><code>{a.action}</code></td>
                  <td>
                    {[a.environmentId, a.targetType, a.targetName ?? a.targetId?.slice(0, 12)].filter(Boolean).join(" / ") || "—"}
                  </td>
                  <Outcome outcome={a.outcome} error={a.error} />
                  <td>{a.details ? <AuditDetails id={a.id} preview={a.details} truncated={a.detailsTruncated} /> : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
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
