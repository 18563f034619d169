/**
 * A log stream read from the engine on a socket of its own, as HTTP/1.0.
 *
 * Why not docker-modem's request: to an HTTP/1.1 client, dockerd answers a
 * follow stream in chunked encoding and flushes after every log message, so a
 * flood arrives as one tiny HTTP chunk per line, and node's HTTP parser calls
 * back (a Buffer, a stream push, a 'data' event) per line: measured, half of
 * the runtime's CPU under a flood. An HTTP/1.0 client gets the body as is,
 * until the engine closes the connection. Still, dockerd writes one message
 * per syscall, and a reader as fast as it reads each on its own (a read, a
 * Buffer, an event per line): so in a flood (over FLOOD_BYTES within
 * FLOOD_WINDOW_MS, 1.6 MB/s), after a read that did not fill the buffer we rest
 * READ_REST_MS before reading again, and the next read takes everything
 * written meanwhile (hundreds of lines). Below that rate every line is read
 * as it comes: a resting reader added a millisecond to most lines of a burst.
 * Unix sockets and plain TCP; other transports (TLS, ssh) return false and
 * the caller uses the modem.
 */
import { EventEmitter } from "node:events";
import net from "node:net";
import type Docker from "dockerode";

export interface BodyStream {
  on(event: "data", listener: (chunk: Buffer) => void): this;
  on(event: "end" | "close", listener: () => void): this;
  on(event: "error", listener: (err: Error) => void): this;
  pause(): void;
  resume(): void;
  destroy(): void;
}

interface ModemFields {
  socketPath?: string;
  host?: string;
  port?: number | string;
  protocol?: string;
  version?: string;
}

/** An engine error shaped like docker-modem's, so toRuntimeError reads it the same way. */
interface HttpError extends Error {
  statusCode: number;
  reason?: string;
  json?: unknown;
}

const HEADER_END = Buffer.from("\r\n\r\n");
const MAX_HEADER = 64 * 1024;
const READ_SIZE = 64 * 1024;
const READ_REST_MS = 1;
const FLOOD_WINDOW_MS = 10;
const FLOOD_BYTES = 16 * 1024;

class Body extends EventEmitter implements BodyStream {
  private held?: Buffer;
  private paused = false;
  private resting = false;
  private windowStart = 0;
  private windowBytes = 0;
  /** The last window was a flood: rest from its first read on. */
  private flooding = false;

  /** `socket` reads into its own buffer (`onread`), so pause() stops reading at once. */
  constructor(private readonly socket: net.Socket) {
    super();
  }

  deliver(chunk: Buffer, full: boolean): void {
    if (this.paused || this.held) this.held = this.held ? Buffer.concat([this.held, chunk]) : chunk;
    else this.emit("data", chunk);
    const now = performance.now();
    if (now - this.windowStart > FLOOD_WINDOW_MS) {
      // A window that ended long ago says nothing about now.
      this.flooding = this.windowBytes > FLOOD_BYTES && now - this.windowStart < 2 * FLOOD_WINDOW_MS;
      this.windowStart = now;
      this.windowBytes = 0;
    }
    this.windowBytes += chunk.length;
    if (full || this.resting) return;
    if (this.flooding || this.windowBytes > FLOOD_BYTES) {
      this.resting = true;
      this.socket.pause();
      setTimeout(() => {
        this.resting = false;
        if (!this.paused) this.socket.resume();
      }, READ_REST_MS);
    }
  }

  pause(): void {
    this.paused = true;
    this.socket.pause();
  }

  resume(): void {
    this.paused = false;
    const held = this.held;
    if (held) {
      this.held = undefined;
      this.emit("data", held);
      if (this.paused) return;
    }
    if (!this.resting) this.socket.resume();
  }

  destroy(): void {
    this.socket.destroy();
  }
}

function connect(m: ModemFields, onread: (n: number, buf: Buffer) => boolean): net.Socket | undefined {
  const read = { buffer: Buffer.allocUnsafe(READ_SIZE), callback: onread };
  if (m.socketPath && typeof m.socketPath === "string") return net.connect({ path: m.socketPath, onread: read });
  const port = Number(m.port);
  if (!m.host || !Number.isInteger(port)) return undefined;
  if (m.protocol === "http") return net.connect({ host: m.host, port, onread: read });
  return undefined;
}

/**
 * GET `path` (e.g. `/containers/<id>/logs`) with `query`; calls back once with
 * the body stream (status 200) or an error. Listen (or pause) in the callback
 * itself: bytes that came with the header follow right after it. Returns false
 * when this transport is not supported here (nothing was started).
 */
export function engineStream(
  docker: Docker,
  path: string,
  query: Record<string, string | number | boolean>,
  callback: (err: unknown, body?: BodyStream) => void,
): boolean {
  const m = docker.modem as unknown as ModemFields;
  // Where the bytes go: the header parser, then the body (or an error's text).
  let onBytes: (chunk: Buffer, full: boolean) => void = (chunk) => onHead(chunk);
  // `onread` reuses its buffer: copy what we keep (one copy per read, not per line).
  const socket = connect(m, (n, buf) => {
    onBytes(Buffer.from(buf.subarray(0, n)), n === buf.length);
    return true;
  });
  if (!socket) return false;
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
  const host = m.socketPath ? "docker" : m.host!.includes(":") ? `[${m.host}]` : m.host!;
  socket.write(`GET ${m.version ? `/${m.version}` : ""}${path}?${qs} HTTP/1.0\r\nHost: ${host}\r\nUser-Agent: berth\r\n\r\n`);

  let done = false;
  const finish = (err: unknown, body?: BodyStream) => {
    if (done) return;
    done = true;
    callback(err, body);
  };
  let head: Buffer = Buffer.alloc(0);
  const onError = (err: Error) => finish(err);
  const onClose = () => finish(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }));
  const onHead = (chunk: Buffer) => {
    head = head.length ? Buffer.concat([head, chunk]) : chunk;
    const end = head.indexOf(HEADER_END);
    if (end < 0) {
      if (head.length > MAX_HEADER) {
        socket.destroy();
        finish(new Error("the engine sent an oversized HTTP header"));
      }
      return;
    }
    const lines = head.toString("latin1", 0, end).split("\r\n");
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0])?.[1] ?? 0);
    const chunked = lines.some((l) => /^transfer-encoding:\s*chunked/i.test(l));
    const rest = head.subarray(end + HEADER_END.length);
    if (status === 200 && chunked) {
      // HTTP/1.1 forbids it in an answer to HTTP/1.0; a proxy in between might still.
      socket.destroy();
      return finish(Object.assign(new Error("the engine answered in chunked encoding"), { statusCode: 502, reason: "unexpected chunked answer" }));
    }
    if (status === 200) {
      socket.off("error", onError);
      socket.off("close", onClose);
      const body = new Body(socket);
      onBytes = (c, full) => body.deliver(c, full);
      socket.on("end", () => body.emit("end"));
      socket.on("close", () => body.emit("close"));
      socket.on("error", (e) => body.listenerCount("error") > 0 && body.emit("error", e));
      finish(null, body);
      if (rest.length) body.deliver(rest, false);
      return;
    }
    // An error answer: read its (short) body for the engine's message.
    const parts = [rest];
    onBytes = (c) => void parts.push(c);
    socket.once("end", () => {
      socket.destroy();
      const text = Buffer.concat(parts).toString("utf8");
      let json: unknown = text;
      try {
        json = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      const reason = status === 404 ? "no such container" : status === 500 ? "server error" : "unexpected";
      const message = typeof json === "object" && json && "message" in json ? String((json as { message: unknown }).message) : text;
      finish(Object.assign(new Error(`(HTTP code ${status}) ${reason} - ${message}`), { statusCode: status, reason, json }) as HttpError);
    });
  };
  socket.on("error", onError);
  socket.on("close", onClose);
  return true;
}
