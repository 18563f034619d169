/**
 * The raw engine, spoken to directly over its socket: the baseline every
 * measure compares Berth against. Plain node:http, no Berth code.
 */
import { execFile, execFileSync } from "node:child_process";
import http from "node:http";
import { promisify } from "node:util";

const execFileP = promisify(execFile);

/** Async, so that the event loop keeps reading streams while the CLI runs. */
export async function dockerAsync(...args: string[]): Promise<string> {
  return (await execFileP("docker", args, { encoding: "utf8" })).stdout.trim();
}

// Taken right as the millisecond clock ticks, so the base is exact to a few µs. The
// monotonic clock drifts from the wall clock the engine stamps with (a slewing NTP: ~2 ms
// over a 10-minute bench run, which made latencies negative): each measure anchors anew.
function anchor(): bigint {
  const t0 = Date.now();
  let t = t0;
  while (t === t0) t = Date.now();
  return BigInt(t) * 1_000_000n - process.hrtime.bigint();
}
let base = anchor();

/** Re-reads the wall clock; call at the start of a latency measure. */
export function anchorClock(): void {
  base = anchor();
}

/** Wall-clock time in nanoseconds with hrtime's resolution, comparable to the engine's timeNano. */
export function nowNano(): bigint {
  return base + process.hrtime.bigint();
}

export function socketPath(): string {
  const host = process.env.DOCKER_HOST ?? "";
  if (!host.startsWith("unix://")) throw new Error(`DOCKER_HOST must be the private engine's unix socket, got ${host}`);
  return host.slice("unix://".length);
}

export function docker(...args: string[]): string {
  return execFileSync("docker", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

/** A streaming GET on the engine; the caller reads and destroys the response. */
export function engineGet(pathAndQuery: string): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = http.get({ socketPath: socketPath(), path: pathAndQuery }, (res) => {
      if ((res.statusCode ?? 500) >= 400) {
        res.resume();
        reject(new Error(`engine ${pathAndQuery}: HTTP ${res.statusCode}`));
      } else resolve(res);
    });
    req.on("error", reject);
  });
}

/**
 * Counts the lines of Docker's multiplexed log stream (8-byte frame headers)
 * as a minimal raw client would: the fastest honest baseline.
 */
export class MuxLineCounter {
  lines = 0;
  private pending: Buffer = Buffer.alloc(0);
  private frameLeft = 0;

  push(chunk: Buffer): void {
    let buf: Buffer = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    let i = 0;
    while (i < buf.length) {
      if (this.frameLeft === 0) {
        if (buf.length - i < 8) {
          this.pending = buf.subarray(i);
          return;
        }
        this.frameLeft = buf.readUInt32BE(i + 4);
        i += 8;
        continue;
      }
      const end = Math.min(buf.length, i + this.frameLeft);
      for (let j = i; j < end; j++) if (buf[j] === 10) this.lines++;
      this.frameLeft -= end - i;
      i = end;
    }
    buf = Buffer.alloc(0);
  }
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function summary(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s[s.length - 1] ?? NaN };
}

/** One whole request to the engine: status and the body read to the end. */
export function engineRequest(method: string, pathAndQuery: string, body?: unknown): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request(
      { socketPath: socketPath(), path: pathAndQuery, method, headers: payload ? { "content-type": "application/json", "content-length": payload.length } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

/** Runs `fn` over `items`, `limit` at a time. */
export async function eachLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
