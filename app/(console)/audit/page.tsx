"use client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage, useTRPC } from "../../_lib/trpc";

export default function AuditPage() {
  const trpc = useTRPC();
  const [action, setAction] = useState("");
  const { data, error, isLoading } = useQuery(
    trpc.audit.list.queryOptions({ limit: 200, action: action || undefined }, { refetchOnWindowFocus: true }),
  );
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
        <table className="table" aria-label="Audit entries">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">User</th>
              <th scope="col">Source IP</th>
              <th scope="col">Action</th>
              <th scope="col">Target</th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            {data?.items.map((a) => (
              <tr key={a.id}>
                <td>{new Date(a.at).toLocaleString()}</td>
                <td>{a.username ?? "—"}</td>
                <td>{a.sourceIp ?? "—"}</td>
                <td><code>{a.action}</code></td>
                <td>
                  {[a.engine, a.targetType, a.targetName ?? a.targetId?.slice(0, 12)].filter(Boolean).join(" / ") || "—"}
                </td>
                <td className={a.outcome === "ok" ? "ok" : "error"}>{a.outcome === "ok" ? "ok" : `error: ${a.error}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
