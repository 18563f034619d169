"use client";
/**
 * The Stats tab: what `docker stats` shows for this container, live at 1 s
 * (CPU %, memory, network and block I/O rates) over the last 15 minutes, kept
 * by the runtime so the charts are full as soon as the tab opens; longer
 * ranges come from the 1-minute history. The Processes table below is read
 * again with every sample.
 */
import { useQuery } from "@tanstack/react-query";
import { useId, useMemo, useState } from "react";
import type { StatsMinute } from "~/runtime/stats/protocol";
import { formatBytes } from "~/app/_lib/format";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import { useEnv } from "~/app/_lib/use-env";
import { ProcessesTab } from "../containers/page/processes-tab";
import { type ChartLine, StatsChart } from "./stats-chart";
import { rates, useContainerStats } from "./use-container-stats";

const RANGES = [
  { value: "15m", label: "Last 15 minutes (live)", ms: 15 * 60_000 },
  { value: "1h", label: "Last hour", ms: 3_600_000 },
  { value: "6h", label: "Last 6 hours", ms: 6 * 3_600_000 },
  { value: "24h", label: "Last 24 hours", ms: 24 * 3_600_000 },
  { value: "7d", label: "Last 7 days", ms: 7 * 24 * 3_600_000 },
] as const;
type Range = (typeof RANGES)[number]["value"];

const pct = (v: number) => `${v.toFixed(2)} %`;
const rate = (v: number) => `${formatBytes(v)}/s`;

interface Series {
  times: number[];
  cpu: number[];
  mem: number[];
  netRx: number[];
  netTx: number[];
  blkRead: number[];
  blkWrite: number[];
}

export function StatsTab({ id, name, running }: { id: string; name: string; running: boolean }) {
  const [range, setRange] = useState<Range>("15m");
  const rangeId = useId();
  const live = useContainerStats(id);
  const history = useHistory(name, range);
  const last = live.samples[live.samples.length - 1];

  const series: Series = useMemo(() => {
    if (range !== "15m") return fromMinutes(history.data?.minutes ?? []);
    const s = live.samples;
    return {
      times: s.map((x) => x.t),
      cpu: s.map((x) => x.cpu),
      mem: s.map((x) => x.mem),
      netRx: rates(s, (x) => x.netRx),
      netTx: rates(s, (x) => x.netTx),
      blkRead: rates(s, (x) => x.blkRead),
      blkWrite: rates(s, (x) => x.blkWrite),
    };
    // live.version: a new sample arrived (the array is the same, grown in place).
  }, [range, live.version, history.data]);

  const lines = (pairs: [string, string, number[]][]): ChartLine[] => pairs.map(([label, color, values]) => ({ label, color, values }));

  return (
    <div style={{ display: "flex", flexDirection: "column", gap: "0.75rem" }}>
      <div className="row" style={{ alignItems: "center", flexWrap: "wrap", gap: "0.75rem" }}>
        <label htmlFor={rangeId}>Range</label>
        <select id={rangeId} value={range} onChange={(e) => setRange(e.target.value as Range)}>
          {RANGES.map((r) => (
            <option key={r.value} value={r.value}>{r.label}</option>
          ))}
        </select>
        <span className="muted small" role="status" aria-label="Stats status">
          {live.error ? live.error : !running || !live.running ? "The container is not running." : live.status === "live" ? "Live, every second" : live.status === "reconnecting" ? "Reconnecting…" : "Connecting…"}
        </span>
      </div>
      {last && (
        <dl className="facts" aria-label="Current figures">
          <dt>CPU %</dt>
          <dd>{pct(last.cpu)}</dd>
          <dt>Mem usage / limit</dt>
          <dd>{formatBytes(last.mem)} / {formatBytes(last.memLimit)}</dd>
          <dt>Mem %</dt>
          <dd>{pct(last.memPct)}</dd>
          <dt>Net I/O</dt>
          <dd>{formatBytes(last.netRx)} / {formatBytes(last.netTx)}</dd>
          <dt>Block I/O</dt>
          <dd>{formatBytes(last.blkRead)} / {formatBytes(last.blkWrite)}</dd>
          <dt>PIDs</dt>
          <dd>{last.pids}</dd>
        </dl>
      )}
      {range !== "15m" && history.error && <p role="alert" className="error">{errorMessage(history.error)}</p>}
      {range !== "15m" && history.data && history.data.minutes.length === 0 && (
        <p className="muted">No history for this range yet: figures are kept (1-minute averages, 7 days) while Berth collects them.</p>
      )}
      <div style={{ display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(420px, 1fr))", gap: "0.75rem" }}>
        <StatsChart title="CPU %" times={series.times} lines={lines([["CPU", "#4ea1ff", series.cpu]])} format={pct} />
        <StatsChart title="Memory usage" times={series.times} lines={lines([["Usage", "#5ad19a", series.mem]])} format={formatBytes} />
        <StatsChart title="Network I/O" times={series.times} lines={lines([["Received", "#4ea1ff", series.netRx], ["Sent", "#f5a524", series.netTx]])} format={rate} />
        <StatsChart title="Block I/O" times={series.times} lines={lines([["Read", "#4ea1ff", series.blkRead], ["Written", "#f5a524", series.blkWrite]])} format={rate} />
      </div>
      <section aria-label="Processes">
        <h3 style={{ fontSize: "1rem" }}>Processes</h3>
        <ProcessesTab id={id} name={name} running={running && live.running} refreshMs={range === "15m" ? 1000 : 5000} />
      </section>
    </div>
  );
}

function useHistory(name: string, range: Range) {
  const trpc = useTRPC();
  const env = useEnv();
  const ms = RANGES.find((r) => r.value === range)!.ms;
  // Rounded to the minute so the query key is stable between refetches.
  const since = Math.floor((Date.now() - ms) / 60_000) * 60_000;
  return useQuery({ ...trpc.stats.history.queryOptions({ env, id: name, since }), enabled: range !== "15m", refetchInterval: 60_000 });
}

function fromMinutes(m: StatsMinute[]): Series {
  return {
    times: m.map((x) => x.t),
    cpu: m.map((x) => x.cpu),
    mem: m.map((x) => x.mem),
    netRx: m.map((x) => x.netRx),
    netTx: m.map((x) => x.netTx),
    blkRead: m.map((x) => x.blkRead),
    blkWrite: m.map((x) => x.blkWrite),
  };
}
