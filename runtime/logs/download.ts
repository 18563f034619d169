/**
 * `GET /logs/download?p=<json LogsParams>`: the selection (range, streams,
 * search) as plain text, streamed from the engine to the response. When the
 * response cannot take more (write() returns false) the engine streams are
 * paused until it drains, so nothing is held in memory whatever the log's size.
 * Lines are written as `docker logs` writes them (plus stamp and container name
 * when asked or merged), so an unfiltered download equals `docker logs` output.
 */
import type http from "node:http";
import type { RuntimeError } from "../protocol/errors";
import type { LogsParams } from "./protocol";
import { type LogDeps, LogPipeline } from "./pipeline";
import { matcherOrError, paramsFromUrl } from "./session";

export function downloadRoute(deps: LogDeps) {
  return async (_req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> => {
    let params: LogsParams;
    let match;
    try {
      params = { ...paramsFromUrl(url), follow: false };
      match = matcherOrError(params);
    } catch (err) {
      const e = err as RuntimeError;
      res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ ok: false, error: e }));
      return;
    }
    const merged = !params.id;
    const names: string[] = [];
    let started = false;
    let pending: string[] = [];
    let pendingBytes = 0;
    let blocked = false;
    const write = (s: string) => {
      if (!res.write(s) && !blocked) {
        blocked = true;
        pipeline.pause();
        res.once("drain", () => {
          blocked = false;
          pipeline.resume();
        });
      }
    };
    const flush = () => {
      if (pending.length === 0) return;
      const text = pending.join("");
      pending = [];
      pendingBytes = 0;
      write(text);
    };
    const pipeline = new LogPipeline(deps, params, {
      sources: (all) => {
        for (const s of all) names[s.idx] = s.name;
        if (!started) {
          started = true;
          res.writeHead(200, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
        }
      },
      line: (line, source) => {
        if (match && !match(line.text)) return;
        let s = line.text + "\n";
        if (merged) s = `${names[source] ?? source} | ${s}`;
        if (params.timestamps) s = `${line.ts} ${s}`;
        // Many small writes cost more than the copy: gather ~64 KB per write.
        pending.push(s);
        pendingBytes += s.length;
        if (pendingBytes >= 64 * 1024) flush();
      },
      state: () => {},
      end: (error) => {
        if (error && !started) {
          const status = error.code === "NOT_FOUND" ? 404 : error.code === "BAD_REQUEST" ? 400 : 502;
          res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ ok: false, error }));
          return;
        }
        flush();
        // A failure mid-way must not look like a complete file: cut the connection.
        if (error) res.destroy();
        else res.end();
      },
    });
    res.on("close", () => pipeline.close());
    await pipeline.start();
  };
}
