/**
 * The logs capability, wired into the runtime by main.ts: the `/ws/logs` channel,
 * the download route and (history/) the recorder. One subscription to the events
 * hub is shared by every log view that follows containers across restarts.
 */
import type http from "node:http";
import type Docker from "dockerode";
import type { EventsHub } from "../engine/events-hub";
import { type DockerEvent, historyMethods, type RuntimeError } from "../protocol/index";
import { downloadRoute } from "./download";
import type { HistoryRecorder } from "./history/recorder";
import type { LogDeps } from "./pipeline";
import { logsChannel, matcherOrError, queryParams } from "./session";

export function logDeps(docker: Docker, hub: EventsHub): LogDeps {
  const listeners = new Set<(e: DockerEvent) => void>();
  let unsubscribe: (() => void) | undefined;
  return {
    docker,
    list: () => hub.list(),
    events: (listener) => {
      listeners.add(listener);
      unsubscribe ??= hub.subscribe((frame) => {
        if (frame.type !== "docker.event" || frame.event.type !== "container") return;
        for (const l of listeners) l(frame.event);
      });
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          unsubscribe?.();
          unsubscribe = undefined;
        }
      };
    },
  };
}

export { downloadRoute, logsChannel };
export const LOGS_DOWNLOAD_PREFIX = "/logs/download";

export const HISTORY_DOWNLOAD_PREFIX = "/logs/history/download";

/** `GET /logs/history/download?p=<json: container|project, search, since, until>`: recorded lines as text. */
export function historyDownloadRoute(history: HistoryRecorder) {
  return async (_req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> => {
    let q;
    try {
      q = queryParams(url, historyMethods["logs.history.search"]);
      matcherOrError(q);
    } catch (err) {
      const error = err as RuntimeError;
      res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ ok: false, error }));
      return;
    }
    res.writeHead(200, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
    // A reader that goes away ends the scan: waits for drain resolve, the next write throws.
    res.on("close", () => res.emit("drain"));
    const out = {
      write: (s: string) => {
        if (res.destroyed) throw new Error("reader gone");
        return res.write(s);
      },
      once: (e: "drain", cb: () => void) => res.once(e, cb),
    };
    await history.download(q, out).then(() => res.end(), () => res.destroy());
  };
}
