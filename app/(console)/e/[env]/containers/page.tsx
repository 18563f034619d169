"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Fragment, useEffect, useMemo, useRef, useState } from "react";
import type { ContainerSummary } from "../../../../../runtime/protocol/index";
import { errorMessage, useTRPC } from "../../../../_lib/trpc";
import { timeAgo } from "../../../../_lib/format";
import { BulkBar } from "../../../../_features/containers/bulk-bar";
import { ContainerActions } from "../../../../_features/containers/container-actions";
import { COLUMNS, ColumnsMenu, type ColumnKey, useListView } from "../../../../_features/containers/list-columns";

const STATES = ["all", "running", "exited", "created", "paused", "restarting", "dead"] as const;
const STACK_LABEL = "com.docker.compose.project";

function hostFor(ip: string | undefined): string {
  if (!ip || ip === "0.0.0.0" || ip === "::") return typeof window === "undefined" ? "localhost" : window.location.hostname;
  return ip.includes(":") ? `[${ip}]` : ip;
}

function Ports({ c }: { c: ContainerSummary }) {
  const published = c.ports.filter((p) => p.publicPort);
  // Docker lists a binding once per address family; show each host port once.
  const seen = new Set<string>();
  const unique = published.filter((p) => {
    const k = `${p.publicPort}/${p.type}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
  if (!unique.length) return <span className="muted">—</span>;
  return (
    <>
      {unique.map((p) => (
        <a key={`${p.ip}:${p.publicPort}/${p.type}`} href={`http://${hostFor(p.ip)}:${p.publicPort}`} target="_blank" rel="noreferrer">
          {p.publicPort}:{p.privatePort}
          {p.type !== "tcp" ? `/${p.type}` : ""}
        </a>
      ))}
    </>
  );
}

/** Restart counts are not in Docker's list: read from inspect, again whenever a container's status changes. */
function useRestartCounts(containers: ContainerSummary[] | undefined, enabled: boolean) {
  const trpc = useTRPC();
  const ids = useMemo(() => (containers ?? []).map((c) => c.id).sort(), [containers]);
  const statusKey = (containers ?? []).map((c) => `${c.id}:${c.status}`).join("|");
  const counts = useQuery({ ...trpc.containers.restartCounts.queryOptions({ ids }), enabled: enabled && ids.length > 0 });
  const last = useRef(statusKey);
  const { refetch } = counts;
  useEffect(() => {
    if (!enabled || last.current === statusKey) return;
    last.current = statusKey;
    void refetch();
  }, [statusKey, enabled, refetch]);
  return counts.data;
}

export default function ContainersPage() {
  const trpc = useTRPC();
  const { data: containers, error, isLoading } = useQuery(trpc.containers.list.queryOptions());
  const { data: engine } = useQuery(trpc.engine.status.queryOptions());
  const [filter, setFilter] = useState("");
  const [stateFilter, setStateFilter] = useState<(typeof STATES)[number]>("all");
  const [view, setView] = useListView();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const show = (k: ColumnKey) => !view.hidden.includes(k);
  const restartCounts = useRestartCounts(containers, show("restarts"));

  const rows = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return (containers ?? [])
      .filter((c) => stateFilter === "all" || c.state === stateFilter)
      .filter((c) => !f || c.name.toLowerCase().includes(f) || c.image.toLowerCase().includes(f))
      .sort((a, b) => a.name.localeCompare(b.name));
  }, [containers, filter, stateFilter]);

  const groups = useMemo(() => {
    if (!view.groupByStack) return [{ stack: null as string | null, rows }];
    const by = new Map<string, ContainerSummary[]>();
    for (const c of rows) {
      const s = c.labels[STACK_LABEL] ?? "";
      by.set(s, [...(by.get(s) ?? []), c]);
    }
    // Stacks by name; containers outside any stack last.
    return [...by.entries()]
      .sort(([a], [b]) => (a === "" ? 1 : b === "" ? -1 : a.localeCompare(b)))
      .map(([stack, list]) => ({ stack: stack as string | null, rows: list }));
  }, [rows, view.groupByStack]);

  // Containers that disappear leave the selection.
  const selectedRows = (containers ?? []).filter((c) => selected.has(c.id));
  const allShown = rows.length > 0 && rows.every((c) => selected.has(c.id));
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const colCount = 2 + COLUMNS.filter((c) => show(c.key)).length;

  const renderRow = (c: ContainerSummary) => (
    <tr key={c.id} data-container={c.name}>
      <td>
        <input type="checkbox" aria-label={`Select ${c.name}`} checked={selected.has(c.id)} onChange={() => toggle(c.id)} />
      </td>
      <td>
        <Link href={`/containers/${c.id}`}>{c.name}</Link>
      </td>
      {show("state") && (
        <td>
          <span className={`state state-${c.state}`} data-testid="state">{c.state}</span>
          <div className="muted small">{c.status}</div>
        </td>
      )}
      {show("health") && <td data-testid="health">{c.health ? <span className={`health health-${c.health}`}>{c.health}</span> : <span className="muted">—</span>}</td>}
      {show("restarts") && <td data-testid="restarts">{restartCounts?.[c.id] ?? <span className="muted">…</span>}</td>}
      {show("stack") && <td>{c.labels[STACK_LABEL] ?? <span className="muted">—</span>}</td>}
      {show("image") && <td>{c.image}</td>}
      {show("created") && <td title={new Date(c.created * 1000).toLocaleString()}>{timeAgo(c.created)}</td>}
      {show("ports") && <td className="ports"><Ports c={c} /></td>}
      {show("ip") && <td>{c.networks.map((n) => n.ip).filter(Boolean).join(", ") || <span className="muted">—</span>}</td>}
      {show("actions") && <td><ContainerActions c={c} /></td>}
    </tr>
  );

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
          <Link className="button" href="/containers/new" title="docker run …">Add container</Link>
        </div>
      </div>
      <BulkBar selected={selectedRows} onClear={() => setSelected(new Set())} />
      {engine && !engine.reachable ? (
        <p className="error" role="alert">
          <strong>Engine unreachable</strong>: the container list cannot be read right now.
        </p>
      ) : error ? (
        <p className="error" role="alert">{errorMessage(error)}</p>
      ) : isLoading ? (
        <p className="muted">Loading…</p>
      ) : (
        <table className="table" aria-label="Containers">
          <thead>
            <tr>
              <th scope="col">
                <input
                  type="checkbox"
                  aria-label="Select all shown"
                  checked={allShown}
                  onChange={() => setSelected(allShown ? new Set() : new Set(rows.map((c) => c.id)))}
                />
              </th>
              <th scope="col">Name</th>
              {COLUMNS.filter((c) => show(c.key)).map((c) => (
                <th key={c.key} scope="col">{c.label}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => (
              <Fragment key={g.stack ?? "all"}>
                {g.stack !== null && (
                  <tr className="group-row" data-stack={g.stack || "none"}>
                    <th colSpan={colCount} scope="rowgroup">
                      {g.stack ? `Stack ${g.stack}` : "Not in a stack"} <span className="muted small">({g.rows.length})</span>
                    </th>
                  </tr>
                )}
                {g.rows.map(renderRow)}
              </Fragment>
            ))}
            {rows.length === 0 && (
              <tr>
                <td colSpan={colCount} className="muted">No containers match.</td>
              </tr>
            )}
          </tbody>
        </table>
      )}
    </section>
  );
}
