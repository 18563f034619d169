"use client";
import { useQuery } from "@tanstack/react-query";
import type { RowSelectionState } from "@tanstack/react-table";
import Link from "next/link";
import { useState } from "react";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import { envPath } from "~/app/_lib/env-path";
import { useEnv } from "~/app/_lib/use-env";
import { useCan } from "~/app/_lib/use-can";
import { BulkBar } from "~/app/_features/containers/bulk-bar";
import { ColumnsMenu, useListView } from "~/app/_features/containers/list-columns";
import { ContainersTable } from "~/app/_features/containers/list-table";

const STATES = ["all", "running", "exited", "created", "paused", "restarting", "dead"] as const;

export default function ContainersPage() {
  const trpc = useTRPC();
  const env = useEnv();
  const can = useCan();
  const { data: containers, error, isLoading } = useQuery(trpc.containers.list.queryOptions({ env }));
  const { data: engine } = useQuery(trpc.engine.status.queryOptions({ env }));
  const [filter, setFilter] = useState("");
  const [stateFilter, setStateFilter] = useState<(typeof STATES)[number]>("all");
  const { view, setView, ready } = useListView();
  const [selection, setSelection] = useState<RowSelectionState>({});

  // Containers that disappear leave the selection.
  const selectedRows = (containers ?? []).filter((c) => selection[c.id]);

  return (
    <section aria-labelledby="containers-title">
      <div className="page-head">
        <h1 id="containers-title">Containers</h1>
        <div className="filters">
          <input type="search" aria-label="Filter by name or image" placeholder="Filter by name or image" value={filter} onChange={(e) => setFilter(e.target.value)} />
          <select aria-label="State" value={stateFilter} onChange={(e) => setStateFilter(e.target.value as never)}>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {s === "all" ? "All states" : s}
              </option>
            ))}
          </select>
          <ColumnsMenu view={view} onChange={setView} />
          {can("container.create") && (
            <Link className="button" href={envPath(env, "/containers/new")} title="docker run …">Add container</Link>
          )}
        </div>
      </div>
      <BulkBar selected={selectedRows} onClear={() => setSelection({})} />
      {engine && !engine.reachable ? (
        <p className="error" role="alert">
          <strong>Engine unreachable</strong>: the container list cannot be read right now.
        </p>
      ) : error ? (
        <p className="error" role="alert">{errorMessage(error)}</p>
      ) : isLoading || !ready ? (
        <p className="muted">Loading…</p>
      ) : (
        <ContainersTable
          env={env}
          containers={containers ?? []}
          filter={filter}
          state={stateFilter}
          view={view}
          onViewChange={setView}
          selection={selection}
          onSelectionChange={setSelection}
        />
      )}
    </section>
  );
}
