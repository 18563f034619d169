/**
 * The browser-facing WebSocket hub at /api/ws. It keeps one subscription to
 * the runtime's event stream, caches engine status and the container list,
 * and fans changes out to every open page. Upgrades are authenticated (ticket)
 * and Origin-checked before they are accepted.
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import type { ContainerSummary, EngineStatus } from "../../runtime/protocol/index";
import { roleAllows } from "../api/permissions";
import type { SessionUser } from "../auth/session";
import { onSessionEnd } from "../auth/sessions";
import type { LiveCache } from "../engines/live-cache";
import { defaultEnvironmentId, findConnection } from "../engines/registry";
import { type LogsBrowserFrame, logsRelay } from "./channels/logs";
import { redeemTicket } from "./tickets";
import { originAllowed } from "./origin";

/** Frames sent to browsers. */
export type BrowserFrame =
  | { type: "hello"; user: string }
  | { type: "engine"; engine: EngineStatus }
  | { type: "containers.snapshot"; containers: ContainerSummary[] }
  | { type: "container.upsert"; container: ContainerSummary }
  | { type: "container.remove"; id: string }
  | LogsBrowserFrame;

const MAX_BUFFERED = 8 * 1024 * 1024;
/**
 * Pages only send small control frames (open or close a log view); a larger
 * frame is refused (close 1009) instead of buffered whole (ws allows 100 MB).
 */
export const MAX_CLIENT_FRAME = 1024 * 1024;

export interface Hub {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): void;
}

function reject(socket: Duplex, status: 401 | 403 | 404, why: string) {
  const text = { 401: "Unauthorized", 403: "Forbidden", 404: "Not Found" }[status];
  socket.write(`HTTP/1.1 ${status} ${text}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${why}\n`);
  socket.destroy();
}

export function createHub(opts: { live: LiveCache; allowedOrigins: string[] }): Hub {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: MAX_CLIENT_FRAME });
  const clients = new Set<WebSocket>();
  const live = opts.live;

  const send = (ws: WebSocket, frame: BrowserFrame | string) => {
    if (ws.readyState !== ws.OPEN) return;
    // A page that cannot keep up is dropped; it reconnects and gets a fresh snapshot.
    if (ws.bufferedAmount > MAX_BUFFERED) return ws.close(1013, "too slow");
    ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  };
  const stopListening = live.listen((frame) => {
    const text = JSON.stringify(frame);
    for (const ws of clients) send(ws, text);
  });

  function accept(ws: WebSocket, user: SessionUser) {
    clients.add(ws);
    const logs = logsRelay(ws, user);
    // Sign-out (or the user's removal) ends the session: its open sockets go with it.
    ws.once("close", onSessionEnd(user.sid, () => ws.close(4401, "Session ended")));
    ws.on("close", () => {
      clients.delete(ws);
      logs.closeAll();
    });
    ws.on("error", () => clients.delete(ws));
    // Streams are asked for by message: {op:"logs.open"|"logs.close", sid, …}.
    ws.on("message", (data, isBinary) => {
      if (isBinary) return;
      try {
        logs.onMessage(JSON.parse(data.toString()) as Parameters<typeof logs.onMessage>[0]);
      } catch {
        // not JSON: ignored
      }
    });
    send(ws, { type: "hello", user: user.username });
    send(ws, { type: "engine", engine: live.engine() });
    if (live.connected()) send(ws, { type: "containers.snapshot", containers: live.containers() });
  }

  return {
    handleUpgrade(req, socket, head) {
      const url = new URL(req.url ?? "/", "http://localhost");
      if (!originAllowed(req, opts.allowedOrigins)) return reject(socket, 403, "Origin not allowed");
      const user = redeemTicket(url.searchParams.get("ticket"));
      if (!user) return reject(socket, 401, "A valid, unused ticket is required");
      if (!roleAllows(user.role, "ws.ticket")) return reject(socket, 403, "Not allowed");
      wss.handleUpgrade(req, socket, head, (ws) => accept(ws, user));
    },
    close() {
      stopListening();
      for (const ws of clients) ws.terminate();
      wss.close();
    },
  };
}

/** Transitional: the default environment's live view, until every caller names its environment. */
export function engineStatus(): EngineStatus | null {
  const id = defaultEnvironmentId();
  return (id === undefined ? undefined : findConnection(id))?.live.engine() ?? null;
}

export function containerList(): ContainerSummary[] {
  const id = defaultEnvironmentId();
  return (id === undefined ? undefined : findConnection(id))?.live.containers() ?? [];
}
