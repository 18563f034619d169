/**
 * `/ws/engine-events?p=<json EventsParams>`: one events view. Live events come
 * from the events hub's one engine connection (no engine connection per view),
 * filtered here so only matches cross the wire, each sent the moment it is
 * read. With `since`, the history is read once from the engine first; events
 * that arrive meanwhile wait and follow it, without duplicates.
 *
 * Nothing is queued without bound: while the dashboard has over HIGH_WATER
 * bytes unread, events are counted instead of sent, and once it is under
 * LOW_WATER a `skipped` frame says how many and between which stamps.
 */
import type { IncomingMessage } from "node:http";
import type { WebSocket } from "ws";
import { channelParams } from "../protocol/query-params";
import type { EventsHub } from "../engine/events-hub";
import type { DockerEvent } from "../engine/protocol";
import { toRuntimeError } from "../engine/errors";
import { eventMatcher } from "./filter";
import type { HistoryReader } from "./history";
import { type EngineEventsFrame, eventsParamsSchema, sinceMs } from "./protocol";

const HIGH_WATER = 1 << 20;
const LOW_WATER = 256 * 1024;
const DRAIN_POLL_MS = 20;
/** Live events held while the history loads; beyond this they are counted as skipped. */
const MAX_PENDING = 5000;

/** Every view sends the same event as the same bytes: encode it once. */
const encoded = new WeakMap<DockerEvent, string>();
function eventJson(event: DockerEvent): string {
  let json = encoded.get(event);
  if (json === undefined) encoded.set(event, (json = `{"type":"event","event":${JSON.stringify(event)}}`));
  return json;
}

const eventKey = (e: DockerEvent) => `${e.timeNano}\u0000${e.type}\u0000${e.action}\u0000${e.id}`;

export function engineEventsChannel(hub: EventsHub, readHistory: HistoryReader) {
  return (ws: WebSocket, _req: IncomingMessage, url: URL): void => {
    const sendFrame = (f: EngineEventsFrame) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(f));
    const params = channelParams(ws, url, eventsParamsSchema);
    if (!params) return;
    const match = eventMatcher(params);

    let skip: { count: number; from: string; to: string } | undefined;
    let drain: NodeJS.Timeout | undefined;
    const skipped = (e: DockerEvent) => {
      if (skip) {
        skip.count++;
        skip.to = e.timeNano;
      } else skip = { count: 1, from: e.timeNano, to: e.timeNano };
    };
    const watchDrain = () => {
      drain ??= setInterval(() => {
        if (ws.readyState !== ws.OPEN || ws.bufferedAmount >= LOW_WATER) return;
        clearInterval(drain);
        drain = undefined;
        if (skip) sendFrame({ type: "skipped", ...skip });
        skip = undefined;
      }, DRAIN_POLL_MS);
    };
    const send = (e: DockerEvent) => {
      if (ws.readyState !== ws.OPEN) return;
      if (skip || ws.bufferedAmount > HIGH_WATER) {
        skipped(e);
        return watchDrain();
      }
      ws.send(eventJson(e));
    };

    // Held while the history loads (undefined once it has gone out).
    let pending: DockerEvent[] | undefined = params.since === undefined ? undefined : [];
    let live = hub.isLive();
    const stop = hub.onRawEvent({
      event(e) {
        if (!match(e)) return;
        if (!pending) return send(e);
        if (pending.length < MAX_PENDING) pending.push(e);
        else skipped(e);
      },
      live(now, reason) {
        if (now === live) return;
        live = now;
        if (!pending) sendFrame({ type: "state", live, ...(reason && !live ? { reason } : {}) });
      },
    });
    const abort = new AbortController();
    ws.on("close", () => {
      stop();
      abort.abort();
      clearInterval(drain);
    });

    const started = () => sendFrame({ type: "state", live, ...(live ? {} : { reason: hub.currentStatus().reason ?? "the engine is not reachable" }) });
    if (params.since === undefined) return void started();

    readHistory(sinceMs(params.since) ?? 0, match, abort.signal).then(
      ({ events, truncated }) => {
        if (ws.readyState !== ws.OPEN) return;
        const seen = new Set(events.map(eventKey));
        sendFrame({ type: "history", events, truncated });
        started();
        const held = pending ?? [];
        pending = undefined;
        for (const e of held) if (!seen.has(eventKey(e))) send(e);
        if (skip) watchDrain();
      },
      (err: unknown) => {
        if (ws.readyState !== ws.OPEN) return;
        const e = toRuntimeError(err);
        sendFrame({ type: "error", code: e.code, message: `history: ${e.message}` });
        ws.close(1000);
      },
    );
  };
}
