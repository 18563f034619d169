/**
 * Stats cost: 50 running containers; the CPU time Berth's dashboard and
 * runtime use while one client watches the list's CPU/Memory figures (a
 * signed-in socket subscribed to `containers` and `stats {all}`, as the list
 * page is) for SECONDS, against the CPU time of `docker stats` (the CLI, the
 * same containers, the same time). Then ten such clients against one.
 *
 * Stats accuracy: a `--cpus 0.5` busy loop and a container holding 64 MB,
 * Berth's figures (over its socket) against `docker stats --no-stream`.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import type WebSocket from "ws";
import type { Berth } from "../berth";
import { docker, dockerAsync, eachLimit } from "../engine";
import type { Measure } from "../measure";

const COUNT = 50;
const SECONDS = Number(process.env.BENCH_STATS_SECONDS ?? 60);
const PREFIX = "bench-stats-";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU seconds (user + system) a process has used, from /proc. */
function cpuSeconds(pid: number): number {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

async function watchAll(berth: Berth, env: string | undefined): Promise<{ ws: WebSocket; frames: () => number }> {
  const ws = await berth.socket();
  let frames = 0;
  ws.on("message", (data) => {
    const msg = JSON.parse(String(data));
    if (msg.type === "error") throw new Error(`Berth: ${msg.message}`);
    if (msg.type === "frame" && msg.channel === "stats" && msg.data.type === "all") frames++;
  });
  ws.send(JSON.stringify({ type: "subscribe", id: "list", channel: "containers", env, params: {} }));
  ws.send(JSON.stringify({ type: "subscribe", id: "stats", channel: "stats", env, params: { all: true } }));
  return { ws, frames: () => frames };
}

/**
 * Steady watching, as for the CLI below: measured from SETTLE_MS after every
 * client has its first figures (sign-in, tickets, opening the engine streams
 * are not counted, nor is the CLI's start).
 */
const SETTLE_MS = 3000;

async function berthCost(berth: Berth, clients: number): Promise<number> {
  const env = await berth.environment();
  const { dashboard, runtime } = berth.pids();
  const open = await Promise.all(Array.from({ length: clients }, () => watchAll(berth, env)));
  for (let i = 0; i < 300 && open.some((c) => c.frames() === 0); i++) await sleep(100);
  await sleep(SETTLE_MS);
  const counted = open.map((c) => c.frames());
  const before = cpuSeconds(dashboard) + cpuSeconds(runtime);
  await sleep(SECONDS * 1000);
  const used = cpuSeconds(dashboard) + cpuSeconds(runtime) - before;
  if (open.some((c, i) => c.frames() - counted[i] < SECONDS / 2)) throw new Error("a client got too few stats frames");
  for (const c of open) c.ws.close();
  // Past the collector's grace period: the next run opens its engine streams afresh, as this one did.
  await sleep(16_000);
  return used;
}

function cliCost(names: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const p = spawn("docker", ["stats", ...names], { stdio: ["ignore", "pipe", "pipe"] });
    let seen = 0;
    p.stdout.on("data", (b: Buffer) => (seen += b.length));
    p.on("error", reject);
    let before = 0;
    setTimeout(() => (before = cpuSeconds(p.pid!)), SETTLE_MS);
    setTimeout(() => {
      const used = cpuSeconds(p.pid!) - before;
      p.kill("SIGKILL");
      if (seen === 0) reject(new Error("docker stats printed nothing"));
      else resolve(used);
    }, SETTLE_MS + SECONDS * 1000);
  });
}

async function removeAll() {
  const ids = docker("ps", "-aq", "--filter", `name=${PREFIX}`).split("\n").filter(Boolean);
  if (ids.length) await dockerAsync("rm", "-f", ...ids);
}

export const statsCost: Measure = {
  name: "stats cost",
  async run(berth: Berth) {
    await removeAll();
    const names = Array.from({ length: COUNT }, (_, i) => `${PREFIX}${String(i).padStart(2, "0")}`);
    try {
      await eachLimit(names, 8, async (n) => void (await dockerAsync("run", "-d", "--name", n, "busybox", "sleep", "3600")));
      await sleep(3000);
      const raw = await cliCost(names);
      const one = await berthCost(berth, 1);
      const ten = await berthCost(berth, 10);
      return [
        { metric: `CPU time, ${COUNT} containers watched ${SECONDS} s (1 client)`, unit: "s", raw, berth: one, goal: "≤ 1.0× docker stats", met: one <= raw },
        { metric: `CPU time, 10 clients vs 1 (raw column: 1 client)`, unit: "s", raw: one, berth: ten, goal: "≤ 1.1× one client", met: ten <= one * 1.1 },
      ];
    } finally {
      await removeAll();
    }
  },
};

/** `docker stats --no-stream` of one container: CPU % and memory bytes. */
async function cliFigures(name: string): Promise<{ cpu: number; mem: number }> {
  const j = JSON.parse(await dockerAsync("stats", "--no-stream", "--format", "{{json .}}", name)) as Record<string, string>;
  const m = /^([\d.]+)\s*([KMG]?i?B)/.exec(j.MemUsage)!;
  const unit = { B: 1, KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30 }[m[2]] ?? NaN;
  return { cpu: parseFloat(j.CPUPerc), mem: parseFloat(m[1]) * unit };
}

/** Berth's first `n` samples of one container over its socket. */
async function berthSamples(berth: Berth, name: string, n: number): Promise<{ cpu: number; mem: number }[]> {
  const ws = await berth.socket();
  const got: { cpu: number; mem: number }[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no stats for ${name}`)), 30_000);
    ws.on("message", (data) => {
      const msg = JSON.parse(String(data));
      if (msg.type === "error") reject(new Error(`Berth: ${msg.message}`));
      if (msg.type !== "frame" || msg.channel !== "stats") return;
      if (msg.data.type === "sample") got.push(msg.data.sample);
      if (got.length >= n) {
        clearTimeout(timer);
        resolve();
      }
    });
    void berth.environment().then((env) => ws.send(JSON.stringify({ type: "subscribe", id: "one", channel: "stats", env, params: { id: name } })));
  });
  ws.close();
  return got;
}

export const statsAccuracy: Measure = {
  name: "stats accuracy",
  async run(berth: Berth) {
    const busy = `${PREFIX}busy`;
    const mem = `${PREFIX}mem`;
    await dockerAsync("rm", "-f", busy, mem).catch(() => undefined);
    try {
      docker("run", "-d", "--name", busy, "--cpus", "0.5", "busybox", "sh", "-c", "while :; do :; done");
      docker("run", "-d", "--name", mem, "--shm-size", "128m", "busybox", "sh", "-c", "head -c 67108864 /dev/zero > /dev/shm/x; exec sleep 3600");
      await sleep(3000);
      // One reading a second is ±1 CFS period (10 points of a 0.5 quota) either way: both sides are
      // averaged over the same ~12 s, Berth's stream and the CLI's --no-stream asked again and again.
      const cliReadings: number[] = [];
      const ours = berthSamples(berth, busy, 12);
      let done = false;
      void ours.finally(() => (done = true));
      while (!done) cliReadings.push((await cliFigures(busy)).cpu);
      const samples = (await ours).slice(2);
      const cpu = samples.reduce((a, s) => a + s.cpu, 0) / samples.length;
      const theirs = { cpu: cliReadings.reduce((a, b) => a + b, 0) / cliReadings.length };
      const memOurs = (await berthSamples(berth, mem, 2)).at(-1)!.mem;
      const memTheirs = (await cliFigures(mem)).mem;
      return [
        { metric: `CPU % of a --cpus 0.5 busy loop (Berth: mean of ${samples.length} samples; CLI: of ${cliReadings.length} --no-stream runs)`, unit: "%", raw: theirs.cpu, berth: cpu, goal: "within 5 points", met: Math.abs(cpu - theirs.cpu) <= 5 },
        { metric: "memory of a container holding 64 MB", unit: "MiB", raw: memTheirs / 2 ** 20, berth: memOurs / 2 ** 20, goal: "within 5 %", met: Math.abs(memOurs - memTheirs) <= memTheirs * 0.05 },
      ];
    } finally {
      await dockerAsync("rm", "-f", busy, mem).catch(() => undefined);
    }
  },
};
