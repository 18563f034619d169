/** Log history (the live views go over the WebSocket, downloads over plain HTTP). */
import { methods } from "~/runtime/protocol/index";
import { envProcedure, router, withoutEnv } from "../trpc";
import { AccessDenied } from "../../authz/authorize";

export const logsRouter = router({
  historyStatus: envProcedure("container.logs").query(({ ctx }) => ctx.conn.runtime.call("logs.history.status", {})),
  historySet: envProcedure("logs.history.manage", methods["logs.history.set"])
    .mutation(({ input, ctx }) => {
      ctx.audit.target = { type: input.project ? "project" : "container", id: input.container ?? input.project ?? "all", name: input.container ?? input.project ?? "all containers" };
      return ctx.conn.runtime.call("logs.history.set", withoutEnv(input));
    }),
  historySearch: envProcedure("container.logs", methods["logs.history.search"]).query(({ input, ctx }) => {
    // Someone who sees only some containers searches them one at a time (a project or "all" would reach the others).
    if (ctx.access.scope === "own" && !input.container) {
      throw new AccessDenied("container.logs", "container: name one container (your role may read the logs only of containers you may see)");
    }
    return ctx.conn.runtime.call("logs.history.search", withoutEnv(input));
  }),
});
