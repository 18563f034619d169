"use client";
/**
 * The environment home's live resource use: the host's totals over every
 * running container (CPU as a share of all the engine's CPUs, memory as a
 * share of its memory) and the top containers by CPU and by memory, from the
 * same once-a-second `stats` frames as the containers list.
 */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { formatBytes } from "~/app/_lib/format";
import { envPath } from "~/app/_lib/env-path";
import { useTRPC } from "~/app/_lib/trpc";
import type { StatsBrief } from "~/runtime/stats/protocol";
import { useLiveStats, useLiveStatsVersion } from "./live-stats";

const TOP = 5;

export function HostStats({ env, cpus, memory }: { env: string; cpus?: number; memory?: number }) {
  const trpc = useTRPC();
  const store = useLiveStats(env, true);
  useLiveStatsVersion(store, true);
  const list = useQuery(trpc.containers.list.queryOptions({ env }));
  const names = new Map((list.data ?? []).map((c) => [c.id, c.name]));
  const entries = Object.entries(store.current);
  const cpuSum = entries.reduce((n, [, s]) => n + s[0], 0);
  const memSum = entries.reduce((n, [, s]) => n + s[1], 0);
  const top = (i: 0 | 1) => [...entries].sort((a, b) => b[1][i] - a[1][i] || a[0].localeCompare(b[0])).slice(0, TOP);

  if (store.error) return <p className="muted">{store.error}</p>;
  return (
    <div className="card" role="region" aria-labelledby="host-stats-title" style={{ marginTop: "1rem" }}>
      <h2 id="host-stats-title">Resource usage</h2>
      <dl className="facts" aria-label="Host totals">
        <dt>Running containers</dt>
        <dd data-testid="stats-running">{entries.length}</dd>
        <dt>CPU (all containers)</dt>
        <dd data-testid="stats-cpu">
          {cpuSum.toFixed(2)} %{cpus ? <span className="muted"> of {cpus * 100} % ({(cpuSum / cpus).toFixed(1)} % of the host)</span> : null}
        </dd>
        <dt>Memory (all containers)</dt>
        <dd data-testid="stats-memory">
          {formatBytes(memSum)}
          {memory ? <span className="muted"> of {formatBytes(memory)} ({((memSum / memory) * 100).toFixed(1)} %)</span> : null}
        </dd>
      </dl>
      <div style={{ display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(280px, 1fr))", gap: "1rem", marginTop: "0.75rem" }}>
        <TopTable title="Top containers by CPU" rows={top(0)} names={names} env={env} value={(s) => `${s[0].toFixed(2)} %`} />
        <TopTable title="Top containers by memory" rows={top(1)} names={names} env={env} value={(s) => formatBytes(s[1])} />
      </div>
    </div>
  );
}

function TopTable({ title, rows, names, env, value }: { title: string; rows: [string, StatsBrief][]; names: Map<string, string>; env: string; value: (s: StatsBrief) => string }) {
  return (
    <table className="table" aria-label={title}>
      <caption className="muted small" style={{ textAlign: "left" }}>{title}</caption>
      <tbody>
        {rows.length === 0 ? (
          <tr><td className="muted">No running containers.</td></tr>
        ) : (
          rows.map(([id, s]) => (
            <tr key={id}>
              <td><Link href={envPath(env, `/containers/${id}/stats`)}>{names.get(id) ?? id.slice(0, 12)}</Link></td>
              <td style={{ textAlign: "right" }}>{value(s)}</td>
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}
