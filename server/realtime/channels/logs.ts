/**
 * `logs`: one log view (a container, several, or a compose project), relayed
 * from its own runtime stream (`/ws/logs`). The runtime's frames are passed on
 * as bytes, never parsed here. Pausing (../backpressure.ts) stops reading the
 * runtime stream: the runtime then skips ahead and sends a `skipped` frame once
 * the page has caught up, so neither process holds more than a bounded buffer.
 */
import { defineChannel } from "./channel";

export const logsChannel = defineChannel("logs", {
  permission: "container.logs",
  open(ctx) {
    return ctx.conn.runtime.stream("logs", ctx.params, {
      onFrame: (json) => ctx.sendJson(json),
      onClose: (detail) => ctx.close(detail),
    });
  },
});
