/**
 * Streams over the page's one WebSocket (app/_lib/live.tsx), addressed by a
 * stream id (`sid`): a view registers a handler, sends `{op, sid, …}`, and gets
 * the frames tagged with its sid. When the socket reconnects, every registered
 * stream is told so it can reopen (a log view resumes from its last line).
 */
import type { LogsBrowserFrame } from "../../server/realtime/channels/logs";

export type StreamFrame = LogsBrowserFrame;

interface Registered {
  onFrame: (frame: StreamFrame) => void;
  /** The socket is (again) open: send your open message now. */
  onOpen: () => void;
}

const streams = new Map<string, Registered>();
let socket: WebSocket | undefined;

export function attachLiveSocket(ws: WebSocket): void {
  socket = ws;
  for (const s of [...streams.values()]) s.onOpen();
}

export function detachLiveSocket(ws: WebSocket): void {
  if (socket === ws) socket = undefined;
}

/** Frames with a sid go to their stream; true when it was one. */
export function dispatchStreamFrame(frame: { type: string; sid?: string }): boolean {
  if (typeof frame.sid !== "string") return false;
  streams.get(frame.sid)?.onFrame(frame as StreamFrame);
  return true;
}

export function sendLive(message: object): boolean {
  if (!socket || socket.readyState !== WebSocket.OPEN) return false;
  socket.send(JSON.stringify(message));
  return true;
}

/** Registers a stream; if the socket is open, onOpen runs at once. Returns the unregister function. */
export function registerStream(sid: string, handlers: Registered): () => void {
  streams.set(sid, handlers);
  if (socket?.readyState === WebSocket.OPEN) handlers.onOpen();
  return () => {
    if (streams.get(sid) === handlers) streams.delete(sid);
  };
}

let counter = 0;
export function newSid(prefix = "s"): string {
  counter += 1;
  return `${prefix}${counter}-${Math.random().toString(36).slice(2, 8)}`;
}
