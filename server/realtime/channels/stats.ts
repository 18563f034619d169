/**
 * `stats`: one container's live figures (its last 15 minutes first, then a
 * sample a second) or every running container's (`all`, one frame a second),
 * relayed from the runtime's `/ws/stats` as bytes, never parsed here. The
 * runtime holds one engine stream per container for every viewer; here, every
 * `all` subscriber of an environment shares one runtime stream (the frame is
 * the same for all), so ten pages watching the list cost the runtime what one does.
 *
 * Backpressure: while the page is paused frames are dropped (a figure a second
 * is worth nothing late). On resume an `all` view simply gets the next frame;
 * a one-container view that missed samples is closed with a detail, so the
 * page subscribes again and gets the whole ring, without a gap.
 */
import type { Connection } from "../../engines/registry";
import type { OpenStream } from "../../engines/runtime-client";
import { defineChannel } from "./channel";
import { filterStatsAll } from "../../authz/stream-filters";

interface Listener {
  frame(json: Buffer): void;
  close(detail?: string): void;
}

/** Per environment connection: the one `all` stream and who listens to it. */
const shared = new WeakMap<Connection, { stream: OpenStream; listeners: Set<Listener>; last?: Buffer }>();

function listenAll(conn: Connection, l: Listener): () => void {
  let s = shared.get(conn);
  if (!s) {
    const listeners = new Set<Listener>();
    const entry: { stream: OpenStream; listeners: Set<Listener>; last?: Buffer } = {
      listeners,
      stream: conn.runtime.stream("stats", { all: true }, {
        onFrame: (json) => {
          entry.last = json;
          for (const x of listeners) x.frame(json);
        },
        onClose: (detail) => {
          if (shared.get(conn) === entry) shared.delete(conn);
          for (const x of [...listeners]) x.close(detail);
        },
      }),
    };
    shared.set(conn, entry);
    s = entry;
  }
  const entry = s;
  entry.listeners.add(l);
  // A page joining a stream already open gets the latest figures at once, not a second later.
  if (entry.last) l.frame(entry.last);
  return () => {
    if (!entry.listeners.delete(l) || entry.listeners.size > 0) return;
    if (shared.get(conn) === entry) shared.delete(conn);
    entry.stream.close();
  };
}

export const statsChannel = defineChannel("stats", {
  permission: "container.stats",
  open(ctx) {
    let paused = false;
    let missed = false;
    const own = ctx.access.scope === "own";
    const onFrame = (json: Buffer) => {
      if (paused) missed = true;
      else if (own && "all" in ctx.params) ctx.sendJson(filterStatsAll(ctx.access, json, (id) => ctx.conn.live.find(id)?.labels));
      else ctx.sendJson(json);
    };
    if ("all" in ctx.params) {
      const stop = listenAll(ctx.conn, { frame: onFrame, close: (detail) => ctx.close(detail) });
      return {
        close: stop,
        pause: () => void (paused = true),
        resume: () => void (paused = false),
      };
    }
    const stream = ctx.conn.runtime.stream("stats", ctx.params, { onFrame, onClose: (detail) => ctx.close(detail) });
    return {
      close: () => stream.close(),
      pause: () => void (paused = true),
      resume() {
        paused = false;
        if (missed) {
          stream.close();
          ctx.close("the page fell behind: subscribe again for the whole last 15 minutes");
        }
        missed = false;
      },
    };
  },
});
