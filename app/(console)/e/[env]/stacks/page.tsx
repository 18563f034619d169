"use client";
/** Stacks (compose projects) of the environment: `/e/<env>/stacks`. Refetched on container events. */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { envPath } from "~/app/_lib/env-path";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import { useCan } from "~/app/_lib/use-can";
import { useEnv } from "~/app/_lib/use-env";
import { StacksTable } from "~/app/_features/stacks/stacks-table";
import { useObjectEvents } from "~/app/_lib/use-object-events";

export default function StacksPage() {
  const trpc = useTRPC();
  const env = useEnv();
  const can = useCan();
  const stacks = useQuery({ ...trpc.stacks.list.queryOptions({ env }), refetchOnMount: "always" });
  useObjectEvents(env, "stack", () => void stacks.refetch());
  return (
    <section aria-labelledby="stacks-title">
      <div className="page-head">
        <h1 id="stacks-title">Stacks</h1>
        <div className="filters">
          {can("stack.create") && <Link className="button primary" href={envPath(env, "/stacks/new")}>Add stack</Link>}
        </div>
      </div>
      {stacks.error ? (
        <p role="alert" className="error">{errorMessage(stacks.error)}</p>
      ) : !stacks.data ? (
        <p className="muted">Loading…</p>
      ) : (
        <StacksTable env={env} stacks={stacks.data} onChanged={() => void stacks.refetch()} />
      )}
    </section>
  );
}
