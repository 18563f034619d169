/**
 * Subscriptions over the page's one WebSocket (app/_lib/live.tsx), in the
 * protocol of server/realtime/protocol.ts: a view opens a subscription to a
 * channel of an environment and gets that subscription's frames. When the
 * socket (re)opens, every open subscription is sent again, with the params
 * its view gives at that moment (a log view resumes after its last line).
 */
import type {
  ChannelFrame,
  ChannelName,
  ChannelParamsInput,
  ClientMessage,
  ErrorFrame,
  ServerFrame,
  SubscribeMessage,
} from "../../server/realtime/protocol";
import { decodeBinaryFrame, encodeBinaryFrame } from "../../server/realtime/binary-frame";

export interface StreamHandlers<C extends ChannelName> {
  /** The params to subscribe with, asked at every (re)subscribe. */
  params(): ChannelParamsInput<C>;
  onFrame(data: ChannelFrame<C>): void;
  /** Raw bytes of this subscription (a terminal's output), from binary frames. */
  onBinary?(data: Uint8Array): void;
  /** The dashboard refused or ended the subscription; `closed` follows. */
  onError?(error: ErrorFrame): void;
  /** The subscription is over; `detail` when it did not end normally (resubscribe to resume). */
  onClosed?(detail?: string): void;
}

/**
 * Errors that end when Berth's runtime or the engine comes back: a view subscribes
 * again after them. Any other (no such environment, not allowed, bad params, a
 * limit) would be refused the same way again.
 */
export function isTransient(code: string): boolean {
  return code === "RUNTIME_UNAVAILABLE" || code === "ENGINE_UNREACHABLE";
}

export interface LiveStream {
  /** Subscribes again under the same id (after `closed`, to resume). */
  resubscribe(): void;
  /** Unsubscribes; no handler is called after this. */
  close(): void;
  /** Sends bytes to the subscription (a terminal's keystrokes) as one binary frame; false while the socket is down. */
  sendInput(data: Uint8Array): boolean;
  /** Sends a `control` message (a terminal's resize, pause, resume); false while the socket is down. */
  sendControl(data: Record<string, unknown>): boolean;
}

interface Registered {
  subscribe(): void;
  frame(frame: ServerFrame): void;
  binary(payload: Uint8Array): void;
}

const streams = new Map<string, Registered>();
let socket: WebSocket | undefined;

export function attachLiveSocket(ws: WebSocket): void {
  socket = ws;
  for (const s of [...streams.values()]) s.subscribe();
}

export function detachLiveSocket(ws: WebSocket): void {
  if (socket === ws) socket = undefined;
}

/** Frames naming a subscription go to it; true when the frame was one. */
export function dispatchStreamFrame(frame: ServerFrame): boolean {
  if (frame.type !== "frame" && frame.type !== "closed" && !(frame.type === "error" && frame.id !== undefined)) return false;
  if (frame.id !== undefined) streams.get(frame.id)?.frame(frame);
  return true;
}

/** A binary frame goes to the subscription it names; a malformed one or an unknown id is dropped. */
export function dispatchBinaryFrame(frame: Uint8Array): void {
  const decoded = decodeBinaryFrame(frame);
  if (decoded.ok) streams.get(decoded.id)?.binary(decoded.payload);
}

/** True while bytes sent on the socket still wait to go out (input is not queued past this). */
export function liveBufferedAmount(): number {
  return socket?.bufferedAmount ?? 0;
}

export function sendLive(message: ClientMessage | SubscribeMessage<ChannelName>): boolean {
  if (!socket || socket.readyState !== WebSocket.OPEN) return false;
  socket.send(JSON.stringify(message));
  return true;
}

let counter = 0;
function newId(prefix: string): string {
  counter += 1;
  return `${prefix}${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Opens a subscription; it is sent now if the socket is open, else when it opens. */
export function openStream<C extends ChannelName>(channel: C, env: string, handlers: StreamHandlers<C>): LiveStream {
  const id = newId(channel);
  // After `closed` the dashboard holds nothing for this id: closing it needs no message.
  let over = false;
  const subscribe = () => {
    over = false;
    const message: SubscribeMessage<C> = { type: "subscribe", id, channel, env, params: handlers.params() };
    sendLive(message);
  };
  const registered: Registered = {
    subscribe,
    frame(frame) {
      // Frames of this id are of its channel: the dashboard tags each with the channel it subscribed to.
      if (frame.type === "frame") handlers.onFrame(frame.data as ChannelFrame<C>);
      else if (frame.type === "error") handlers.onError?.(frame);
      else if (frame.type === "closed") {
        over = true;
        handlers.onClosed?.(frame.detail);
      }
    },
    binary: (payload) => handlers.onBinary?.(payload),
  };
  streams.set(id, registered);
  if (socket?.readyState === WebSocket.OPEN) subscribe();
  return {
    resubscribe: () => streams.get(id) === registered && subscribe(),
    close() {
      if (streams.get(id) !== registered) return;
      streams.delete(id);
      if (!over) sendLive({ type: "unsubscribe", id });
    },
    sendInput(data) {
      if (over || streams.get(id) !== registered || !socket || socket.readyState !== WebSocket.OPEN) return false;
      socket.send(encodeBinaryFrame(id, data));
      return true;
    },
    sendControl: (data) => !over && streams.get(id) === registered && sendLive({ type: "control", id, data }),
  };
}
