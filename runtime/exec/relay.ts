/**
 * Relays one terminal between the engine's hijacked stream and the caller's
 * WebSocket, for `/ws/exec` and `/ws/attach` alike: binary frames are raw bytes
 * both ways, text frames are JSON control (in) and status (out).
 *
 * Reading is paused (so the engine's stream, then the process, waits; nothing is
 * buffered without bound) while the caller asked for it (`pause`, a terminal that
 * has not drawn what it got) or while the caller's socket holds more than
 * HIGH_WATER unsent bytes; it resumes when neither holds.
 */
import type { Readable, Writable } from "node:stream";
import type { WebSocket } from "ws";
import { firstIssue } from "../protocol/zod-issues";
import { type TerminalControl, terminalControlSchema, type TerminalFrame } from "./protocol";

const HIGH_WATER = 1 << 20;
const LOW_WATER = 256 * 1024;
const POLL_MS = 10;

export interface RelayHooks {
  /** Output to the caller (stdout and stderr merged for a non-TTY attach). */
  output: Readable;
  /** The process's stdin. */
  input: Writable;
  resize(cols: number, rows: number): Promise<void>;
  /** The output ended by itself: the frame that says how (exit code). */
  ended(): Promise<TerminalFrame>;
  /** The caller went away first (socket closed): end what it left behind. */
  abandoned(): void;
}

export function sendStatus(ws: WebSocket, frame: TerminalFrame): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
}

export function relay(ws: WebSocket, hooks: RelayHooks): void {
  let callerPaused = false;
  let socketFull = false;
  let over = false;
  let poll: NodeJS.Timeout | undefined;
  const apply = () => {
    if (callerPaused || socketFull) hooks.output.pause();
    else hooks.output.resume();
  };
  const watch = () => {
    poll ??= setInterval(() => {
      if (ws.readyState !== ws.OPEN || ws.bufferedAmount < LOW_WATER) {
        clearInterval(poll);
        poll = undefined;
        socketFull = false;
        apply();
      }
    }, POLL_MS);
  };

  hooks.output.on("data", (chunk: Buffer) => {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(chunk, { binary: true });
    if (!socketFull && ws.bufferedAmount > HIGH_WATER) {
      socketFull = true;
      apply();
      watch();
    }
  });
  // An engine stream error ends this terminal only, never the runtime.
  hooks.output.on("error", () => finish());
  hooks.input.on("error", () => undefined);
  hooks.output.on("end", () => finish());
  hooks.output.on("close", () => finish());

  function finish() {
    if (over) return;
    over = true;
    clearInterval(poll);
    if (ws.readyState !== ws.OPEN) return;
    hooks.ended().then(
      (frame) => sendStatus(ws, frame),
      () => sendStatus(ws, { type: "exit", code: null }),
    ).finally(() => ws.close(1000));
  }

  ws.on("message", (data, isBinary) => {
    const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    if (isBinary) {
      if (!over && hooks.input.writable) hooks.input.write(buf);
      return;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(buf.toString("utf8"));
    } catch {
      return sendStatus(ws, { type: "error", code: "BAD_REQUEST", message: "control: must be JSON", field: "control" });
    }
    const parsed = terminalControlSchema.safeParse(raw);
    if (!parsed.success) {
      const problem = firstIssue(parsed.error, "control");
      return sendStatus(ws, { type: "error", code: "BAD_REQUEST", message: problem.message, field: problem.field ? `control.${problem.field}` : "control" });
    }
    control(parsed.data);
  });

  function control(msg: TerminalControl) {
    if (msg.type === "resize") {
      hooks.resize(msg.cols, msg.rows).catch(() => undefined);
      return;
    }
    callerPaused = msg.type === "pause";
    apply();
  }

  ws.on("close", () => {
    clearInterval(poll);
    if (over) return;
    over = true;
    hooks.output.destroy();
    hooks.input.destroy();
    hooks.abandoned();
  });
  // The output was held until now (the process sized first): start reading.
  apply();
}
