/**
 * The one backpressure policy of `/api/ws`, the same for every channel.
 *
 * A page that reads slower than its subscriptions produce must cost the
 * dashboard a bounded amount of memory, and must not slow anyone else down:
 *
 * - Above PAUSE_ABOVE bytes waiting to be written to the page, every
 *   subscription of that socket is paused. A channel decides what pausing means
 *   for it: `logs` stops reading its runtime stream (the runtime then skips
 *   ahead and later says how many lines it skipped, with their stamps);
 *   `containers` drops changes and sends a fresh snapshot when resumed.
 * - Below RESUME_BELOW bytes, they are resumed.
 * - Above DROP_ABOVE bytes (what was already in flight when the pause began),
 *   the socket is closed with 1013: the page reconnects, resubscribes, and each
 *   channel resumes (a fresh snapshot; logs after the last line seen).
 *
 * Pages send only small control messages: a frame over MAX_CLIENT_FRAME is
 * refused (close 1009) before it is buffered, and a socket holds at most
 * MAX_SUBSCRIPTIONS subscriptions (one more is refused with an error frame).
 */
import type { WebSocket } from "ws";

export const LIMITS = {
  maxClientFrameBytes: 1024 * 1024,
  maxSubscriptions: 32,
  pauseAboveBytes: 4 << 20,
  resumeBelowBytes: 1 << 20,
  dropAboveBytes: 16 << 20,
} as const;

/** How often a paused socket looks whether the page has caught up (ws has no drain event). */
const POLL_MS = 5;

export interface Outbox {
  /** Sends one frame (text unless `binary`), applying the policy; nothing once the socket is closing. */
  send(data: string | Buffer, binary?: boolean): void;
  paused(): boolean;
  close(): void;
}

/** The sending side of one page's socket: `onPause`/`onResume` go to every subscription on it. */
export function outbox(ws: WebSocket, hooks: { onPause(): void; onResume(): void }): Outbox {
  let paused = false;
  let poll: NodeJS.Timeout | undefined;

  const watch = () => {
    poll = setInterval(() => {
      if (ws.readyState !== ws.OPEN) return void clearInterval(poll);
      if (ws.bufferedAmount >= LIMITS.resumeBelowBytes) return;
      clearInterval(poll);
      paused = false;
      hooks.onResume();
    }, POLL_MS);
  };

  return {
    send(data, binary = false) {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > LIMITS.dropAboveBytes) return void ws.close(1013, "too slow: reconnect to resume");
      ws.send(data, { binary });
      if (!paused && ws.bufferedAmount > LIMITS.pauseAboveBytes) {
        paused = true;
        hooks.onPause();
        watch();
      }
    },
    paused: () => paused,
    close: () => clearInterval(poll),
  };
}
