/**
 * Follows one of Docker's JSON message streams (pull, push, build, load,
 * import: newline-delimited `{status, id, progressDetail}`, `{stream}`,
 * `{aux}`, `{errorDetail}` objects) into a task's layers and lines. Resolves
 * with what the stream's `aux` messages said (a build's image id, a push's
 * digest) once it ends, rejects with the engine's error message (a failed
 * pull answers 200 and then an `error` object), and closes the stream when the
 * task is cancelled (which is what stops the engine's work).
 */
import { RuntimeFailure } from "../engine/errors";
import type { TaskHandle } from "./registry";

export interface DockerMessage {
  status?: string;
  id?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number };
  stream?: string;
  aux?: Record<string, unknown>;
  error?: string;
  errorDetail?: { message?: string; code?: number };
}

/** What the stream reported besides progress. */
export interface FollowResult {
  /** Every `aux` object, in order (build: `{ID}`; push: `{Tag, Digest, Size}`). */
  aux: Record<string, unknown>[];
  /** The last status line (a pull's "Status: Downloaded newer image for …", a load's "Loaded image: …"). */
  lastStatus?: string;
  /** Every status line that names no layer ("Loaded image: x", "Digest: sha256:…"). */
  statuses: string[];
}

/** A failure the engine reported inside a 200 stream, in its own words, with the code its words imply. */
export function streamFailure(message: string): RuntimeFailure {
  const code = /not found|manifest unknown|does not exist|no such/i.test(message)
    ? "NOT_FOUND"
    : /unauthori[sz]ed|authentication required|denied|incorrect username or password|no basic auth credentials/i.test(message)
      ? "UNAUTHORIZED"
      : message === "cancelled"
        ? "CONFLICT"
        : "BAD_REQUEST";
  return new RuntimeFailure({ code, message });
}

const MAX_PENDING = 1 << 20;

/** Statuses that belong to a layer line but mean it is finished. */
const DONE = /complete|already exists|pushed|mounted from|layer already exists/i;

export function followDockerStream(stream: NodeJS.ReadableStream, task: TaskHandle, onMessage?: (m: DockerMessage) => void): Promise<FollowResult> {
  const result: FollowResult = { aux: [], statuses: [] };
  return new Promise((res, rej) => {
    let pending = "";
    let failed: Error | undefined;
    let settled = false;
    const totals = new Map<string, number>();
    // Exactly one outcome, whichever of end, error, close or cancel comes first.
    const resolve = (r: FollowResult) => {
      if (settled) return;
      settled = true;
      task.signal.removeEventListener("abort", onAbort);
      res(r);
    };
    const reject = (e: Error) => {
      if (settled) return;
      settled = true;
      task.signal.removeEventListener("abort", onAbort);
      rej(e);
    };
    const destroy = () => (stream as NodeJS.ReadableStream & { destroy?: (e?: Error) => void }).destroy?.();
    const onAbort = () => {
      destroy();
      reject(streamFailure("cancelled"));
    };
    if (task.signal.aborted) return onAbort();
    task.signal.addEventListener("abort", onAbort, { once: true });

    const handle = (m: DockerMessage) => {
      onMessage?.(m);
      if (m.error || m.errorDetail?.message) {
        failed ??= streamFailure(m.errorDetail?.message ?? m.error ?? "the engine reported an error");
        return;
      }
      if (m.aux && typeof m.aux === "object") result.aux.push(m.aux);
      if (typeof m.stream === "string") {
        const text = m.stream.replace(/\n$/, "");
        if (text !== "") task.line(text);
      }
      if (typeof m.status === "string") {
        // "Pulling from library/nginx" carries the tag as its id: a line, not a layer.
        if (m.id && !/^pulling from /i.test(m.status) && (m.progressDetail || /download|extract|push|wait|verif|pull|complete|exists|prepar|load/i.test(m.status))) {
          // "Download complete" and "Pull complete" carry no sizes: the layer's known total counts as done.
          if (typeof m.progressDetail?.total === "number" && m.progressDetail.total > 0) totals.set(m.id, m.progressDetail.total);
          const total = m.progressDetail?.total ?? totals.get(m.id);
          const current = m.progressDetail?.current;
          task.layer({
            id: m.id,
            status: m.status,
            ...(typeof current === "number" ? { current } : {}),
            ...(typeof total === "number" && total > 0 ? { total } : {}),
          });
          if (DONE.test(m.status)) task.layer({ id: m.id, status: m.status, ...(typeof total === "number" && total > 0 ? { current: total } : {}) });
        } else {
          const text = m.id ? `${m.id}: ${m.status}` : m.status;
          result.lastStatus = text;
          result.statuses.push(text);
          task.line(text);
          task.progress({ text: text.slice(0, 300) });
        }
      }
    };

    stream.on("data", (chunk: Buffer | string) => {
      pending += chunk.toString();
      if (pending.length > MAX_PENDING && !pending.includes("\n")) {
        failed ??= streamFailure("the engine sent a message over 1 MB without a line break");
        pending = "";
        // A destroyed stream may end with neither "end" nor "error": settle here, not there.
        reject(failed);
        destroy();
        return;
      }
      let nl: number;
      while ((nl = pending.indexOf("\n")) >= 0) {
        const line = pending.slice(0, nl).trim();
        pending = pending.slice(nl + 1);
        if (!line) continue;
        try {
          handle(JSON.parse(line) as DockerMessage);
        } catch {
          task.line(line);
        }
      }
    });
    stream.on("error", (err: Error) => reject(failed ?? err));
    // Closed without its end (the engine's connection dropped): the operation did not finish.
    stream.on("close", () => reject(failed ?? new RuntimeFailure({ code: "INTERNAL", message: "the engine's stream closed before the operation finished" })));
    stream.on("end", () => {
      if (pending.trim()) {
        try {
          handle(JSON.parse(pending) as DockerMessage);
        } catch {
          task.line(pending);
        }
      }
      if (failed) reject(failed);
      else resolve(result);
    });
  });
}
