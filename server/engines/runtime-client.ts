/**
 * The dashboard's typed client for the runtime: RPC calls over HTTP and stream
 * channels over WebSocket, on the runtime's unix socket (or 127.0.0.1:port),
 * always with the shared key. Every failure is a RuntimeCallError carrying a
 * protocol code, so server/errors.ts can map it without knowing HTTP.
 */
import http from "node:http";
import WebSocket from "ws";
import {
  type ChannelFrames,
  type ChannelName,
  DASHBOARD_MARGIN_MS,
  methodDeadlineMs,
  type MethodInput,
  type MethodName,
  type MethodResults,
  RUNTIME_KEY_HEADER,
  type RpcReply,
  type RuntimeError,
} from "../../runtime/protocol/index";

export type RuntimeTarget = { socketPath: string } | { host: string; port: number };
export type RuntimeClientOptions = RuntimeTarget & {
  key: string;
  /** How often a subscription pings the runtime; no pong by the next ping ends the connection (default 15 s). */
  heartbeatMs?: number;
};

export class RuntimeCallError extends Error {
  readonly code: RuntimeError["code"];
  readonly field?: string;
  readonly dockerStatus?: number;
  /** The HTTP status the runtime answered with, when it answered at all. */
  readonly status?: number;
  readonly error: RuntimeError;
  constructor(error: RuntimeError, opts: { status?: number; cause?: unknown } = {}) {
    super(error.message, { cause: opts.cause });
    this.name = "RuntimeCallError";
    this.error = error;
    this.code = error.code;
    this.field = error.field;
    this.dockerStatus = error.dockerStatus;
    this.status = opts.status;
  }
}

export interface Subscription {
  close(): void;
}

export interface CallOptions {
  /**
   * How long to wait for the runtime's answer before reporting it as not answering.
   * Default: the runtime's own deadline for this call (runtime/protocol/deadlines.ts) plus a
   * margin, so a slow engine is reported by the runtime and a stuck runtime by us.
   */
  timeoutMs?: number;
}

export interface RuntimeClient {
  call<M extends MethodName>(method: M, input: MethodInput<M>, options?: CallOptions): Promise<MethodResults[M]>;
  /**
   * GET /health on the runtime: resolves when it answers within `timeoutMs`, rejects
   * with a RuntimeCallError (RUNTIME_UNAVAILABLE) saying whether it is not running or not answering.
   */
  ping(timeoutMs?: number): Promise<void>;
  /**
   * Keeps `/ws/<channel>` open, reconnecting every 0.5–1 s while it is down.
   * onState reports changes only; `detail` says why a connection failed.
   */
  subscribe<C extends ChannelName>(
    channel: C,
    onFrame: (frame: ChannelFrames[C]) => void,
    onState?: (connected: boolean, detail?: string) => void,
  ): Subscription;
  /**
   * A plain GET on one of the runtime's HTTP streams (e.g. `/export/containers/<id>`);
   * resolves with the response as soon as its head arrives, for the caller to pipe.
   */
  get(path: string, options?: CallOptions): Promise<http.IncomingMessage>;
  /**
   * An upload to one of the runtime's HTTP routes (e.g. `PUT /images/load`):
   * `body` is piped as it comes, never held; resolves with the response when its
   * head arrives (usually once the body is consumed). No deadline unless
   * `timeoutMs` is given: an upload may rightly take long. A body that fails
   * (the browser went away) aborts the request.
   */
  upload(path: string, body: NodeJS.ReadableStream, options?: UploadOptions): Promise<http.IncomingMessage>;
  /**
   * Opens one stream (`/ws/<channel>?p=<json params>`), e.g. a log view; no
   * reconnect: the caller decides (a log view resumes from its last line).
   * Frames are handed over as JSON bytes so a relay need not parse them.
   */
  stream(channel: ChannelName, params: unknown, handlers: StreamHandlers): OpenStream;
  close(): void;
}

export interface UploadOptions {
  method?: "PUT" | "POST";
  /** e.g. content-type, content-length; the shared key is added. */
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export interface StreamHandlers {
  /** One frame's JSON as UTF-8 bytes: a relay passes them on without decoding and re-encoding. */
  onFrame: (json: Buffer) => void;
  /** Once, when the stream is over; `detail` says why when it did not end normally. */
  onClose: (detail?: string) => void;
  /** A binary frame (terminal bytes); a stream without it drops them. */
  onBinary?: (data: Buffer) => void;
}

export interface OpenStream {
  close(): void;
  /** Stops reading frames (TCP backpressure reaches the runtime, which then skips). */
  pause(): void;
  resume(): void;
  /** Sends one frame to the runtime (terminal input as binary, control as JSON text); held until the socket opens; false once it is closing. */
  send(data: Buffer | string, binary: boolean): boolean;
}

const NOT_RUNNING = "Berth runtime is not running";
/** A download's head (not its body) and a ping. */
const GET_HEAD_TIMEOUT_MS = 30_000;
const PING_TIMEOUT_MS = 2_000;

const notAnswering = (ms: number) =>
  new RuntimeCallError({ code: "RUNTIME_UNAVAILABLE", message: `Berth runtime is not answering (no reply within ${formatWait(ms)})` });

function formatWait(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`.replace(/\.0 s$/, " s");
}

export function runtimeClient(opts: RuntimeClientOptions): RuntimeClient {
  // Idle sockets close after 30 s, before the runtime's 65 s keep-alive timeout,
  // so a reused socket is almost never one the runtime is closing.
  const agent = new http.Agent({ keepAlive: true, timeout: 30_000 });
  const target = "socketPath" in opts ? { socketPath: opts.socketPath } : { host: opts.host, port: opts.port };
  const subscriptions = new Set<Subscription>();
  const heartbeatMs = opts.heartbeatMs ?? 15_000;

  /**
   * Rejects with "not answering" unless `req` gets its whole answer within `ms`:
   * the request is abandoned (destroyed) then, and its late errors are ignored.
   */
  function withDeadline(req: http.ClientRequest, ms: number, reject: (err: unknown) => void): { done(): void; expired(): boolean } {
    let expired = false;
    const timer = setTimeout(() => {
      expired = true;
      reject(notAnswering(ms));
      req.destroy();
    }, ms);
    timer.unref();
    return { done: () => clearTimeout(timer), expired: () => expired };
  }

  function post(method: string, body: string, timeoutMs: number, retried = false): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const req = http.request({
        ...target,
        agent,
        method: "POST",
        path: `/rpc/${method}`,
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          [RUNTIME_KEY_HEADER]: opts.key,
        },
      });
      const deadline = withDeadline(req, timeoutMs, reject);
      req.on("response", (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", (err) => reject(unavailable(err)));
        res.on("end", () => {
          deadline.done();
          const status = res.statusCode ?? 0;
          let reply: RpcReply<unknown>;
          try {
            reply = JSON.parse(Buffer.concat(chunks).toString("utf8")) as RpcReply<unknown>;
          } catch {
            return reject(new RuntimeCallError({ code: "INTERNAL", message: `runtime answered HTTP ${status} without a reply` }, { status }));
          }
          if (reply.ok) resolve(reply.result);
          else reject(new RuntimeCallError(reply.error, { status }));
        });
      });
      req.on("error", (err: NodeJS.ErrnoException) => {
        // A kept-alive socket the runtime closed just as we reused it: the request
        // never reached the runtime, so sending it again is safe.
        deadline.done();
        if (!retried && !deadline.expired() && req.reusedSocket && err.code === "ECONNRESET") {
          post(method, body, timeoutMs, true).then(resolve, reject);
          return;
        }
        reject(unavailable(err));
      });
      req.end(body);
    });
  }

  return {
    call<M extends MethodName>(method: M, input: MethodInput<M>, options?: CallOptions): Promise<MethodResults[M]> {
      const timeoutMs = options?.timeoutMs ?? methodDeadlineMs(method, input) + DASHBOARD_MARGIN_MS;
      return post(method, JSON.stringify(input ?? {}), timeoutMs) as Promise<MethodResults[M]>;
    },

    ping(timeoutMs = PING_TIMEOUT_MS): Promise<void> {
      return new Promise((resolve, reject) => {
        // Its own socket: a pooled one could be queued behind a slow call.
        const req = http.request({ ...target, method: "GET", path: "/health", headers: { [RUNTIME_KEY_HEADER]: opts.key } });
        const deadline = withDeadline(req, timeoutMs, reject);
        req.on("response", (res) => {
          res.resume();
          res.on("end", () => {
            deadline.done();
            if (res.statusCode === 200) resolve();
            else reject(new RuntimeCallError({ code: "RUNTIME_UNAVAILABLE", message: `Berth runtime answered HTTP ${res.statusCode} to a health check` }, { status: res.statusCode }));
          });
        });
        req.on("error", (err: NodeJS.ErrnoException) => {
          deadline.done();
          reject(unavailable(err));
        });
        req.end();
      });
    },

    subscribe<C extends ChannelName>(
      channel: C,
      onFrame: (frame: ChannelFrames[C]) => void,
      onState?: (connected: boolean, detail?: string) => void,
    ): Subscription {
      const url =
        "socketPath" in target
          ? `ws+unix://${target.socketPath}:/ws/${channel}`
          : `ws://${target.host}:${target.port}/ws/${channel}`;
      let ws: WebSocket | undefined;
      let timer: NodeJS.Timeout | undefined;
      let closed = false;
      let connected: boolean | undefined;
      const setState = (next: boolean, detail?: string) => {
        if (connected === next) return;
        connected = next;
        onState?.(next, detail);
      };

      const connect = () => {
        let failure: string | undefined;
        const socket = new WebSocket(url, {
          headers: { [RUNTIME_KEY_HEADER]: opts.key },
          perMessageDeflate: false,
          handshakeTimeout: 5_000,
        });
        ws = socket;
        heartbeat(socket, heartbeatMs, () => false, (why) => (failure = why));
        socket.on("open", () => setState(true));
        socket.on("message", (data, isBinary) => {
          if (isBinary) return;
          let frame: ChannelFrames[C];
          try {
            frame = JSON.parse(data.toString()) as ChannelFrames[C];
          } catch {
            return;
          }
          onFrame(frame);
        });
        socket.on("error", (err: NodeJS.ErrnoException) => {
          failure = isUnreachable(err) ? NOT_RUNNING : err.message;
        });
        socket.on("close", () => {
          if (ws === socket) ws = undefined;
          setState(false, failure);
          if (!closed) timer = setTimeout(connect, 500 + Math.floor(Math.random() * 500));
        });
      };

      connect();
      const sub: Subscription = {
        close() {
          closed = true;
          clearTimeout(timer);
          ws?.close(1000);
          subscriptions.delete(sub);
        },
      };
      subscriptions.add(sub);
      return sub;
    },

    get(path: string, options?: CallOptions): Promise<http.IncomingMessage> {
      return new Promise((resolve, reject) => {
        // Its own socket (no agent): a long download must not hold a pooled one.
        const req = http.request({ ...target, method: "GET", path, headers: { [RUNTIME_KEY_HEADER]: opts.key } });
        // The deadline is for the head only: the body may rightly take long.
        const deadline = withDeadline(req, options?.timeoutMs ?? GET_HEAD_TIMEOUT_MS, reject);
        req.on("response", (res) => {
          deadline.done();
          resolve(res);
        });
        req.on("error", (err: NodeJS.ErrnoException) => {
          deadline.done();
          reject(unavailable(err));
        });
        req.end();
      });
    },

    upload(path: string, body: NodeJS.ReadableStream, options?: UploadOptions): Promise<http.IncomingMessage> {
      return new Promise((resolve, reject) => {
        const req = http.request({ ...target, method: options?.method ?? "PUT", path, headers: { ...options?.headers, [RUNTIME_KEY_HEADER]: opts.key } });
        const deadline = options?.timeoutMs ? withDeadline(req, options.timeoutMs, reject) : undefined;
        req.on("response", (res) => {
          deadline?.done();
          resolve(res);
        });
        req.on("error", (err: NodeJS.ErrnoException) => {
          deadline?.done();
          reject(unavailable(err));
        });
        body.on("error", (err) => req.destroy(err));
        // The browser went away mid-upload: do not leave the runtime waiting for the rest.
        body.on("aborted", () => req.destroy(new Error("the upload was cut off")));
        body.pipe(req);
      });
    },

    stream(channel, params, handlers): OpenStream {
      const q = `/ws/${channel}?p=${encodeURIComponent(JSON.stringify(params))}`;
      const url = "socketPath" in target ? `ws+unix://${target.socketPath}:${q}` : `ws://${target.host}:${target.port}${q}`;
      // The runtime's JSON is relayed as is; the browser validates what it reads, so a second UTF-8 pass here is waste.
      const socket = new WebSocket(url, {
        headers: { [RUNTIME_KEY_HEADER]: opts.key },
        perMessageDeflate: false,
        handshakeTimeout: 5_000,
        skipUTF8Validation: true,
      });
      let failure: string | undefined;
      socket.on("message", (data, isBinary) => {
        const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
        try {
          if (isBinary) handlers.onBinary?.(buf);
          else handlers.onFrame(buf);
        } catch (err) {
          // A relay's failure ends its own stream, never the dashboard (a throw here would reach no handler).
          failure = `the dashboard could not relay this stream: ${(err as Error)?.message ?? String(err)}`;
          console.error(`[berth] ${channel} stream: ${failure}`);
          socket.terminate();
        }
      });
      socket.on("error", (err: NodeJS.ErrnoException) => {
        failure = isUnreachable(err) ? NOT_RUNNING : err.message;
      });
      socket.on("close", (code) => handlers.onClose(failure ?? (code === 1000 ? undefined : `closed (${code})`)));
      // ws ignores pause() before the socket is open: remember it and apply it then.
      let paused = false;
      // Frames sent before the socket opened (a terminal's first keys): at most what one page frame may carry, in order.
      const early: [Buffer | string, boolean][] = [];
      let earlyBytes = 0;
      socket.on("open", () => {
        for (const [data, binary] of early.splice(0)) socket.send(data, { binary });
        if (paused) socket.pause();
      });
      // While paused nothing is read, pongs included: the reader is slow, not the runtime.
      heartbeat(socket, heartbeatMs, () => paused, (why) => (failure = why));
      return {
        close: () => (socket.readyState === socket.CONNECTING ? socket.terminate() : socket.close(1000)),
        pause: () => {
          paused = true;
          socket.pause();
        },
        resume: () => {
          paused = false;
          socket.resume();
        },
        send: (data, binary) => {
          if (socket.readyState === socket.CONNECTING) {
            earlyBytes += data.length;
            if (earlyBytes > 1 << 20) return false;
            early.push([data, binary]);
            return true;
          }
          if (socket.readyState !== socket.OPEN) return false;
          socket.send(data, { binary });
          return true;
        },
      };
    },

    close() {
      for (const sub of [...subscriptions]) sub.close();
      agent.destroy();
    },
  };
}

/**
 * A runtime that stops answering (blocked, stopped) keeps its sockets open: only a
 * missed pong shows it. Pings every `ms`; no pong (or frame) by the next one ends the
 * connection, after `onDead` has recorded why.
 */
function heartbeat(socket: WebSocket, ms: number, paused: () => boolean, onDead: (why: string) => void): void {
  let answered = true;
  const beat = setInterval(() => {
    if (socket.readyState !== socket.OPEN) return;
    if (paused()) {
      answered = true;
      return;
    }
    if (!answered) {
      onDead(`Berth runtime is not answering (no reply within ${formatWait(ms)})`);
      return void socket.terminate();
    }
    answered = false;
    socket.ping();
  }, ms);
  beat.unref();
  socket.on("pong", () => (answered = true));
  socket.on("message", () => (answered = true));
  socket.on("close", () => clearInterval(beat));
}

function isUnreachable(err: NodeJS.ErrnoException): boolean {
  return ["ENOENT", "ECONNREFUSED", "ECONNRESET", "EPIPE", "EACCES", "ETIMEDOUT"].includes(err.code ?? "")
    || err.message === "socket hang up";
}

function unavailable(err: NodeJS.ErrnoException): RuntimeCallError {
  const detail = isUnreachable(err) ? "" : ` (${err.message})`;
  return new RuntimeCallError({ code: "RUNTIME_UNAVAILABLE", message: NOT_RUNNING + detail }, { cause: err });
}
