"use client";
import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import type { ContainerSummary } from "../../../runtime/protocol";
import { errorMessage, useTRPC } from "../../_lib/trpc";
import { timeAgo } from "../../_lib/format";
import { ContainerActions } from "./container-actions";

const STATES = ["all", "running", "exited", "created", "paused", "restarting", "dead"] as const;

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

export default function ContainersPage() {
  const trpc = useTRPC();
  const { data: containers, error, isLoading } = useQuery(trpc.containers.list.queryOptions());
  const { data: engine } = useQuery(trpc.engine.status.queryOptions());
  const [filter, setFilter] = useState("");
  const [stateFilter, setStateFilter] = useState<(typeof STATES)[number]>("all");

  const rows = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return (containers ?? [])
      .filter((c) => stateFilter === "all" || c.state === stateFilter)
      .filter((c) => !f || c.name.toLowerCase().includes(f) || c.image.toLowerCase().includes(f))
      .sort((a, b) => a.name.localeCompare(b.name));
  }, [containers, filter, stateFilter]);

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
        </div>
      </div>
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
              <th scope="col">Name</th>
              <th scope="col">State</th>
              <th scope="col">Image</th>
              <th scope="col">Created</th>
              <th scope="col">Ports</th>
              <th scope="col">IP</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.id} data-container={c.name}>
                <td>{c.name}</td>
                <td>
                  <span className={`state state-${c.state}`} data-testid="state">{c.state}</span>
                  {c.health && <span className={`health health-${c.health}`}> ({c.health})</span>}
                  <div className="muted small">{c.status}</div>
                </td>
                <td>{c.image}</td>
                <td title={new Date(c.created * 1000).toLocaleString()}>{timeAgo(c.created)}</td>
                <td className="ports"><Ports c={c} /></td>
                <td>{c.networks.map((n) => n.ip).filter(Boolean).join(", ") || <span className="muted">—</span>}</td>
                <td><ContainerActions c={c} /></td>
              </tr>
            ))}
            {rows.length === 0 && (
              <tr>
                <td colSpan={7} className="muted">No containers match.</td>
              </tr>
            )}
          </tbody>
        </table>
      )}
    </section>
  );
}

