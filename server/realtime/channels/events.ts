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

export const eventsChannel = defineChannel("events", {
  permission: "events.read",
  open(ctx) {
    return ctx.conn.runtime.stream("engine-events", ctx.params, {
      onFrame: (json) => {
        if (ctx.access.scope === "all") return ctx.sendJson(json);
        // Someone who sees only some objects gets only their events.
        const kept = filterEventsFrame(ctx.access, json);
        if (kept !== null) ctx.sendJson(kept);
      },
      onClose: (detail) => ctx.close(detail),
    });
  },
});
