/**
 * Long operations (pull, push, build, load…) kept by the environment's runtime.
 * Environment administrators see and cancel every task; other roles only the
 * ones they started (server/tasks/task-access.ts). Live progress goes over the
 * WebSocket channel `tasks`; this is the list for a page's first paint and
 * Cancel.
 */
import { z } from "zod";
import { taskIdSchema } from "~/runtime/tasks/protocol";
import { AccessDenied } from "../../authz/authorize";
import { notYourTask, taskScope, taskVisible } from "../../tasks/task-access";
import { BerthError } from "../../errors";
import { envProcedure, router } from "../trpc";

export const tasksRouter = router({
  list: envProcedure("task.read").query(async ({ ctx }) => {
    const scope = taskScope(ctx.access, "task.read");
    const tasks = await ctx.conn.runtime.call("tasks.list", {});
    return tasks.filter((t) => taskVisible(scope, ctx.user!.id, t));
  }),

  cancel: envProcedure("task.cancel", z.strictObject({ id: taskIdSchema }))
    .mutation(async ({ input, ctx }) => {
      ctx.audit.target = { type: "task", id: input.id };
      if (taskScope(ctx.access, "task.cancel") === "own") {
        const task = (await ctx.conn.runtime.call("tasks.list", {})).find((t) => t.id === input.id);
        if (!task) throw new BerthError("NOT_FOUND", `id: no task "${input.id}"`, { field: "id" });
        ctx.audit.target = { type: "task", id: input.id, name: task.title };
        if (!taskVisible("own", ctx.user!.id, task)) throw new AccessDenied("task.cancel", notYourTask(input.id));
      }
      const r = await ctx.conn.runtime.call("tasks.cancel", { id: input.id });
      ctx.audit.target = { type: "task", id: input.id, name: r.task.title };
      return r;
    }),
});
