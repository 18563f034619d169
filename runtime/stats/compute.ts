/**
 * The figures of one engine stats reading, computed exactly as the docker CLI
 * computes them (cli/command/container/stats_helpers.go, 20.10: collect,
 * calculateCPUPercentUnix, calculateMemUsageUnixNoCache,
 * calculateMemPercentUnixNoCache, calculateNetwork, calculateBlockIO), so
 * Berth and `docker stats` show the same numbers for the same reading. Pure: no
 * Docker, no clock.
 */
import type { StatsSample } from "./protocol";

/** The part of the engine's stats JSON (GET /containers/{id}/stats) the figures are made of. */
export interface EngineStats {
  read?: string;
  pids_stats?: { current?: number };
  blkio_stats?: { io_service_bytes_recursive?: { op?: string; value?: number }[] | null };
  cpu_stats?: CpuStats;
  precpu_stats?: CpuStats;
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> };
  networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }>;
}

interface CpuStats {
  cpu_usage?: { total_usage?: number; percpu_usage?: number[] | null };
  system_cpu_usage?: number;
  online_cpus?: number;
}

/** calculateCPUPercentUnix: the container's share of the host's CPU time between the two readings, 100 per CPU. */
export function cpuPercent(v: EngineStats): number {
  const cpuDelta = (v.cpu_stats?.cpu_usage?.total_usage ?? 0) - (v.precpu_stats?.cpu_usage?.total_usage ?? 0);
  const systemDelta = (v.cpu_stats?.system_cpu_usage ?? 0) - (v.precpu_stats?.system_cpu_usage ?? 0);
  let onlineCPUs = v.cpu_stats?.online_cpus ?? 0;
  if (onlineCPUs === 0) onlineCPUs = v.cpu_stats?.cpu_usage?.percpu_usage?.length ?? 0;
  if (systemDelta > 0 && cpuDelta > 0) return (cpuDelta / systemDelta) * onlineCPUs * 100;
  return 0;
}

/**
 * calculateMemUsageUnixNoCache: usage without the inactive page cache, the
 * cgroup v1 key (`total_inactive_file`) first, else the v2 one
 * (`inactive_file`), each only when below usage.
 */
export function memoryUsage(mem: EngineStats["memory_stats"]): number {
  const usage = mem?.usage ?? 0;
  const stats = mem?.stats ?? {};
  if (Object.hasOwn(stats, "total_inactive_file") && stats.total_inactive_file < usage) return usage - stats.total_inactive_file;
  const v2 = Object.hasOwn(stats, "inactive_file") ? stats.inactive_file : 0;
  if (v2 < usage) return usage - v2;
  return usage;
}

/** calculateMemPercentUnixNoCache. */
export function memoryPercent(limit: number, used: number): number {
  return limit !== 0 ? (used / limit) * 100 : 0;
}

/** calculateNetwork: received and sent bytes summed over every interface. */
export function network(networks: EngineStats["networks"]): { rx: number; tx: number } {
  let rx = 0;
  let tx = 0;
  for (const n of Object.values(networks ?? {})) {
    rx += n.rx_bytes ?? 0;
    tx += n.tx_bytes ?? 0;
  }
  return { rx, tx };
}

/** calculateBlockIO: the entries whose op starts with r/R are reads, w/W writes (v1 "Read", v2 "read"). */
export function blockIO(blkio: EngineStats["blkio_stats"]): { read: number; write: number } {
  let read = 0;
  let write = 0;
  for (const e of blkio?.io_service_bytes_recursive ?? []) {
    const op = e.op?.[0];
    if (op === "r" || op === "R") read += e.value ?? 0;
    else if (op === "w" || op === "W") write += e.value ?? 0;
  }
  return { read, write };
}

/** Every figure of one reading; `fallbackT` stamps a reading without a usable `read` time. */
export function computeSample(v: EngineStats, fallbackT: number): StatsSample {
  const mem = memoryUsage(v.memory_stats);
  const memLimit = v.memory_stats?.limit ?? 0;
  const net = network(v.networks);
  const blk = blockIO(v.blkio_stats);
  const read = v.read ? Date.parse(v.read) : NaN;
  return {
    t: Number.isFinite(read) && read > 0 ? read : fallbackT,
    cpu: cpuPercent(v),
    mem,
    memLimit,
    memPct: memoryPercent(memLimit, mem),
    netRx: net.rx,
    netTx: net.tx,
    blkRead: blk.read,
    blkWrite: blk.write,
    pids: v.pids_stats?.current ?? 0,
  };
}

/**
 * A reading of a container that is not running: the engine sends those with
 * only its name and id (and a zero `read` time) while a stream stays open.
 */
export function isEmptyReading(v: EngineStats): boolean {
  return !v.read || v.read.startsWith("0001-01-01") || (v.cpu_stats?.system_cpu_usage ?? 0) === 0;
}
