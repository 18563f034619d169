/**
 * `containers`: one environment's engine status and container list, from its
 * live cache (server/engines/live-cache.ts), so a page never polls. The
 * subscriber gets the engine status and the whole list first, then every
 * change. While paused (a slow page) changes are dropped; on resume the whole
 * list goes out again, so the page ends up right however much it missed.
 */
import type { ChannelFrame } from "../protocol";
import { defineChannel } from "./channel";
import { onControlsChange } from "../../authz/ownership";
import { refreshed } from "../../authz/authorize";

type Frame = ChannelFrame<"containers">;

/**
 * One frame object goes to every subscriber of an environment: encode it once.
 * (The cache's frames are not kept after they are sent, so this holds nothing.)
 */
const encoded = new WeakMap<Frame, string>();
function json(frame: Frame): string {
  let text = encoded.get(frame);
  if (text === undefined) encoded.set(frame, (text = JSON.stringify(frame)));
  return text;
}

export const containersChannel = defineChannel("containers", {
  permission: "container.list",
  open(ctx) {
    const live = ctx.conn.live;
    let paused = false;
    let missed = false;
    // Under `own` access: the containers this page was shown, so a change of access can take one away.
    const own = ctx.access.scope === "own";
    const shown = new Set<string>();
    const sees = (c: { id: string; labels: Record<string, string> }) => ctx.access.sees("container", c.id, c.labels);
    const whole = () => {
      ctx.send({ type: "engine", engine: live.engine() });
      // While the runtime's stream is down the list is not current: the engine frame says why.
      if (!live.connected()) return;
      let list = live.containers();
      if (own) {
        list = list.filter(sees);
        shown.clear();
        for (const c of list) shown.add(c.id);
      }
      ctx.send({ type: "containers.snapshot", containers: list });
    };
    const filtered = (frame: Frame) => {
      if (frame.type === "containers.snapshot") return whole();
      if (frame.type === "container.upsert") {
        if (sees(frame.container)) {
          shown.add(frame.container.id);
          return ctx.sendJson(json(frame));
        }
        if (shown.delete(frame.container.id)) ctx.send({ type: "container.remove", id: frame.container.id });
        return;
      }
      if (frame.type === "container.remove") {
        if (shown.delete(frame.id)) ctx.sendJson(json(frame));
        return;
      }
      ctx.sendJson(json(frame));
    };
    const stop = live.listen((frame) => {
      if (paused) missed = true;
      else if (own) filtered(frame);
      else ctx.sendJson(json(frame));
    });
    // A container given to (or taken from) this user: the list is sent again.
    const stopControls = own
      ? onControlsChange((env) => {
          if (env !== ctx.env) return;
          // The access object holds the controls as they were; the page's socket is reauthorised on reconnect,
          // but a list must follow at once: ask again, then resend.
          void refreshed(ctx.access).then(() => (paused ? (missed = true) : whole()));
        })
      : () => undefined;
    whole();
    return {
      close: () => {
        stop();
        stopControls();
      },
      pause: () => void (paused = true),
      resume() {
        paused = false;
        if (missed) whole();
        missed = false;
      },
    };
  },
});
