/**
 * The engine's past events, read once per view that asks (`since`): one
 * `/events?since=…&until=now` request, which the engine answers from its own
 * buffer and then ends. Filtered as the live ones are; only the newest
 * MAX_HISTORY are kept (`truncated` says older ones were left out).
 */
import type { Readable } from "node:stream";
import type Docker from "dockerode";
import { parseEventLine } from "../engine/event-line";
import type { DockerEvent } from "../engine/protocol";
import type { EventMatcher } from "./filter";
import { MAX_HISTORY } from "./protocol";

export type HistoryReader = (sinceMs: number, match: EventMatcher, signal: AbortSignal) => Promise<{ events: DockerEvent[]; truncated: boolean }>;

/** An engine that sends nothing must not hold a view forever. */
const ANSWER_MS = 10_000;

/** Unix seconds with nanoseconds, as the engine reads `since`/`until` ("1700000000.123000000"). */
function engineTime(ms: number): string {
  const whole = Math.floor(ms / 1000);
  const nanos = Math.round((ms - whole * 1000) * 1e6);
  return `${whole}.${String(nanos).padStart(9, "0")}`;
}

export function historyReader(docker: Docker): HistoryReader {
  return async (sinceMs, match, signal) => {
    const abort = new AbortController();
    const onAbort = () => abort.abort();
    signal.addEventListener("abort", onAbort, { once: true });
    const timer = setTimeout(() => abort.abort(), ANSWER_MS);
    try {
      const opts = { since: engineTime(sinceMs), until: engineTime(Date.now()), abortSignal: abort.signal };
      const stream = (await docker.getEvents(opts as unknown as Docker.GetEventsOptions)) as Readable;
      return await readAll(stream, match, abort.signal);
    } catch (err) {
      if (abort.signal.aborted && !signal.aborted) throw new Error(`the engine did not answer within ${ANSWER_MS / 1000} s`);
      throw err;
    } finally {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
    }
  };
}

function readAll(stream: Readable, match: EventMatcher, signal: AbortSignal): Promise<{ events: DockerEvent[]; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    // A ring of the newest MAX_HISTORY matches: the engine's buffer is small, but a view must not trust that.
    const events: DockerEvent[] = [];
    let dropped = 0;
    let buf = "";
    const onLine = (line: string) => {
      const e = line.length > 1 ? parseEventLine(line) : undefined;
      if (!e || !match(e)) return;
      events.push(e);
      if (events.length > MAX_HISTORY) {
        events.shift();
        dropped++;
      }
    };
    const onAbort = () => stream.destroy(new Error("aborted"));
    signal.addEventListener("abort", onAbort, { once: true });
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        onLine(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
      }
    });
    stream.on("error", (err) => {
      signal.removeEventListener("abort", onAbort);
      reject(err);
    });
    stream.once("end", () => {
      signal.removeEventListener("abort", onAbort);
      onLine(buf);
      resolve({ events, truncated: dropped > 0 });
    });
  });
}
