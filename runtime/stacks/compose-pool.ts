/**
 * Loading a compose file costs CPU in proportion to its size (a 300 KB file,
 * 0.15 s; a 9,000-key map, 0.3 s: mostly the YAML parser), and anyone who may
 * read stacks can send one. On the runtime's event loop that time would stall
 * every log, stats and terminal stream, so files are loaded in one worker
 * thread, one at a time, each within LOAD_DEADLINE_MS (a worker past it is
 * terminated and the next load starts a new one). The worker exits after
 * IDLE_MS without work, so an idle runtime does not keep its memory.
 *
 * Compiled (server/bin/bundle.mjs), the worker is `compose-worker.mjs` beside
 * the runtime's bundle; from source, the .ts file through tsx. Where no worker
 * can start (a test importing the handlers in its own process), the file is
 * loaded in place.
 */
import path from "node:path";
import { Worker } from "node:worker_threads";
import { loadDetailed, type LoadDetails } from "../compose/load";
import { RuntimeFailure } from "../engine/errors";
import type { ComposeRequest } from "./compose-worker";
import { stackFileReader } from "./store";

export const LOAD_DEADLINE_MS = 15_000;
const IDLE_MS = 30_000;

type Input = Omit<ComposeRequest, "id">;
interface Pending {
  input: Input;
  resolve: (d: LoadDetails) => void;
  reject: (e: unknown) => void;
}

const queue: Pending[] = [];
let worker: Worker | undefined;
let busy: { id: number; job: Pending; timer: NodeJS.Timeout; sent: boolean } | undefined;
let idleTimer: NodeJS.Timeout | undefined;
let nextId = 1;
let unavailable = false;

/**
 * Compiled, the bundle's `compose-worker.mjs`; from source, the .ts file through tsx's loader, which a
 * worker does not take from `--import` in its execArgv (Node 20): registered by a small eval'd entry.
 */
function newWorker(): Worker {
  const resourceLimits = { maxOldGenerationSizeMb: 256 };
  if (process.env.BERTH_COMPILED === "1") return new Worker(path.join(path.dirname(process.argv[1] ?? ""), "compose-worker.mjs"), { resourceLimits });
  const entry = new URL("./compose-worker.ts", import.meta.url).href;
  return new Worker(`import("tsx/esm/api").then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`, { eval: true, resourceLimits });
}

function inPlace(input: Input): LoadDetails {
  return loadDetailed({ ...input, readFile: stackFileReader(input.workingDir) });
}

function stopWorker() {
  const w = worker;
  worker = undefined;
  void w?.terminate();
}

/** Whether the current worker said it listens (work sent before then waits in `busy`). */
let online = false;

function startWorker(): Worker | undefined {
  if (unavailable) return undefined;
  online = false;
  try {
    // Bounded (resourceLimits): a file cannot make the worker take the host's memory.
    const w = newWorker();
    w.unref();
    w.on("message", (msg: { ready?: boolean; id?: number; details?: LoadDetails; error?: string }) => {
      if (msg.ready) {
        online = true;
        if (busy && !busy.sent) {
          busy.sent = true;
          w.postMessage({ id: busy.id, ...busy.job.input } satisfies ComposeRequest);
        }
        return;
      }
      if (!busy || msg.id !== busy.id) return;
      const { job, timer } = busy;
      clearTimeout(timer);
      busy = undefined;
      if (msg.details) job.resolve(msg.details);
      else job.reject(new RuntimeFailure({ code: "INTERNAL", message: `the compose file could not be loaded: ${msg.error ?? "unknown error"}` }));
      pump();
    });
    w.on("error", (err) => {
      console.error("berth runtime: the compose worker failed", err);
      if (worker === w) worker = undefined;
      const job = busy?.job;
      if (busy) clearTimeout(busy.timer);
      busy = undefined;
      if (job && !online) {
        // A worker that cannot start at all (no loader for .ts here): load in place from now on.
        unavailable = true;
        try {
          job.resolve(inPlace(job.input));
        } catch (e) {
          job.reject(e);
        }
      } else if (job) {
        job.reject(new RuntimeFailure({ code: "BAD_REQUEST", field: "file", message: `file: the compose file could not be loaded (${(err as Error)?.message ?? String(err)})` }));
      }
      pump();
    });
    w.on("exit", () => {
      if (worker === w) worker = undefined;
    });
    return w;
  } catch (err) {
    console.error("berth runtime: no compose worker, loading in place", err);
    unavailable = true;
    return undefined;
  }
}

function pump() {
  if (busy) return;
  const job = queue.shift();
  if (!job) {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(stopWorker, IDLE_MS);
    idleTimer.unref();
    return;
  }
  clearTimeout(idleTimer);
  worker ??= startWorker();
  if (!worker) {
    try {
      job.resolve(inPlace(job.input));
    } catch (e) {
      job.reject(e);
    }
    pump();
    return;
  }
  const id = nextId++;
  const timer = setTimeout(() => {
    busy = undefined;
    stopWorker();
    job.reject(new RuntimeFailure({ code: "TIMEOUT", field: "file", message: `file: loading the compose file took longer than ${LOAD_DEADLINE_MS / 1000} s` }));
    pump();
  }, LOAD_DEADLINE_MS);
  busy = { id, job, timer, sent: online };
  if (online) worker.postMessage({ id, ...job.input } satisfies ComposeRequest);
}

/** The loader's details for a stack's file, computed off the event loop. */
export function loadInWorker(input: Input): Promise<LoadDetails> {
  return new Promise((resolve, reject) => {
    queue.push({ input, resolve, reject });
    pump();
  });
}
