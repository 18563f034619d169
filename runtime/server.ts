/**
 * The runtime's HTTP server: `POST /rpc/<method>` and WebSocket channels at
 * `/ws/<channel>`, all behind the shared key. Knows nothing of Docker: main.ts
 * hands it the method implementations and the channel table.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import type { z } from "zod";
import type { Listen } from "./env";
import { formatSeconds } from "./protocol/deadlines";
import { toRuntimeError } from "./engine/client";
import {
  type ErrorCode,
  type MethodName,
  type MethodResults,
  methodDeadlineMs,
  methods,
  RUNTIME_KEY_HEADER,
  type RpcReply,
  type RuntimeError,
} from "./protocol/index";

export type Handlers = {
  [M in MethodName]: (input: z.output<(typeof methods)[M]>) => Promise<MethodResults[M]>;
};

/** One entry per WebSocket channel: `"/ws/events": (ws) => …`. */
export type Channels = Record<string, (ws: WebSocket, req: http.IncomingMessage, url: URL) => void>;

export interface RuntimeServerOptions {
  listen: Listen;
  key: string;
  handlers: Handlers;
  channels: Channels;
  /** Plain HTTP streams by path prefix (e.g. `/export/containers/` → a tar), behind the same key. */
  routes?: Routes;
}

export type Routes = Record<string, (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => Promise<void>>;

export interface RuntimeServer {
  /** Where it listens, as shown to people: unix:/path or 127.0.0.1:port. */
  address: string;
  close(): Promise<void>;
}

/**
 * Above what the dashboard's own 1 MB cap on tRPC bodies can turn into once
 * re-encoded (escapes, defaults), and far below what would strain the runtime.
 */
export const MAX_BODY = 4 << 20;
/** An oversized body is read and thrown away up to this much, so the caller sees the 413; beyond it the socket is cut. */
const MAX_DISCARD = 64 << 20;
/** A subscriber this far behind is dropped; the dashboard reconnects and gets a fresh snapshot. */
const MAX_BUFFERED = 4 << 20;
const HTTP_STATUS: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  NOT_MODIFIED: 200,
  ENGINE_UNREACHABLE: 503,
  RUNTIME_UNAVAILABLE: 503,
  TIMEOUT: 504,
  PAYLOAD_TOO_LARGE: 413,
  INTERNAL: 500,
};

export async function startRuntimeServer(opts: RuntimeServerOptions): Promise<RuntimeServer> {
  // Hash both sides so timingSafeEqual gets equal lengths and the key length leaks nothing.
  const expected = createHash("sha256").update(opts.key).digest();
  const authorized = (req: http.IncomingMessage) => {
    const given = req.headers[RUNTIME_KEY_HEADER];
    if (typeof given !== "string") return false;
    return timingSafeEqual(createHash("sha256").update(given).digest(), expected);
  };

  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const server = http.createServer((req, res) => {
    if (!authorized(req)) return void sendJson(res, 401, fail("UNAUTHORIZED", `missing or wrong ${RUNTIME_KEY_HEADER}`));
    const url = requestUrl(req);
    if (!url) return void sendJson(res, 400, fail("BAD_REQUEST", "request path: not a valid path"));
    const route = Object.entries(opts.routes ?? {}).find(([prefix]) => url.pathname.startsWith(prefix));
    // Streams have their own error handling; anything that escapes it fails that request only.
    if (route) return void route[1](req, res, url).catch((err: unknown) => requestFailed(req, res, err));
    handleRequest(req, res, url, opts.handlers).catch((err: unknown) => requestFailed(req, res, err));
  });
  // Longer than the client's idle-socket timeout, so the client always closes first.
  server.keepAliveTimeout = 65_000;

  server.on("upgrade", (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!authorized(req)) return rejectUpgrade(socket, 401, "Unauthorized");
    const url = requestUrl(req);
    const channel = url && Object.hasOwn(opts.channels, url.pathname) ? opts.channels[url.pathname] : undefined;
    if (!url || !channel) return rejectUpgrade(socket, 404, "Not Found");
    wss.handleUpgrade(req, socket, head, (ws) => {
      // A peer vanishing mid-frame must not become an uncaught 'error'.
      ws.on("error", () => ws.terminate());
      try {
        channel(ws, req, url);
      } catch (err) {
        console.error(`berth runtime: channel ${url.pathname} failed to open: ${(err as Error)?.message ?? String(err)}`);
        ws.close(1011, "the runtime could not open this stream");
      }
    });
  });

  const address = await listen(server, opts.listen);
  process.on("unhandledRejection", onUnhandledRejection);
  let closing: Promise<void> | undefined;
  return {
    address,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        process.off("unhandledRejection", onUnhandledRejection);
        for (const ws of wss.clients) ws.close(1001, "runtime shutting down");
        wss.close();
        server.close(() => resolve());
        server.closeIdleConnections();
        // Clients that do not answer the close handshake promptly are cut off.
        setTimeout(() => {
          for (const ws of wss.clients) ws.terminate();
          server.closeAllConnections();
        }, 500).unref();
        if (opts.listen.kind === "unix") fs.rmSync(opts.listen.path, { force: true });
      })),
  };
}

/**
 * Returns a sender of JSON text frames that respects backpressure: rather than
 * buffering without bound for a slow reader, it drops the connection.
 */
export function frameSender(ws: WebSocket): (json: string) => void {
  return (json) => {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED) return void ws.terminate();
    ws.send(json);
  };
}

/** The request's URL; undefined for a target `new URL` refuses (`//host:bad`), which would otherwise throw in the listener. */
function requestUrl(req: http.IncomingMessage): URL | undefined {
  try {
    return new URL(req.url ?? "/", "http://runtime");
  } catch {
    return undefined;
  }
}

async function handleRequest(req: http.IncomingMessage, res: http.ServerResponse, url: URL, handlers: Handlers) {
  if (url.pathname === "/health" && req.method === "GET") return sendJson(res, 200, { ok: true });
  const m = /^\/rpc\/([a-zA-Z0-9_.-]+)$/.exec(url.pathname);
  if (!m) return sendJson(res, 404, fail("NOT_FOUND", `no such endpoint: ${req.method} ${url.pathname}`));
  if (req.method !== "POST") return sendJson(res, 405, fail("BAD_REQUEST", "RPC calls use POST"));
  const name = m[1];
  if (!Object.hasOwn(methods, name)) return sendJson(res, 404, fail("NOT_FOUND", `unknown method ${name}`));
  const method = name as MethodName;

  let body: unknown;
  try {
    const text = await readBody(req);
    body = text.trim() === "" ? {} : JSON.parse(text);
  } catch (err) {
    if (err instanceof BodyTooLarge) return sendTooLarge(req, res, err.message);
    return sendJson(res, 400, fail("BAD_REQUEST", `request body: ${(err as Error).message}`));
  }

  const parsed = methods[method].safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.map(String).join(".");
    const error: RuntimeError = {
      code: "BAD_REQUEST",
      message: field ? `${field}: ${issue.message}` : issue.message,
      ...(field ? { field } : {}),
    };
    return sendJson(res, 400, { ok: false, error } satisfies RpcReply<never>);
  }

  const deadline = methodDeadlineMs(method, parsed.data);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded(method, deadline)), deadline);
  });
  try {
    const handler = handlers[method] as (input: unknown) => Promise<unknown>;
    // The handler is not cancelled at the deadline (the engine may finish the work); its late outcome is dropped.
    const work = handler(parsed.data);
    work.catch(() => undefined);
    const result = await Promise.race([work, late]);
    sendJson(res, 200, { ok: true, result } satisfies RpcReply<unknown>);
  } catch (err) {
    const error = err instanceof DeadlineExceeded ? err.error : toRuntimeError(err);
    sendJson(res, HTTP_STATUS[error.code], { ok: false, error } satisfies RpcReply<never>);
  } finally {
    clearTimeout(timer);
  }
}

class DeadlineExceeded extends Error {
  readonly error: RuntimeError;
  constructor(method: string, ms: number) {
    const message = `${method} did not finish within ${formatSeconds(ms)}: the engine is not answering in time (it may still complete the request)`;
    super(message);
    this.error = { code: "TIMEOUT", message };
  }
}

class BodyTooLarge extends Error {}

function fail(code: ErrorCode, message: string): RpcReply<never> {
  return { ok: false, error: { code, message } };
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/**
 * 413 once the rest of the body has been read and dropped: answering while the
 * caller is still writing, then closing, hands it EPIPE instead of the answer.
 * A body beyond MAX_DISCARD is not worth reading: the socket is cut.
 */
function sendTooLarge(req: http.IncomingMessage, res: http.ServerResponse, message: string): void {
  let discarded = 0;
  req.on("data", (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > MAX_DISCARD) req.destroy();
  });
  const answer = () => sendJson(res, 413, fail("PAYLOAD_TOO_LARGE", message));
  if (req.readableEnded) return answer();
  req.on("end", answer);
  req.resume();
}

/** A request whose handling threw outside its own error handling: that request fails, the runtime keeps serving. */
function requestFailed(req: http.IncomingMessage, res: http.ServerResponse, err: unknown): void {
  console.error(`berth runtime: ${req.method} ${req.url?.slice(0, 200)} failed: ${(err as Error)?.message ?? String(err)}`);
  if (!res.headersSent) sendJson(res, 500, fail("INTERNAL", "the runtime could not complete this request"));
  else res.destroy();
}

/**
 * A promise rejected with nobody waiting for it: a fire-and-forget step of one call
 * or one stream (the throw unwound only that async function), so it is logged and
 * the runtime keeps serving. Node's default would end the process for it.
 * Synchronous uncaught exceptions keep the default (exit, and the supervisor restarts
 * the runtime): they can leave shared state half-updated.
 */
function onUnhandledRejection(reason: unknown): void {
  const text = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
  console.error(`berth runtime: unhandled rejection (the runtime keeps serving): ${text.slice(0, 500)}`);
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const tooLarge = () => new BodyTooLarge(`request body: larger than the runtime's limit of ${MAX_BODY >> 20} MB`);
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > MAX_BODY) return reject(tooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        req.off("data", onData);
        chunks.length = 0;
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  const body = JSON.stringify(fail(status === 401 ? "UNAUTHORIZED" : "NOT_FOUND", text));
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

async function listen(server: http.Server, where: Listen): Promise<string> {
  if (where.kind === "tcp") {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(where.port, where.host, () => resolve());
    });
    const port = (server.address() as net.AddressInfo).port;
    return `${where.host}:${port}`;
  }
  await removeStaleSocket(where.path);
  // A umask of 0177 makes the socket 0600 from its first instant; chmod is a second guard.
  const previous = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(where.path, () => resolve());
    });
  } finally {
    process.umask(previous);
  }
  fs.chmodSync(where.path, 0o600);
  return `unix:${where.path}`;
}

/** A socket file left by a killed runtime is removed; one a live runtime answers on is not. */
async function removeStaleSocket(socketPath: string): Promise<void> {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(socketPath);
  } catch {
    return;
  }
  if (!stat.isSocket()) throw new Error(`${socketPath} exists and is not a socket; not touching it`);
  const alive = await new Promise<boolean>((resolve) => {
    const probe = net.connect(socketPath);
    probe.once("connect", () => {
      probe.destroy();
      resolve(true);
    });
    probe.once("error", () => resolve(false));
  });
  if (alive) throw new Error(`another Berth runtime is already listening on ${socketPath}`);
  fs.rmSync(socketPath, { force: true });
}
