/**
 * `/ws/logs?p=<json LogsParams>`: one log view. Lines are filtered here (only
 * matches cross the wire) and sent as soon as the socket is idle: what arrived
 * in the same turn of the event loop goes in one frame. Batches grow only under
 * load: while the socket still holds unsent bytes, lines wait (up to BATCH_MS,
 * or BATCH_BYTES) for it to drain. Nothing is queued without bound: when the
 * dashboard reads slower than the engine writes (bufferedAmount over
 * HIGH_WATER), lines are counted instead of sent, and once it has caught up a
 * `skipped` frame says how many and between which stamps, so the viewer can
 * load them. The engine is read at full speed.
 */
import type { IncomingMessage } from "node:http";
import type { WebSocket } from "ws";
import type { RuntimeError } from "../protocol/errors";
import { type LogLineTuple, type LogsFrame, type LogsParams, logsParamsSchema } from "./protocol";
import { buildMatcher, FilterError, type Matcher } from "./filter";
import { queryParams } from "../protocol/query-params";
import { type LogDeps, LogPipeline } from "./pipeline";

const BATCH_MS = 20;
/** How often a batch waiting for a busy socket looks again. */
const BUSY_POLL_MS = 2;
const BATCH_BYTES = 256 * 1024;
const HIGH_WATER = 1 << 20;
const LOW_WATER = 256 * 1024;

export const paramsFromUrl = (url: URL): LogsParams => queryParams(url, logsParamsSchema);

export function matcherOrError(params: { search?: LogsParams["search"] }): Matcher | undefined {
  try {
    return buildMatcher(params.search);
  } catch (err) {
    if (err instanceof FilterError) throw { code: "BAD_REQUEST", message: err.message, field: "search.q" } satisfies RuntimeError;
    throw err;
  }
}

export function logsChannel(deps: LogDeps) {
  return (ws: WebSocket, _req: IncomingMessage, url: URL): void => {
    const sendFrame = (f: LogsFrame) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(f));
    let params: LogsParams;
    let match: Matcher | undefined;
    try {
      params = paramsFromUrl(url);
      match = matcherOrError(params);
    } catch (err) {
      sendFrame({ type: "error", ...(err as RuntimeError) });
      return void ws.close(1000);
    }

    let batch: LogLineTuple[] = [];
    let batchBytes = 0;
    let matches = 0;
    let timer: NodeJS.Timeout | undefined;
    const skip = { count: 0, from: "", to: "" };
    let ended = false;

    // When the oldest line of the batch came: a busy socket holds it back at most BATCH_MS.
    let batchSince = 0;
    const schedule = () => {
      timer = ws.bufferedAmount === 0 ? (setImmediate(flush) as unknown as NodeJS.Timeout) : setTimeout(flush, BUSY_POLL_MS);
    };
    /** `force`: everything batched goes now (before a frame that must follow it). */
    const flush = (force = false) => {
      clearTimeout(timer);
      clearImmediate(timer as unknown as NodeJS.Immediate);
      timer = undefined;
      if (ws.readyState !== ws.OPEN) return;
      // Under load: let the batch grow while what was sent before is still going out.
      if (!force && skip.count === 0 && batch.length > 0 && ws.bufferedAmount > 0 && batchBytes < BATCH_BYTES && performance.now() - batchSince < BATCH_MS) {
        timer = setTimeout(flush, BUSY_POLL_MS);
        return;
      }
      if (skip.count > 0) {
        if (ws.bufferedAmount > LOW_WATER) {
          // Still behind: keep counting, look again shortly.
          skip.count += batch.length;
          if (batch.length) skip.to = batch[batch.length - 1][0];
          batch = [];
          batchBytes = 0;
          timer = setTimeout(flush, BATCH_MS);
          return;
        }
        sendFrame({ type: "skipped", ...skip });
        skip.count = 0;
      }
      if (batch.length === 0) return;
      if (ws.bufferedAmount > HIGH_WATER) {
        skip.count = batch.length;
        skip.from = batch[0][0];
        skip.to = batch[batch.length - 1][0];
        batch = [];
        batchBytes = 0;
        timer = setTimeout(flush, BATCH_MS);
        return;
      }
      const lines = batch;
      batch = [];
      batchBytes = 0;
      sendFrame({ type: "lines", lines, matches });
    };

    const pipeline = new LogPipeline(deps, params, {
      sources: (sources) => {
        flush(true);
        sendFrame({ type: "sources", sources });
      },
      line: (line, source) => {
        if (match && !match(line.text)) return;
        matches++;
        if (skip.count > 0 && timer && batch.length === 0 && ws.bufferedAmount > LOW_WATER) {
          skip.count++;
          skip.to = line.ts;
          return;
        }
        if (batch.length === 0) batchSince = performance.now();
        batch.push([line.ts, line.stream, line.text, source]);
        batchBytes += line.text.length + 48;
        if (batchBytes >= BATCH_BYTES) flush(true);
        else if (!timer) schedule();
      },
      state: (source, state) => {
        flush(true);
        sendFrame({ type: "state", source, state });
      },
      end: (error) => {
        if (ended) return;
        ended = true;
        flush(true);
        if (skip.count > 0) sendFrame({ type: "skipped", ...skip });
        if (error) sendFrame({ type: "error", ...error });
        else sendFrame({ type: "end", matches, ...pipeline.scanInfo() });
        ws.close(1000);
      },
    });
    ws.on("close", () => {
      clearTimeout(timer);
      pipeline.close();
    });
    void pipeline.start();
  };
}
