/**
 * Log views over the page's one WebSocket. The browser sends
 * `{op:"logs.open", sid, params}` / `{op:"logs.close", sid}`; each open is
 * checked against `container.logs`, then relayed to its own runtime stream
 * (`/ws/logs`), whose frames come back tagged `{type:"logs", sid, frame}`
 * without being parsed. Backpressure: when the browser reads slowly
 * (bufferedAmount over HIGH_WATER) we stop reading the runtime streams; the
 * runtime then skips ahead and sends a `skipped` frame, so neither process
 * holds more than a bounded buffer.
 */
import type { WebSocket } from "ws";
import { type LogsFrame, logsParamsSchema } from "../../../runtime/protocol/index";
import type { SessionUser } from "../../auth/session";
import { roleAllows } from "../../api/permissions";
import type { OpenStream } from "../../engines/runtime-client";
import { runtime } from "../../engines/runtime";
import type { RuntimeClient } from "../../engines/runtime-client";

const HIGH_WATER = 4 << 20;
const LOW_WATER = 1 << 20;
const MAX_STREAMS = 32;
const SUFFIX = Buffer.from("}");

export type LogsClientMessage =
  | { op: "logs.open"; sid: string; params: unknown }
  | { op: "logs.close"; sid: string };

export type LogsBrowserFrame =
  | { type: "logs"; sid: string; frame: LogsFrame }
  /** The stream is over (after `end`, an error, or the runtime going away: then reopen with `after`). */
  | { type: "logs.closed"; sid: string; detail?: string };

export function logsRelay(ws: WebSocket, user: SessionUser) {
  const streams = new Map<string, OpenStream>();
  let paused = false;
  let poll: NodeJS.Timeout | undefined;

  const sendText = (text: string | Buffer) => {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(text, { binary: false });
    if (!paused && ws.bufferedAmount > HIGH_WATER) {
      paused = true;
      for (const s of streams.values()) s.pause();
      poll = setInterval(() => {
        if (ws.readyState !== ws.OPEN || ws.bufferedAmount < LOW_WATER) {
          clearInterval(poll);
          paused = false;
          for (const s of streams.values()) s.resume();
        }
      }, 5);
    }
  };
  const frame = (sid: string, f: LogsFrame) => sendText(JSON.stringify({ type: "logs", sid, frame: f } satisfies LogsBrowserFrame));
  const closed = (sid: string, detail?: string) =>
    sendText(JSON.stringify({ type: "logs.closed", sid, ...(detail ? { detail } : {}) } satisfies LogsBrowserFrame));

  function open(sid: string, params: unknown) {
    streams.get(sid)?.close();
    streams.delete(sid);
    if (!roleAllows(user.role, "container.logs")) {
      frame(sid, { type: "error", code: "FORBIDDEN", message: "Your role may not container.logs." });
      return closed(sid);
    }
    const parsed = logsParamsSchema.safeParse(params);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      frame(sid, { type: "error", code: "BAD_REQUEST", message: `${i.path.join(".") || "params"}: ${i.message}` });
      return closed(sid);
    }
    if (streams.size >= MAX_STREAMS) {
      frame(sid, { type: "error", code: "BAD_REQUEST", message: `at most ${MAX_STREAMS} log views per page` });
      return closed(sid);
    }
    let client: RuntimeClient;
    try {
      client = runtime();
    } catch {
      frame(sid, { type: "error", code: "RUNTIME_UNAVAILABLE", message: "Berth runtime is not running" });
      return closed(sid);
    }
    const prefix = Buffer.from(`{"type":"logs","sid":${JSON.stringify(sid)},"frame":`);
    const stream = client.stream("logs", parsed.data, {
      onFrame: (json) => sendText(Buffer.concat([prefix, json, SUFFIX])),
      onClose: (detail) => {
        if (streams.get(sid) !== stream) return;
        streams.delete(sid);
        closed(sid, detail);
      },
    });
    if (paused) stream.pause();
    streams.set(sid, stream);
  }

  return {
    /** Handles a message from the browser; false when it is not a logs message. */
    onMessage(msg: Partial<LogsClientMessage>): boolean {
      if (typeof msg.sid !== "string" || msg.sid.length === 0 || msg.sid.length > 64) return false;
      if (msg.op === "logs.open") open(msg.sid, (msg as { params?: unknown }).params);
      else if (msg.op === "logs.close") {
        streams.get(msg.sid)?.close();
        streams.delete(msg.sid);
      } else return false;
      return true;
    },
    closeAll() {
      clearInterval(poll);
      for (const s of streams.values()) s.close();
      streams.clear();
    },
  };
}
