/**
 * `events`: the engine's events for one view (filters, optional history since a
 * time), relayed from its own runtime stream (`/ws/engine-events`), which
 * filters at the source and serves live events from the runtime's one engine
 * connection. Frames pass on as bytes, never parsed here. Pausing stops reading
 * the runtime stream: the runtime then counts events instead of sending them
 * and says how many it skipped (a `skipped` frame) once the page has caught up.
 */
import { defineChannel } from "./channel";
import { filterEventsFrame } from "../../authz/stream-filters";
import { onControlsChange } from "../../authz/ownership";
import { refreshed } from "../../authz/authorize";

export const eventsChannel = defineChannel("events", {
  permission: "events.read",
  open(ctx) {
    // Someone who sees only some objects gets only their events, by ownership as it is now: a volume or
    // network created (or shared) after the page subscribed shows its events from then on.
    const stopControls =
      ctx.access.scope === "own"
        ? onControlsChange((env) => {
            if (env === ctx.env) void refreshed(ctx.access);
          })
        : () => undefined;
    const stream = ctx.conn.runtime.stream("engine-events", ctx.params, {
      onFrame: (json) => {
        if (ctx.access.scope === "all") return ctx.sendJson(json);
        const kept = filterEventsFrame(ctx.access, json);
        if (kept !== null) ctx.sendJson(kept);
      },
      onClose: (detail) => {
        stopControls();
        ctx.close(detail);
      },
    });
    return {
      pause: () => stream.pause(),
      resume: () => stream.resume(),
      close: () => {
        stopControls();
        stream.close();
      },
    };
  },
});
