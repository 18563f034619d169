/**
 * The figures of runtime/stats/compute.ts against the docker CLI's own
 * arithmetic (stats_helpers.go) on real engine readings: one from this
 * machine's cgroup v1 engine (a `--cpus 0.5` busy loop; `docker stats --no-stream`
 * a moment later showed 51.55% and 324KiB), one as a cgroup v2 engine sends it.
 */
import { describe, expect, it } from "vitest";
import { blockIO, computeSample, cpuPercent, type EngineStats, isEmptyReading, memoryUsage } from "../../runtime/stats/compute";

const v1: EngineStats = JSON.parse(`{"read":"2026-11-30T11:29:30.45697529Z","preread":"2026-11-30T11:29:29.450408794Z","pids_stats":{"current":1},
"blkio_stats":{"io_service_bytes_recursive":[],"io_serviced_recursive":[]},"num_procs":0,"storage_stats":{},
"cpu_stats":{"cpu_usage":{"total_usage":2088205443,"percpu_usage":[1046565309,1041640134],"usage_in_kernelmode":10000000,"usage_in_usermode":2070000000},"system_cpu_usage":65255780000000,"online_cpus":2,"throttling_data":{"periods":43,"throttled_periods":40,"throttled_time":1700275438}},
"precpu_stats":{"cpu_usage":{"total_usage":1575566418,"percpu_usage":[928877241,646689177],"usage_in_kernelmode":10000000,"usage_in_usermode":1560000000},"system_cpu_usage":65253840000000,"online_cpus":2,"throttling_data":{"periods":33,"throttled_periods":30,"throttled_time":1323311588}},
"memory_stats":{"usage":331776,"max_usage":4083712,"stats":{"active_anon":4096,"active_file":0,"cache":0,"inactive_file":0,"rss":61440,"total_cache":0,"total_inactive_file":0,"total_rss":61440},"limit":25276514304},
"name":"/stats-sample","id":"9dbd35595870c0e952d66a5cc68ea08790241111f46e2176f20a8c9f7f99b4d0",
"networks":{"eth0":{"rx_bytes":736,"rx_packets":8,"rx_errors":0,"rx_dropped":0,"tx_bytes":0,"tx_packets":0,"tx_errors":0,"tx_dropped":0}}}`);

/** A cgroup v2 reading (Docker 20.10+ on a unified host): no percpu_usage, no total_* keys, lower-case block ops. */
const v2: EngineStats = {
  read: "2026-11-30T12:00:01.000000000Z",
  pids_stats: { current: 7 },
  blkio_stats: {
    io_service_bytes_recursive: [
      { op: "read", value: 4_096_000 },
      { op: "write", value: 1_048_576 },
      { op: "read", value: 8192 },
      { op: "discard", value: 999 },
    ],
  },
  cpu_stats: { cpu_usage: { total_usage: 12_500_000_000 }, system_cpu_usage: 400_000_000_000, online_cpus: 4 },
  precpu_stats: { cpu_usage: { total_usage: 12_000_000_000 }, system_cpu_usage: 396_000_000_000, online_cpus: 4 },
  memory_stats: { usage: 80 * 2 ** 20, limit: 512 * 2 ** 20, stats: { anon: 60 * 2 ** 20, file: 20 * 2 ** 20, inactive_file: 16 * 2 ** 20, active_file: 4 * 2 ** 20 } },
  networks: { eth0: { rx_bytes: 1000, tx_bytes: 200 }, eth1: { rx_bytes: 24, tx_bytes: 5 } },
};

describe("stats figures as docker stats computes them", () => {
  it("cgroup v1: CPU from the deltas × online CPUs, memory without total_inactive_file, network summed", () => {
    const s = computeSample(v1, 0);
    // (2088205443 - 1575566418) / (65255780000000 - 65253840000000) × 2 × 100 = 52.849…
    expect(s.cpu).toBeCloseTo(((2088205443 - 1575566418) / 1_940_000_000) * 2 * 100, 10);
    expect(s.mem).toBe(331776);
    expect(s.memLimit).toBe(25276514304);
    expect(s.memPct).toBeCloseTo((331776 / 25276514304) * 100, 12);
    expect([s.netRx, s.netTx, s.blkRead, s.blkWrite, s.pids]).toEqual([736, 0, 0, 0, 1]);
    expect(s.t).toBe(Date.parse("2026-11-30T11:29:30.456Z"));
  });

  it("cgroup v1: total_inactive_file is subtracted only when below usage, and wins over inactive_file", () => {
    expect(memoryUsage({ usage: 1000, stats: { total_inactive_file: 300, inactive_file: 100 } })).toBe(700);
    // Not below usage: the v1 rule does not apply, the v2 key is tried next, as the CLI does.
    expect(memoryUsage({ usage: 1000, stats: { total_inactive_file: 1000, inactive_file: 100 } })).toBe(900);
    expect(memoryUsage({ usage: 1000, stats: { total_inactive_file: 2000 } })).toBe(1000);
  });

  it("cgroup v2: inactive_file subtracted, online_cpus used, lower-case block ops read and write (discard ignored)", () => {
    const s = computeSample(v2, 0);
    expect(s.cpu).toBeCloseTo((500_000_000 / 4_000_000_000) * 4 * 100, 10); // 50 %
    expect(s.mem).toBe(64 * 2 ** 20);
    expect(s.memPct).toBeCloseTo(12.5, 10);
    expect([s.netRx, s.netTx]).toEqual([1024, 205]);
    expect([s.blkRead, s.blkWrite, s.pids]).toEqual([4_104_192, 1_048_576, 7]);
  });

  it("online_cpus missing: the number of per-CPU counters, as older engines send", () => {
    const v = structuredClone(v1);
    delete v.cpu_stats!.online_cpus;
    expect(cpuPercent(v)).toBeCloseTo(cpuPercent(v1), 12);
    v.cpu_stats!.cpu_usage!.percpu_usage = [1, 2, 3, 4];
    expect(cpuPercent(v)).toBeCloseTo(cpuPercent(v1) * 2, 10);
  });

  it("no CPU time passed, or a counter went back: 0 %, never negative", () => {
    const idle = structuredClone(v2);
    idle.cpu_stats!.cpu_usage!.total_usage = idle.precpu_stats!.cpu_usage!.total_usage;
    expect(cpuPercent(idle)).toBe(0);
    const back = structuredClone(v2);
    back.cpu_stats!.system_cpu_usage = 1;
    expect(cpuPercent(back)).toBe(0);
  });

  it("v1 block ops by their first letter, any case (Read, Write; Sync, Async and Total ignored)", () => {
    const ops = ["Read", "Write", "Sync", "Async", "Total", "READ", "w"].map((op, i) => ({ op, value: 10 ** i }));
    expect(blockIO({ io_service_bytes_recursive: ops })).toEqual({ read: 1 + 100_000, write: 10 + 1_000_000 });
    expect(blockIO({ io_service_bytes_recursive: null })).toEqual({ read: 0, write: 0 });
  });

  it("a stopped container's empty reading is recognised; a limit of 0 gives 0 %", () => {
    expect(isEmptyReading({ read: "0001-01-01T00:00:00Z" })).toBe(true);
    expect(isEmptyReading(v1)).toBe(false);
    expect(computeSample({ memory_stats: { usage: 5 } }, 42)).toMatchObject({ t: 42, mem: 5, memLimit: 0, memPct: 0, cpu: 0 });
  });
});
