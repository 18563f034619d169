/**
 * Live stats through the runtime (`/ws/stats`, `stats.history`, `stats.info`)
 * against the private engine, with `docker stats --no-stream` as the oracle:
 * the figures of a CPU-capped busy loop and of a container holding 64 MB, one
 * engine stream for two viewers (counted at the engine's socket through a
 * transparent proxy), every running container in `all` frames, a removed
 * container ending its viewers, refused params naming the field, and the
 * 1-minute history read back after a restart of the runtime.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StatsFrame, StatsParams } from "../../runtime/stats/protocol";
import type { RuntimeClient } from "../../server/engines/runtime-client";
import { type DockerProxy, dockerProxy } from "../support/docker-proxy";
import { docker, dockerQuiet, requirePrivateEngine } from "./private-engine";
import { type StartedRuntime, startRuntime } from "./start-runtime";

requirePrivateEngine();
const P = `berth-stats-${process.pid}`;
const N = { busy: `${P}-busy`, mem: `${P}-mem`, gone: `${P}-gone`, twin: `${P}-twin` };
let rt: StartedRuntime;
let proxy: DockerProxy;
const statsRequests: string[] = [];
let busyId = "";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Watch {
  frames: StatsFrame[];
  closed: Promise<string | undefined>;
  waitFor(match: (f: StatsFrame) => boolean, ms?: number): Promise<StatsFrame>;
  close(): void;
}

function watch(client: RuntimeClient, params: StatsParams | Record<string, unknown>): Watch {
  const frames: StatsFrame[] = [];
  const waiters = new Set<() => void>();
  let resolveClosed!: (d: string | undefined) => void;
  const closed = new Promise<string | undefined>((r) => (resolveClosed = r));
  const s = client.stream("stats", params, {
    onFrame: (json) => {
      frames.push(JSON.parse(json.toString()) as StatsFrame);
      for (const w of [...waiters]) w();
    },
    onClose: (d) => resolveClosed(d),
  });
  return {
    frames,
    closed,
    close: () => s.close(),
    waitFor(match, ms = 15_000) {
      return new Promise((resolve, reject) => {
        let from = 0;
        const check = () => {
          for (; from < frames.length; from++) {
            if (match(frames[from])) {
              waiters.delete(check);
              clearTimeout(timer);
              return resolve(frames[from]);
            }
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching stats frame within ${ms} ms; got ${JSON.stringify(frames.slice(-3))}`));
        }, ms);
        waiters.add(check);
        check();
      });
    },
  };
}

/** `docker stats --no-stream` for one container, as its JSON format prints it. */
function dockerStats(name: string) {
  const j = JSON.parse(docker("stats", "--no-stream", "--format", "{{json .}}", name)) as Record<string, string>;
  const [used, limit] = j.MemUsage.split(" / ").map(bytes);
  return { cpu: parseFloat(j.CPUPerc), mem: used, limit, pids: Number(j.PIDs) };
}

/** "64.3MiB" → bytes (the CLI prints memory in binary units). */
function bytes(s: string): number {
  const m = /^([\d.]+)\s*([KMGT]?i?B)$/.exec(s.trim());
  if (!m) throw new Error(`not a size: ${s}`);
  const unit = { B: 1, KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30, TiB: 2 ** 40, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12 }[m[2]];
  return parseFloat(m[1]) * (unit ?? NaN);
}

const samples = (w: Watch) => w.frames.flatMap((f) => (f.type === "sample" ? [f.sample] : f.type === "history" ? f.samples : []));

beforeAll(async () => {
  // Every request the runtime makes to the engine goes through the proxy, which counts the stats streams.
  proxy = await dockerProxy(path.join(os.tmpdir(), `${P}-proxy.sock`), (_m, url) => {
    if (/^\/v[\d.]+\/containers\/[^/]+\/stats|^\/containers\/[^/]+\/stats/.test(url)) statsRequests.push(url);
    return false;
  });
  docker("run", "-d", "--name", N.busy, "--cpus", "0.5", "busybox", "sh", "-c", "while :; do :; done");
  // 64 MB held in the container's /dev/shm (tmpfs pages are charged to its memory and never inactive_file).
  docker("run", "-d", "--name", N.mem, "--memory", "256m", "--shm-size", "128m", "busybox", "sh", "-c", "head -c 67108864 /dev/zero > /dev/shm/x; echo held; exec sleep 3600");
  busyId = docker("inspect", "-f", "{{.Id}}", N.busy);
  const host = process.env.DOCKER_HOST;
  process.env.DOCKER_HOST = proxy.dockerHost;
  try {
    rt = await startRuntime("stats");
  } finally {
    process.env.DOCKER_HOST = host;
  }
  for (let i = 0; i < 100 && !docker("logs", N.mem).includes("held"); i++) await sleep(100);
}, 60_000);

afterAll(async () => {
  dockerQuiet("rm", "-f", ...Object.values(N));
  await rt?.stop();
  await proxy?.close();
});

describe("stats", () => {
  it("a --cpus 0.5 busy loop: CPU % within 5 points of docker stats --no-stream, memory and pids equal", async () => {
    const w = watch(rt.client, { id: N.busy });
    const first = await w.waitFor((f) => f.type === "history");
    expect(first).toMatchObject({ type: "history", id: busyId, name: N.busy, running: true });
    // The first reading of a stream averages since the start: wait for a few steady ones.
    await w.waitFor(() => samples(w).length >= 4);
    // Both read the same cgroup over ~1 s windows; on a shared machine the capped loop's share
    // varies from second to second, so each comparison pairs the CLI's window with ours at the
    // same moment, and one of three such pairs must agree (a wrong formula, e.g. without the
    // CPU count, is off by 50 points in every one).
    const diffs: number[] = [];
    let oracle = dockerStats(N.busy);
    for (let attempt = 0; attempt < 3; attempt++) {
      const before = Date.now();
      oracle = dockerStats(N.busy);
      const after = Date.now();
      await w.waitFor((f) => f.type === "sample" && f.sample.t >= after);
      const near = samples(w).filter((s) => s.t >= before - 500 && s.t <= after + 1500);
      const closest = near.reduce((a, s) => (Math.abs(s.t - after) < Math.abs(a.t - after) ? s : a));
      diffs.push(Math.abs(closest.cpu - oracle.cpu));
      // Busy (an idle one reads 0.00); near the 50 % cap only when the shared machine is quiet.
      expect(oracle.cpu).toBeGreaterThan(5);
      if (diffs.at(-1)! <= 5) break;
    }
    const ours = samples(w).slice(-3);
    w.close();
    expect(Math.min(...diffs), `differences from docker stats: ${diffs.join(", ")}`).toBeLessThanOrEqual(5);
    expect(ours.at(-1)!.pids).toBe(oracle.pids);
    expect(Math.abs(ours.at(-1)!.mem - oracle.mem)).toBeLessThanOrEqual(Math.max(oracle.mem * 0.05, 64 * 1024));
    expect(ours.at(-1)!.memLimit).toBeCloseTo(oracle.limit, -7);
  }, 30_000);

  it("a container holding 64 MB: memory within 5 % of docker stats, the 256 MiB limit exact", async () => {
    const w = watch(rt.client, { id: N.mem });
    await w.waitFor(() => samples(w).length >= 2);
    const oracle = dockerStats(N.mem);
    const last = samples(w).at(-1)!;
    w.close();
    expect(last.mem).toBeGreaterThan(60 * 2 ** 20);
    expect(Math.abs(last.mem - oracle.mem) / oracle.mem).toBeLessThanOrEqual(0.05);
    expect(last.memLimit).toBe(256 * 2 ** 20);
    expect(last.memPct).toBeCloseTo((last.mem / last.memLimit) * 100, 6);
  }, 30_000);

  it("two viewers of one container share one engine stream; the second gets the kept samples at once", async () => {
    const before = statsRequests.filter((u) => u.includes(busyId) || u.includes(N.busy)).length;
    const openedBefore = (await rt.client.call("stats.info", {})).opened;
    const a = watch(rt.client, { id: N.busy });
    await a.waitFor((f) => f.type === "sample");
    const b = watch(rt.client, { id: busyId });
    const hist = await b.waitFor((f) => f.type === "history");
    // The grace period kept the first test's stream and its ring: the chart is full at once.
    expect(hist.type === "history" && hist.samples.length).toBeGreaterThanOrEqual(4);
    await b.waitFor((f) => f.type === "sample");
    await a.waitFor(() => a.frames.filter((f) => f.type === "sample").length >= 3);
    const info = await rt.client.call("stats.info", {});
    expect(info.streams.filter((id) => id === busyId)).toHaveLength(1);
    expect(info.opened).toBe(openedBefore);
    expect(statsRequests.filter((u) => u.includes(busyId) || u.includes(N.busy)).length).toBe(before);
    // Exactly one stream for it was ever asked of the engine, by the first test's viewer.
    expect(before).toBe(1);
    a.close();
    b.close();
  }, 30_000);

  it("two viewers opening at the same moment (before the engine answers) still make one engine stream", async () => {
    docker("run", "-d", "--name", N.twin, "busybox", "sleep", "3600");
    const id = docker("inspect", "-f", "{{.Id}}", N.twin);
    const views = [watch(rt.client, { id: N.twin }), watch(rt.client, { id }), watch(rt.client, { id: N.twin })];
    for (const v of views) await v.waitFor((f) => f.type === "sample");
    for (const v of views) v.close();
    expect(statsRequests.filter((u) => u.includes(id))).toHaveLength(1);
  }, 30_000);

  it("all: every running container once a second, one engine stream each", async () => {
    const w = watch(rt.client, { all: true });
    const f = await w.waitFor((x) => x.type === "all" && busyId in x.stats && Object.keys(x.stats).length >= 2 && x.stats[busyId][0] > 5);
    w.close();
    if (f.type !== "all") throw new Error("not an all frame");
    const memId = docker("inspect", "-f", "{{.Id}}", N.mem);
    expect(f.stats[memId][1]).toBeGreaterThan(60 * 2 ** 20);
    expect(f.stats[memId][2]).toBe(256 * 2 ** 20);
    const info = await rt.client.call("stats.info", {});
    expect(new Set(info.streams).size).toBe(info.streams.length);
    expect(statsRequests.filter((u) => u.includes(busyId) || u.includes(N.busy))).toHaveLength(1);
  }, 30_000);

  it("a removed container ends its viewers with end; a container that stops says so", async () => {
    docker("run", "-d", "--name", N.gone, "busybox", "sleep", "3600");
    const w = watch(rt.client, { id: N.gone });
    await w.waitFor((f) => f.type === "sample");
    docker("stop", "-t", "0", N.gone);
    await w.waitFor((f) => f.type === "running" && !f.running);
    docker("start", N.gone);
    await w.waitFor((f) => f.type === "running" && f.running);
    await w.waitFor((f) => f.type === "sample" && f.sample.t > Date.now() - 3000);
    docker("rm", "-f", N.gone);
    await w.waitFor((f) => f.type === "end");
    expect(await w.closed).toBeUndefined();
  }, 30_000);

  it("refuses bad params naming the field", async () => {
    const cases: [unknown, string | undefined][] = [
      [{ id: "../etc" }, "id"],
      [{ id: "nope-" + P }, "id"],
      [{}, undefined],
      [{ id: N.busy, all: true }, undefined],
      [{ all: false }, undefined],
    ];
    for (const [params, field] of cases) {
      const w = watch(rt.client, params as Record<string, unknown>);
      const f = await w.waitFor((x) => x.type === "error");
      await w.closed;
      expect(f).toMatchObject({ type: "error" });
      if (f.type === "error") {
        expect(["BAD_REQUEST", "NOT_FOUND"]).toContain(f.code);
        if (field) expect(f.field).toBe(field);
        expect(f.message.length).toBeGreaterThan(5);
      }
    }
    await expect(rt.client.call("stats.history", { id: N.busy, since: -1 })).rejects.toMatchObject({ code: "BAD_REQUEST", field: "since" });
    await expect(rt.client.call("stats.history", { id: N.busy, since: 10, until: 5 })).rejects.toMatchObject({ field: "until" });
  }, 30_000);

  it("history: 1-minute averages written to SQLite and read back after the runtime restarts", async () => {
    const since = Date.now() - 3_600_000;
    const live = await rt.client.call("stats.history", { id: N.busy, since });
    expect(live.name).toBe(N.busy);
    expect(live.minutes.length).toBeGreaterThanOrEqual(1);
    expect(live.minutes.at(-1)!.cpu).toBeGreaterThan(5);
    // Stop (SIGTERM writes the open minutes), then start again on the same data directory.
    const dataDir = rt.dataDir;
    const keep = fs.mkdtempSync(path.join(os.tmpdir(), `${P}-keep-`));
    rt.child.kill("SIGTERM");
    expect(await rt.exited).toBe(0);
    fs.cpSync(dataDir, keep, { recursive: true });
    await rt.stop();
    const host = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = proxy.dockerHost;
    try {
      rt = await startRuntime("stats", { dataDir: keep });
    } finally {
      process.env.DOCKER_HOST = host;
    }
    try {
      const after = await rt.client.call("stats.history", { id: N.busy, since });
      expect(after.minutes.length).toBeGreaterThanOrEqual(1);
      const m = after.minutes.find((x) => x.t === live.minutes.at(-1)!.t)!;
      expect(m).toBeDefined();
      expect(m.cpu).toBeGreaterThan(5);
      expect(m.cpu).toBeLessThan(80);
      expect(m.memLimit).toBeGreaterThan(0);
      expect((await rt.client.call("stats.info", {})).historyRows).toBeGreaterThanOrEqual(1);
      // By name too, as a removed container is asked for.
      expect((await rt.client.call("stats.history", { id: N.busy, since })).minutes.length).toBe(after.minutes.length);
    } finally {
      await rt.stop();
      fs.rmSync(keep, { recursive: true, force: true });
    }
  }, 60_000);
});
