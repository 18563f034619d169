"use client";
/** `docker diff`: paths added, changed and deleted in the container's filesystem. */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import { useEnv } from "~/app/_lib/use-env";
import { cli } from "../cli";

const MARK = { added: "A", changed: "C", deleted: "D" } as const;

export function ChangesTab({ id, name }: { id: string; name: string }) {
  const trpc = useTRPC();
  const env = useEnv();
  const diff = useQuery(trpc.containers.diff.queryOptions({ env, id }));
  const [kind, setKind] = useState<"all" | "added" | "changed" | "deleted">("all");
  if (diff.error) return <p role="alert" className="error">{errorMessage(diff.error)}</p>;
  if (!diff.data) return <p className="muted">Loading…</p>;
  const rows = diff.data.changes.filter((c) => kind === "all" || c.kind === kind);
  const count = (k: string) => diff.data.changes.filter((c) => c.kind === k).length;
  return (
    <div>
      <div className="row">
        <select aria-label="Kind of change" value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
          <option value="all">All ({diff.data.changes.length})</option>
          <option value="added">Added ({count("added")})</option>
          <option value="changed">Changed ({count("changed")})</option>
          <option value="deleted">Deleted ({count("deleted")})</option>
        </select>
        <button type="button" onClick={() => void diff.refetch()}>Refresh</button>
        <code className="muted small">{cli.diff(name)}</code>
      </div>
      {rows.length === 0 ? (
        <p className="muted">No changes.</p>
      ) : (
        <table className="table" aria-label="Changes">
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">Path</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.path} data-change={c.kind}>
                <td className={`change-${c.kind}`} title={c.kind}>
                  {MARK[c.kind]} <span className="small">{c.kind}</span>
                </td>
                <td><code>{c.path}</code></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
