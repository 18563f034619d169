/**
 * Sends the generated cases (HTTP through a pool of connections, WebSocket
 * frames through a few signed-in sockets), judges every answer, watches the
 * runtime's pid the whole time and checks health every CHECK_EVERY inputs.
 * Failures are kept with the input that caused them so the report can group
 * them and name the case numbers to replay.
 */
import fs from "node:fs";
import type WebSocket from "ws";
import type { FuzzClient, Reply } from "./fuzz-client";
import { ENV, type FuzzCase, type HttpCase, type WsCase } from "./fuzz-cases";

export interface Failure {
  index: number;
  target: string;
  request: string;
  problem: string;
  body: string;
}

export interface RunOptions {
  client: FuzzClient;
  cases: FuzzCase[];
  /** Indices to send (all when undefined). */
  only?: Set<number>;
  fixture: { name: string; id: string };
  runtimePidFile: string;
  /** Stop sending after this long, once `minInputs` have been sent… */
  budgetMs: number;
  minInputs: number;
  /** …and after this long in any case (a frozen runtime makes every input wait for its deadline). */
  hardLimitMs: number;
  httpConcurrency?: number;
  sockets?: number;
}

export interface RunResult {
  sent: number;
  failures: Failure[];
  ms: number;
  runtimePids: number[];
  /** Time spent per target (sum of answer times), slowest first: where the budget went. */
  slowest: string;
}

const CHECK_EVERY = 500;
const WS_PROBE_EVERY = 25;
/** Docker itself takes 15 s to refuse an unknown log or volume driver (plugin lookup): a deadline above that. */
const ANSWER_MS = 30_000;
/** Refusals a WebSocket may end with after a frame it cannot take (invalid UTF-8, too big). */
const ACCEPTABLE_CLOSE = new Set([1007, 1009]);
/** Error codes a log stream may answer bad input with; any other (INTERNAL, RUNTIME_UNAVAILABLE, TIMEOUT…) is a failure. */
const FINE_LOG_CODES = new Set(["BAD_REQUEST", "NOT_FOUND", "FORBIDDEN", "UNAUTHORIZED", "CONFLICT", "PAYLOAD_TOO_LARGE"]);
const STACK = /\n\s+at [^\n]+:\d+:\d+|\bat [\w.<>]+ \([^)]+\.(ts|js|mjs|cjs):\d+:\d+\)/;

export const truncate = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);

function show(data: string | Buffer | undefined): string {
  if (data === undefined) return "";
  const text = typeof data === "string" ? data : data.toString("latin1");
  return truncate(JSON.stringify(text).slice(1, -1), 300);
}

export function describeCase(c: FuzzCase): string {
  if (c.kind === "ws") return `${c.binary ? "binary" : "text"} frame ${show(c.data)}`;
  return `${c.method} ${truncate(c.path, 300)}${c.body !== undefined ? ` body=${show(c.body)}` : ""}${c.auth === false ? " (no cookie)" : ""}`;
}

function fill(data: string | Buffer, vars: [string, string][]): string | Buffer {
  const sub = (s: string) => vars.reduce((acc, [k, v]) => acc.replaceAll(k, v).replaceAll(encodeURIComponent(k), encodeURIComponent(v)), s);
  // latin1 round-trips every byte, so invalid UTF-8 stays exactly as generated.
  return typeof data === "string" ? sub(data) : Buffer.from(sub(data.toString("latin1")), "latin1");
}

function readPid(file: string): number {
  try {
    return Number(fs.readFileSync(file, "utf8").trim()) || 0;
  } catch {
    return 0;
  }
}

export async function runFuzz(opts: RunOptions): Promise<RunResult> {
  const { client, cases } = opts;
  const started = Date.now();
  const more = () => {
    const now = Date.now();
    return now < started + opts.hardLimitMs && (now < started + opts.budgetMs || sent < opts.minInputs);
  };
  const failures: Failure[] = [];
  const inflight = new Set<number>();
  const recent: number[] = [];
  const spent = new Map<string, { n: number; ms: number }>();
  let sent = 0;
  let checking = false;
  let nextCheck = CHECK_EVERY;
  const csrf = await client.csrf();
  const vars = (): [string, string][] => [["$FIXTURE_ID", opts.fixture.id], ["$FIXTURE", opts.fixture.name], ["$CSRF", csrf]];

  const fail = (index: number, problem: string, body = "") => {
    const c = cases[index];
    failures.push({ index, target: c?.target ?? "(check)", request: c ? describeCase(c) : "", problem, body: truncate(body, 400) });
  };

  // The runtime must never be restarted: watch its pid file, and blame the inputs in flight.
  const pids = [readPid(opts.runtimePidFile)];
  const watcher = setInterval(() => {
    const pid = readPid(opts.runtimePidFile);
    if (pid && pid !== pids[pids.length - 1]) {
      pids.push(pid);
      const suspects = [...inflight, ...recent.slice(-5)].map((i) => `#${i} ${cases[i]!.target}: ${describeCase(cases[i]!)}`);
      failures.push({ index: -1, target: "runtime", request: suspects.join("\n    "), problem: `runtime restarted (pid ${pids[pids.length - 2]} → ${pid}) while these were in flight`, body: "" });
    }
  }, 100);

  async function checkpoint(label: string) {
    const health = await client.request({ method: "GET", path: "/api/health", auth: false, timeoutMs: 10_000 });
    let ok = health.status === 200;
    try {
      const h = JSON.parse(health.body) as { status?: string; engine?: { reachable?: boolean } };
      ok &&= h.status === "ok" && h.engine?.reachable === true;
    } catch {
      ok = false;
    }
    if (!ok) failures.push({ index: -1, target: "health", request: label, problem: `/api/health answered ${health.status || health.error}`, body: truncate(health.body, 400) });
    const answer = await client.trpc("query", "logs.historyStatus", { env: ENV }, 10_000);
    if (answer.status !== 200) {
      failures.push({ index: -1, target: "runtime answers", request: label, problem: `logs.historyStatus answered ${answer.status || answer.error}`, body: truncate(answer.body, 400) });
    }
  }

  const finished = (index: number, ms: number) => {
    const t = spent.get(cases[index]!.target) ?? { n: 0, ms: 0 };
    spent.set(cases[index]!.target, { n: t.n + 1, ms: t.ms + ms });
    inflight.delete(index);
    recent.push(index);
    if (recent.length > 50) recent.shift();
    sent++;
    if (sent >= nextCheck && !checking) {
      nextCheck += CHECK_EVERY;
      checking = true;
      void checkpoint(`after ${sent} inputs`).finally(() => (checking = false));
    }
  };

  const picked = cases.map((_, i) => i).filter((i) => !opts.only || opts.only.has(i));
  const httpQueue = picked.filter((i) => cases[i]!.kind === "http");
  const wsQueue = picked.filter((i) => cases[i]!.kind === "ws");

  function judge(index: number, reply: Reply) {
    if (!reply.status) return fail(index, reply.error ?? "no answer");
    if (reply.status >= 500) return fail(index, `HTTP ${reply.status}`, reply.body);
    if (STACK.test(reply.body)) return fail(index, `stack trace in a ${reply.status} answer`, reply.body);
  }

  async function httpWorker() {
    for (let index = httpQueue.shift(); index !== undefined && more(); index = httpQueue.shift()) {
      const c = cases[index] as HttpCase;
      inflight.add(index);
      const reply = await client.request({
        timeoutMs: ANSWER_MS,
        method: c.method,
        path: fill(c.path, vars()) as string,
        body: c.body === undefined ? undefined : fill(c.body, vars()),
        headers: c.headers,
        auth: c.auth,
      });
      judge(index, reply);
      finished(index, reply.ms);
    }
  }

  async function wsWorker(n: number) {
    let ws: WebSocket | undefined;
    let closed: { code: number; reason: string } | undefined;
    const waiting = new Map<string, (frame: { type: string; code?: string; message?: string; data?: { type: string; code?: string; message?: string }; detail?: string }) => void>();
    let lastSent = -1;
    let sinceProbe = 0;
    let serial = 0;

    const connect = async () => {
      closed = undefined;
      ws = await client.openSocket();
      ws.on("message", (data, isBinary) => {
        // Terminal bytes (binary frames) belong to a subscription the case already judged.
        if (isBinary) return;
        try {
          const msg = JSON.parse(String(data)) as { type: string; id?: string };
          if (msg.id && waiting.has(msg.id)) waiting.get(msg.id)!(msg as never);
        } catch {
          fail(lastSent, "the hub sent a frame that is not JSON", String(data));
        }
      });
      ws.on("close", (code, reason) => {
        closed = { code, reason: reason.toString() };
        for (const resolve of waiting.values()) resolve({ type: "socket closed" });
      });
      ws.on("error", () => undefined);
    };

    /** Sends a subscribe and waits for its first answer; returns a problem, or undefined. */
    const ask = async (data: string, sid: string): Promise<string | undefined> => {
      const uniq = `${sid}.${n}.${serial++}`;
      const answer = new Promise<Parameters<NonNullable<ReturnType<typeof waiting.get>>>[0] | undefined>((resolve) => {
        const t = setTimeout(() => resolve(undefined), ANSWER_MS);
        waiting.set(uniq, (f) => {
          clearTimeout(t);
          resolve(f);
        });
      });
      ws!.send(data.replace(`"id":${JSON.stringify(sid)}`, `"id":${JSON.stringify(uniq)}`));
      const f = await answer;
      waiting.delete(uniq);
      if (!f) return `no answer to the subscribe within ${ANSWER_MS} ms`;
      if (f.type === "socket closed") return undefined;
      if (f.type === "error" && !FINE_LOG_CODES.has(f.code ?? "")) return `subscribe refused with ${f.code}: ${f.message}`;
      if (f.type === "frame" && f.data?.type === "error" && !FINE_LOG_CODES.has(f.data.code ?? "")) return `logs error ${f.data.code}: ${f.data.message}`;
      if (f.type === "closed" && f.detail && /runtime|internal|ECONN|hang up/i.test(f.detail)) return `stream closed: ${f.detail}`;
      if (f.type === "frame" && f.data?.type !== "error" && f.data?.type !== "end") ws!.send(JSON.stringify({ type: "unsubscribe", id: uniq }));
      return undefined;
    };

    const probe = JSON.stringify({ type: "subscribe", id: "probe", channel: "logs", env: ENV, params: { id: opts.fixture.name, follow: false, tail: 1 } });

    for (let index = wsQueue.shift(); index !== undefined && more(); index = wsQueue.shift()) {
      const c = cases[index] as WsCase;
      if (!ws || closed) {
        try {
          await connect();
        } catch (err) {
          fail(index, `could not open the WebSocket again: ${(err as Error).message}`);
          await new Promise((r) => setTimeout(r, 1000));
          continue;
        }
      }
      inflight.add(index);
      lastSent = index;
      const t0 = Date.now();
      const data = fill(c.data, vars());
      if (c.sid && typeof data === "string") {
        const problem = await ask(data, c.sid);
        if (problem) fail(index, problem);
      } else {
        ws!.send(data, { binary: !!c.binary });
        if (++sinceProbe >= WS_PROBE_EVERY) {
          sinceProbe = 0;
          const problem = await ask(probe, "probe");
          if (problem) fail(index, `after this and the ${WS_PROBE_EVERY - 1} frames before it: ${problem}`);
        }
      }
      // A close is judged against the frame that caused it: give the ones expected to close it time to.
      const mayClose = /invalid UTF-8|huge/.test(c.target);
      for (let waited = 0; !closed && waited < (mayClose ? 2000 : 1); waited += 20) await new Promise((r) => setTimeout(r, mayClose ? 20 : 0));
      if (closed && !ACCEPTABLE_CLOSE.has(closed.code)) fail(index, `WebSocket closed by the server: ${closed.code} ${closed.reason}`);
      finished(index, Date.now() - t0);
    }
    ws?.close();
  }

  await Promise.all([
    ...Array.from({ length: opts.httpConcurrency ?? 8 }, () => httpWorker()),
    ...Array.from({ length: opts.sockets ?? 4 }, (_, n) => wsWorker(n)),
  ]);
  clearInterval(watcher);
  while (checking) await new Promise((r) => setTimeout(r, 50));
  await checkpoint(`at the end (${sent} inputs)`);
  const slowest = [...spent]
    .sort((a, b) => b[1].ms - a[1].ms)
    .slice(0, 8)
    .map(([t, v]) => `${t} ${v.n}× ${Math.round(v.ms / v.n)} ms`)
    .join(", ");
  return { sent, failures, ms: Date.now() - started, runtimePids: pids, slowest };
}

/** Failures grouped by what went wrong where, worst first, each with one example and the case numbers. */
export function report(failures: Failure[], seed: number): string {
  const groups = new Map<string, Failure[]>();
  for (const f of failures) {
    const key = `${f.target} → ${f.problem.replace(/\d+/g, "#").slice(0, 120)} ${f.body.replace(/\d+/g, "#").slice(0, 80)}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const lines: string[] = [];
  for (const list of [...groups.values()].sort((a, b) => b.length - a.length).slice(0, 80)) {
    const f = list[0]!;
    const cases = list.map((x) => x.index).filter((i) => i >= 0);
    lines.push(`  [${list.length}×] ${f.target}: ${f.problem}`);
    if (f.request) lines.push(`    input: ${f.request}`);
    if (f.body) lines.push(`    answer: ${f.body}`);
    if (cases.length) lines.push(`    replay: BERTH_FUZZ_SEED=${seed} BERTH_FUZZ_CASES=${cases.slice(0, 10).join(",")}`);
  }
  return lines.join("\n");
}
