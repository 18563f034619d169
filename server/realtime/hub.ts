/**
 * The browser-facing WebSocket hub at `/api/ws` (protocol: PROTOCOL.md).
 * Upgrades are authenticated (single-use ticket) and Origin-checked before they
 * are accepted. On a socket, a page subscribes to channels by name; the hub
 * looks the channel up in its table (./channels), checks the permission, the
 * environment, the parameters and the limits, then opens it. It knows no
 * channel by name.
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { firstIssue } from "../../runtime/protocol/zod-issues";
import { authorizeChannel } from "../authz/request-access";
import type { Access } from "../authz/authorize";
import { onAccessChange } from "../authz/changes";
import type { SessionUser } from "../auth/session";
import { onSessionEnd } from "../auth/sessions";
import { asBerthError } from "../errors";
import { connection } from "../engines/registry";
import { LIMITS, outbox } from "./backpressure";
import { decodeBinaryFrame, encodeBinaryFrame } from "./binary-frame";
import type { Channel, ChannelStream } from "./channels/channel";
import { channels } from "./channels/index";
import { originAllowed } from "./origin";
import { type ClientMessage, clientMessageSchema, type ErrorFrame, PROTOCOL_VERSION, type ServerFrame } from "./protocol";
import { redeemTicket } from "./tickets";

/**
 * Protocol pings: a page (or the path to it) that has answered none of the last
 * MISSED_PINGS is gone. More than one, so a pong queued behind a busy moment of
 * this process is not taken for silence.
 */
const HEARTBEAT_MS = 30_000;
const MISSED_PINGS = 2;

export interface Hub {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): void;
}

function reject(socket: Duplex, status: 401 | 403, why: string) {
  const text = { 401: "Unauthorized", 403: "Forbidden" }[status];
  socket.write(`HTTP/1.1 ${status} ${text}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${why}\n`);
  socket.destroy();
}

const table = new Map<string, Channel>(channels.map((c) => [c.name, c]));

/** Messages kept per subscription while it is being authorised (a few milliseconds). */
const MAX_HELD = 64;

export function createHub(opts: { allowedOrigins: string[] }): Hub {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: LIMITS.maxClientFrameBytes });
  const missed = new WeakMap<WebSocket, number>();
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      const n = missed.get(ws) ?? 0;
      if (n >= MISSED_PINGS) {
        ws.terminate();
        continue;
      }
      missed.set(ws, n + 1);
      ws.ping();
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  function accept(ws: WebSocket, user: SessionUser, sourceIp: string) {
    ws.on("pong", () => missed.set(ws, 0));
    /** `held`: what the page sent for a subscription still being authorised (a terminal's first keys), replayed once it opens. */
    const subs = new Map<string, { stream?: ChannelStream; channel?: Channel; held?: (() => void)[] }>();
    const out = outbox(ws, {
      onPause: () => subs.forEach((s) => s.stream?.pause()),
      onResume: () => subs.forEach((s) => s.stream?.resume()),
    });
    const send = (frame: ServerFrame) => out.send(JSON.stringify(frame));
    const refuse = (id: string | undefined, code: ErrorFrame["code"], message: string, field?: string) => {
      send({ type: "error", ...(id === undefined ? {} : { id }), code, message, ...(field ? { field } : {}) });
      if (id !== undefined) send({ type: "closed", id });
    };

    const end = (id: string) => {
      const s = subs.get(id);
      subs.delete(id);
      s?.stream?.close();
    };

    function subscribe(msg: Extract<ClientMessage, { type: "subscribe" }>) {
      const { id } = msg;
      // A subscription id used again replaces its subscription (a view reopening).
      end(id);
      const channel = table.get(msg.channel);
      if (!channel) return refuse(id, "NOT_FOUND", `channel: no channel "${msg.channel}" (there are: ${[...table.keys()].join(", ")})`, "channel");
      if (subs.size >= LIMITS.maxSubscriptions) {
        return refuse(id, "BAD_REQUEST", `at most ${LIMITS.maxSubscriptions} subscriptions per connection: unsubscribe one first`);
      }
      let conn;
      try {
        conn = connection(msg.env);
      } catch (err) {
        const e = asBerthError(err);
        return refuse(id, e?.code ?? "INTERNAL", e?.message ?? "environment lookup failed", e?.field);
      }
      const params = channel.paramsSchema.safeParse(msg.params ?? {});
      if (!params.success) {
        const problem = firstIssue(params.error, "params");
        const field = problem.field ? `params.${problem.field}` : "params";
        return refuse(id, "BAD_REQUEST", problem.field ? `params.${problem.message}` : problem.message, field);
      }

      const prefix = Buffer.from(`{"type":"frame","id":${JSON.stringify(id)},"channel":${JSON.stringify(channel.name)},"data":`);
      const suffix = Buffer.from("}");
      // Registered before it is authorised and opens (a channel may send at once); a replaced or ended one sends nothing more.
      const entry: { stream?: ChannelStream; channel?: Channel; held?: (() => void)[] } = { channel, held: [] };
      subs.set(id, entry);
      const current = () => subs.get(id) === entry;
      const p = params.data as { id?: unknown; ids?: unknown; project?: unknown };
      const ids = typeof p.id === "string" ? [p.id] : Array.isArray(p.ids) ? (p.ids as string[]) : undefined;
      authorizeChannel(user, channel.permission, { env: msg.env, conn, ids, merged: typeof p.project === "string" }, sourceIp).then(
        (access) => current() && open(access),
        (err: unknown) => {
          if (!current()) return;
          subs.delete(id);
          const e = asBerthError(err);
          refuse(id, e?.code ?? "INTERNAL", e?.message ?? "authorisation failed");
        },
      );
      const frame = (json: Buffer) => current() && out.send(Buffer.concat([prefix, json, suffix]));
      function open(access: Access) {
        try {
          entry.stream = channel!.open({
            user,
            sourceIp,
            env: msg.env,
            conn: conn!,
            access,
            params: params.data as never,
            send: (data) => frame(Buffer.from(JSON.stringify(data))),
            sendJson: (json) => frame(typeof json === "string" ? Buffer.from(json) : json),
            sendBinary: (payload) => current() && out.send(Buffer.from(encodeBinaryFrame(id, payload)), true),
            close: (detail) => {
              if (!current()) return;
              subs.delete(id);
              send({ type: "closed", id, ...(detail ? { detail } : {}) });
            },
          });
        } catch (err) {
          if (current()) subs.delete(id);
          console.error(`[berth] channel ${channel!.name} failed to open: ${(err as Error)?.message ?? String(err)}`);
          return refuse(id, "INTERNAL", `${channel!.name}: the dashboard could not open this stream`);
        }
        // Closed while opening: nothing to keep.
        if (!current()) return entry.stream.close();
        if (out.paused()) entry.stream.pause();
        const held = entry.held ?? [];
        entry.held = undefined;
        for (const replay of held) replay();
      }
    }

    function onMessage(text: string) {
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        return refuse(undefined, "BAD_REQUEST", "message: must be JSON");
      }
      const parsed = clientMessageSchema.safeParse(raw);
      if (!parsed.success) {
        // Name the subscription when the message names one, so its view hears of it.
        const id = (raw as { id?: unknown } | null)?.id;
        const known = typeof id === "string" && id.length > 0 && id.length <= 64 ? id : undefined;
        const problem = firstIssue(parsed.error, "message");
        return refuse(known, "BAD_REQUEST", problem.message, problem.field);
      }
      const msg = parsed.data;
      if (msg.type === "subscribe") return subscribe(msg);
      if (msg.type === "control") return control(msg.id, msg.data);
      if (msg.type === "unsubscribe") {
        end(msg.id);
        return send({ type: "closed", id: msg.id });
      }
      send({ type: "pong" });
    }

    /** Keeps a message for a subscription still being authorised; a page that floods one meanwhile loses the excess. */
    function holdFor(s: { held?: (() => void)[] }, replay: () => void) {
      if (s.held!.length >= MAX_HELD) return refuse(undefined, "BAD_REQUEST", `at most ${MAX_HELD} messages are kept for a subscription before it opens`);
      s.held!.push(replay);
    }

    /** A `control` message: checked by its subscription's channel's own schema, then handed to it. */
    function control(id: string, data: unknown) {
      const s = subs.get(id);
      if (!s) return refuse(undefined, "NOT_FOUND", `id: no open subscription "${id}"`, "id");
      if (s.held) return holdFor(s, () => control(id, data));
      const schema = s.channel?.controlSchema;
      if (!schema || !s.stream?.onControl) return refuse(undefined, "BAD_REQUEST", `data: channel ${s.channel?.name} takes no control messages`, "data");
      const parsed = schema.safeParse(data);
      if (!parsed.success) {
        const problem = firstIssue(parsed.error, "data");
        return refuse(undefined, "BAD_REQUEST", problem.field ? `data.${problem.message}` : problem.message, problem.field ? `data.${problem.field}` : "data");
      }
      s.stream.onControl(parsed.data);
    }

    /** A binary frame: bytes for one subscription whose channel takes input (a terminal's keystrokes). */
    function input(frame: Buffer) {
      const decoded = decodeBinaryFrame(frame);
      if (!decoded.ok) return refuse(undefined, "BAD_REQUEST", decoded.message, "id");
      const s = subs.get(decoded.id);
      if (!s) return refuse(undefined, "NOT_FOUND", `id: no open subscription "${decoded.id}"`, "id");
      if (s.held) return holdFor(s, () => input(frame));
      if (!s.stream?.onInput) return refuse(undefined, "BAD_REQUEST", `payload: channel ${s.channel?.name} takes no binary input`, "payload");
      s.stream.onInput(Buffer.from(decoded.payload));
    }

    // Sign-out (or the user's removal) ends the session: its open sockets go with it.
    ws.once("close", onSessionEnd(user.sid, () => ws.close(4401, "Session ended")));
    // Disabled, deleted, a role or team changed: every stream was authorised under the old rights.
    ws.once("close", onAccessChange(user.id, () => ws.close(4403, "Access changed")));
    ws.on("close", () => {
      out.close();
      for (const id of [...subs.keys()]) end(id);
    });
    // ws closes the socket itself after an error (1007 for bad UTF-8, 1009 for a frame over the limit).
    ws.on("error", () => undefined);
    ws.on("message", (data, isBinary) => {
      try {
        const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
        if (isBinary) return input(buf);
        onMessage(buf.toString());
      } catch (err) {
        // One message's failure is that message's: the socket and its other subscriptions go on.
        console.error(`[berth] /api/ws message failed: ${(err as Error)?.message ?? String(err)}`);
        refuse(undefined, "INTERNAL", "message: the dashboard could not handle it");
      }
    });
    send({
      type: "hello",
      user: user.username,
      protocol: PROTOCOL_VERSION,
      limits: { maxSubscriptions: LIMITS.maxSubscriptions, maxClientFrameBytes: LIMITS.maxClientFrameBytes },
    });
  }

  return {
    handleUpgrade(req, socket, head) {
      const url = new URL(req.url ?? "/", "http://localhost");
      if (!originAllowed(req, opts.allowedOrigins)) return reject(socket, 403, "Origin not allowed");
      const user = redeemTicket(url.searchParams.get("ticket"));
      if (!user) return reject(socket, 401, "A valid, unused ticket is required");
      const sourceIp = req.socket.remoteAddress?.replace(/^::ffff:/, "") ?? "unknown";
      wss.handleUpgrade(req, socket, head, (ws) => accept(ws, user, sourceIp));
    },
    close() {
      clearInterval(heartbeat);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
