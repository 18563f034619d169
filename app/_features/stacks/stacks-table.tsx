"use client";
/**
 * The stacks of an environment (`docker-compose ls`): Berth's own and the
 * projects the compose CLI started, with status, services, running/total
 * containers, last update and version; Start / Stop / Restart per row, and
 * Adopt for a CLI project whose file this runtime can read.
 */
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import type { StackSummary } from "~/runtime/stacks/protocol";
import { envPath } from "~/app/_lib/env-path";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import { useCan } from "~/app/_lib/use-can";
import { composeCli } from "./stack-cli";
import { SourceCell, StackStatusBadge, When } from "./stack-status";

export function StacksTable({ env, stacks, onChanged }: { env: string; stacks: StackSummary[]; onChanged: () => void }) {
  const trpc = useTRPC();
  const can = useCan();
  const action = useMutation(trpc.stacks.action.mutationOptions({ onSettled: onChanged }));
  const adopt = useMutation(trpc.stacks.adopt.mutationOptions({ onSettled: onChanged }));
  const error = action.error ?? adopt.error;
  return (
    <>
      {error && <p role="alert" className="error">{errorMessage(error)}</p>}
      <table className="table" aria-label="Stacks">
        <thead>
          <tr>
            <th>Name</th>
            <th>Status</th>
            <th>Source</th>
            <th>Services</th>
            <th>Containers</th>
            <th>Updated</th>
            <th>Version</th>
            <th><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          {stacks.length === 0 && (
            <tr><td colSpan={8} className="muted">No stacks yet: add one, or start a project with docker-compose.</td></tr>
          )}
          {stacks.map((s) => (
            <tr key={s.name} data-stack={s.name}>
              <td><Link href={envPath(env, `/stacks/${encodeURIComponent(s.name)}`)} aria-label={`Stack ${s.name}`}>{s.name}</Link></td>
              <td><StackStatusBadge status={s.status} /></td>
              <td><SourceCell source={s.source} adoptHint={s.source === "cli" ? s.adoptHint ?? (s.adoptable ? "Adopt to manage it here" : undefined) : undefined} /></td>
              <td>{s.services}</td>
              <td title="running / total">{s.containers.running}/{s.containers.total}</td>
              <td><When at={s.updatedAt} /></td>
              <td>{s.version ?? <span className="muted">—</span>}</td>
              <td className="row">
                {can("stack.operate") && (["start", "stop", "restart"] as const).map((a) => (
                  <button key={a} type="button" aria-label={`${a[0].toUpperCase()}${a.slice(1)} stack ${s.name}`} title={composeCli(s.name, [a])}
                    disabled={action.isPending} onClick={() => action.mutate({ env, id: s.name, action: a })}>
                    {a[0].toUpperCase() + a.slice(1)}
                  </button>
                ))}
                {s.source === "cli" && s.adoptable && can("stack.adopt") && (
                  <button type="button" className="primary" aria-label={`Adopt stack ${s.name}`} title="Import its compose file so Berth manages it"
                    disabled={adopt.isPending} onClick={() => adopt.mutate({ env, id: s.name })}>
                    Adopt
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
