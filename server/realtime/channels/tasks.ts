/**
 * `tasks`: the environment's long operations (pull, push, build, load…),
 * relayed from the runtime's `/ws/tasks`: the list (params `{}`) or one task's
 * detail with its layers and output lines (params `{id}`). Environment
 * administrators get the runtime's bytes as they are; other roles see only the
 * tasks they started: the list is cut down to them, and a detail subscription
 * to someone else's task is refused with FORBIDDEN (field `id`) and ends.
 */
import { defineChannel } from "./channel";
import { filterTasksFrame, taskScope } from "../../tasks/task-access";

export const tasksChannel = defineChannel("tasks", {
  permission: "task.read",
  open(ctx) {
    const scope = taskScope(ctx.access, "task.read");
    let refused = false;
    const stream = ctx.conn.runtime.stream("tasks", ctx.params, {
      onFrame: (json) => {
        if (refused) return;
        if (scope === "all") return ctx.sendJson(json);
        const kept = filterTasksFrame(json, ctx.user.id);
        ctx.sendJson(kept.json);
        if (kept.refused) {
          refused = true;
          stream.close();
          ctx.close();
        }
      },
      onClose: (detail) => {
        if (!refused) ctx.close(detail);
      },
    });
    return stream;
  },
});
