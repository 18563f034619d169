/**
 * `containers`: one environment's engine status and container list, from its
 * live cache (server/engines/live-cache.ts), so a page never polls. The
 * subscriber gets the engine status and the whole list first, then every
 * change. While paused (a slow page) changes are dropped; on resume the whole
 * list goes out again, so the page ends up right however much it missed.
 */
import type { ChannelFrame } from "../protocol";
import { defineChannel } from "./channel";

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
    const whole = () => {
      ctx.send({ type: "engine", engine: live.engine() });
      // While the runtime's stream is down the list is not current: the engine frame says why.
      if (live.connected()) ctx.send({ type: "containers.snapshot", containers: live.containers() });
    };
    const stop = live.listen((frame) => {
      if (paused) missed = true;
      else ctx.sendJson(json(frame));
    });
    whole();
    return {
      close: stop,
      pause: () => void (paused = true),
      resume() {
        paused = false;
        if (missed) whole();
        missed = false;
      },
    };
  },
});
