/**
 * The runtime's HTTP server: `POST /rpc/<method>`, WebSocket channels at
 * `/ws/<channel>` and plain HTTP routes (downloads), all behind the shared key.
 * Knows nothing of Docker nor of any capability: main.ts hands it the joined
 * tables of the capabilities, how to word an error, and each call's deadline.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { formatSeconds } from "./protocol/deadlines";
import type { ErrorCode, RuntimeError } from "./protocol/errors";
import type { MethodTable } from "./protocol/registry";
import { RUNTIME_KEY_HEADER, type RpcReply } from "./protocol/rpc";
import { firstIssue } from "./protocol/zod-issues";

export type Listen = { kind: "unix"; path: string } | { kind: "tcp"; host: "127.0.0.1"; port: number };

/** Method name → its implementation, called with the input its schema has parsed. */
export type Handlers = Record<string, (input: never) => Promise<unknown>>;

/** One entry per WebSocket channel: `"/ws/events": (ws) => …`. */
export type Channels = Record<string, (ws: WebSocket, req: http.IncomingMessage, url: URL) => void>;

export interface RuntimeServerOptions {
  listen: Listen;
  key: string;
  /** Method name → input schema; a method not in it is a 404. */
  methods: MethodTable;
  handlers: Handlers;
  channels: Channels;
  /** Plain HTTP streams by path prefix (e.g. `/export/containers/` → a tar), behind the same key. */
  routes?: Routes;
  /** Any error a handler throws, in the protocol's words (the engine's error mapping). */
  toError: (err: unknown) => RuntimeError;
  /** How long a call may take before it is answered TIMEOUT (ms). */
  deadlineMs: (method: string, input: unknown) => number;
}

/**
 * A plain HTTP stream: a download (GET, the default) or an upload whose body is
 * piped on as it comes (`methods: ["PUT"]`, e.g. `docker load` or a file copied
 * into a container). The route reads or discards the body itself.
 */
export type Route = ((req: http.IncomingMessage, res: http.ServerResponse, url: URL) => Promise<void>) & { methods?: readonly string[] };
export type Routes = Record<string, Route>;

/** A route taking these methods instead of GET alone (an upload, or both). */
export function routeWithMethods(methods: readonly string[], handle: (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => Promise<void>): Route {
  return Object.assign(handle, { methods });
}

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
    const route = url.pathname === "/health" || url.pathname.startsWith("/rpc/") ? undefined : routeFor(opts.routes ?? {}, url.pathname);
    // Routes are downloads (GET) unless they declare their methods; refused here for every route alike.
    const allowed = route?.methods ?? ["GET"];
    if (route && !allowed.includes(req.method ?? "")) {
      res.setHeader("allow", allowed.join(", "));
      return void answerAfterBody(req, res, 405, fail("BAD_REQUEST", `${url.pathname.split("/").slice(0, 3).join("/")}: use ${allowed.join(" or ")}`));
    }
    // Streams have their own error handling; anything that escapes it (thrown or rejected) fails that request only.
    const work = route ? (async () => route(req, res, url))() : handleRequest(req, res, url, opts);
    work.catch((err: unknown) => requestFailed(req, res, err));
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

/** The route with the longest prefix of `pathname`, so `/logs/history/download` is not taken by `/logs/`. */
function routeFor(routes: Routes, pathname: string): Routes[string] | undefined {
  let best: string | undefined;
  for (const prefix of Object.keys(routes)) {
    if (pathname.startsWith(prefix) && (best === undefined || prefix.length > best.length)) best = prefix;
  }
  return best === undefined ? undefined : routes[best];
}

/** The request's URL; undefined for a target `new URL` refuses (`//host:bad`), which would otherwise throw in the listener. */
function requestUrl(req: http.IncomingMessage): URL | undefined {
  try {
    return new URL(req.url ?? "/", "http://runtime");
  } catch {
    return undefined;
  }
}

async function handleRequest(req: http.IncomingMessage, res: http.ServerResponse, url: URL, opts: RuntimeServerOptions) {
  if (url.pathname === "/health" && req.method === "GET") return answerAfterBody(req, res, 200, { ok: true });
  const m = /^\/rpc\/([a-zA-Z0-9_.-]+)$/.exec(url.pathname);
  if (!m) return answerAfterBody(req, res, 404, fail("NOT_FOUND", `no such endpoint: ${req.method} ${url.pathname}`));
  if (req.method !== "POST") return answerAfterBody(req, res, 405, fail("BAD_REQUEST", "RPC calls use POST"));
  const method = m[1];
  if (!Object.hasOwn(opts.methods, method)) return answerAfterBody(req, res, 404, fail("NOT_FOUND", `unknown method ${method}`));

  let body: unknown;
  try {
    const text = await readBody(req);
    body = text.trim() === "" ? {} : JSON.parse(text);
  } catch (err) {
    if (err instanceof BodyTooLarge) return answerAfterBody(req, res, 413, fail("PAYLOAD_TOO_LARGE", err.message));
    return sendJson(res, 400, fail("BAD_REQUEST", `request body: ${(err as Error).message}`));
  }

  const parsed = opts.methods[method].safeParse(body);
  if (!parsed.success) {
    const error: RuntimeError = { code: "BAD_REQUEST", ...firstIssue(parsed.error) };
    return sendJson(res, 400, { ok: false, error } satisfies RpcReply<never>);
  }

  const deadline = opts.deadlineMs(method, parsed.data);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded(method, deadline)), deadline);
  });
  try {
    const handler = opts.handlers[method] as (input: unknown) => Promise<unknown>;
    // The handler is not cancelled at the deadline (the engine may finish the work); its late outcome is dropped.
    const work = handler(parsed.data);
    work.catch(() => undefined);
    const result = await Promise.race([work, late]);
    sendJson(res, 200, { ok: true, result } satisfies RpcReply<unknown>);
  } catch (err) {
    const error = err instanceof DeadlineExceeded ? err.error : opts.toError(err);
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

/** A JSON answer with its length; nothing once an answer has begun. */
export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/**
 * Answers once the rest of the request body has been read and dropped: answering
 * while the caller is still writing, then closing, hands it EPIPE instead of the
 * answer. A body beyond MAX_DISCARD is not worth reading: the socket is cut.
 * Every answer given without reading the body (RPC refusals, failed routes) goes through here.
 */
function answerAfterBody(req: http.IncomingMessage, res: http.ServerResponse, status: number, body: unknown): void {
  const answer = () => sendJson(res, status, body);
  if (req.readableEnded || req.destroyed) return answer();
  // A route may have piped the body somewhere (an upload's spool): from here on it is only drained.
  req.unpipe();
  let discarded = 0;
  req.on("data", (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > MAX_DISCARD) req.destroy();
  });
  req.on("end", answer);
  req.on("close", answer);
  req.resume();
}

/** The JSON shape and status of every route refusal (`{ok:false, error}`), after the rest of an upload is drained; mid-answer, the connection is cut. */
export function refuseRoute(req: http.IncomingMessage, res: http.ServerResponse, error: RuntimeError): void {
  if (res.headersSent) return void res.destroy();
  answerAfterBody(req, res, HTTP_STATUS[error.code], { ok: false, error });
}

/**
 * A request whose handling threw outside its own error handling: that request
 * fails with a 500 INTERNAL (or, once its answer has begun, a cut connection),
 * and the runtime keeps serving.
 */
function requestFailed(req: http.IncomingMessage, res: http.ServerResponse, err: unknown): void {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  console.error(`berth runtime: ${req.method} ${req.url?.slice(0, 200)} failed: ${text.slice(0, 500)}`);
  if (res.headersSent) return void res.destroy();
  answerAfterBody(req, res, 500, fail("INTERNAL", "the runtime could not complete this request"));
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
