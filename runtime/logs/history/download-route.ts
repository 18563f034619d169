/**
 * `GET /logs/history/download?p=<json: container|project, search, since, until>`:
 * recorded lines as plain text, written as the response drains.
 */
import type http from "node:http";
import type { RuntimeError } from "../../protocol/errors";
import { historyMethods } from "../protocol";
import { queryParams } from "../../protocol/query-params";
import { matcherOrError } from "../session";
import type { HistoryRecorder } from "./recorder";

export function historyDownloadRoute(history: HistoryRecorder) {
  return async (_req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> => {
    let q;
    try {
      q = queryParams(url, historyMethods["logs.history.search"]);
      matcherOrError(q);
      const refused = history.refError(q.container);
      if (refused) throw refused;
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
