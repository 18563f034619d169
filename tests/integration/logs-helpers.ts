/**
 * Shared by the logs integration tests: a runtime child on a fresh data dir,
 * the docker CLI as the oracle, and a collector for `/ws/logs` streams.
 */
import { frameWaiter } from "./frame-waiter";
import { execFileSync, spawnSync } from "node:child_process";
import type { LogLineTuple, LogsFrame, LogsParamsInput } from "../../runtime/protocol/index";
import type { RuntimeClient } from "../../server/engines/runtime-client";
import { startRuntime as startSharedRuntime } from "./start-runtime";

const DOCKER_HOST = process.env.DOCKER_HOST;
if (!DOCKER_HOST || /^(unix:\/\/)?\/(var\/)?run\/docker\.sock$/.test(DOCKER_HOST)) {
  throw new Error("integration tests need a PRIVATE engine: run tests/harness/engine.sh up and source its env file");
}

export const docker = (...args: string[]) =>
  execFileSync("docker", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 1 << 30 }).trim();
export const dockerQuiet = (...args: string[]) => {
  try {
    docker(...args);
  } catch {
    // best effort (cleanup)
  }
};
/** `docker logs` as raw bytes, stdout and stderr apart. */
export function dockerLogs(name: string, ...flags: string[]): { stdout: Buffer; stderr: Buffer } {
  const r = spawnSync("docker", ["logs", ...flags, name], { maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`docker logs failed: ${r.stderr.toString()}`);
  return { stdout: r.stdout, stderr: r.stderr };
}

export type { StartedRuntime as Runtime } from "./start-runtime";

/** A runtime child on a fresh `berth-logs-…` data dir (see ./start-runtime). */
export const startRuntime = () => startSharedRuntime("logs");

export interface Collected {
  frames: LogsFrame[];
  lines: LogLineTuple[];
  skipped: number;
  /** Resolves on the first frame matching, or rejects after ms. */
  waitFor(match: (f: LogsFrame, all: Collected) => boolean, ms?: number): Promise<void>;
  closed: Promise<string | undefined>;
  close(): void;
}

/** Opens a log stream and gathers everything it sends. */
export function openLogs(client: RuntimeClient, params: LogsParamsInput): Collected {
  const frames: LogsFrame[] = [];
  const waiter = frameWaiter(frames);
  let resolveClosed!: (d: string | undefined) => void;
  const c: Collected = {
    frames,
    lines: [],
    skipped: 0,
    closed: new Promise((r) => (resolveClosed = r)),
    waitFor: (match, ms) => waiter.wait((f) => match(f, c), ms).then(() => undefined),
    close: () => stream.close(),
  };
  const stream = client.stream("logs", params, {
    onFrame: (json) => {
      const f = JSON.parse(String(json)) as LogsFrame;
      if (f.type === "lines") for (const l of f.lines) c.lines.push(l);
      if (f.type === "skipped") c.skipped += f.count;
      c.frames.push(f);
      waiter.notify();
    },
    onClose: (detail) => resolveClosed(detail),
  });
  return c;
}

/** A non-follow read to its end. */
export async function readAll(client: RuntimeClient, params: LogsParamsInput): Promise<Collected> {
  const c = openLogs(client, { ...params, follow: false });
  await c.waitFor((f) => f.type === "end" || f.type === "error", 60_000);
  return c;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
