/** Log history (the live views go over the WebSocket, downloads over plain HTTP). */
import { methods } from "~/runtime/protocol/index";
import { envProcedure, router, withoutEnv } from "../trpc";
import { runtimeQuery } from "./runtime-procedures";

export const logsRouter = router({
  historyStatus: envProcedure("container.logs").query(({ ctx }) => ctx.conn.runtime.call("logs.history.status", {})),
  historySet: envProcedure("logs.history.manage", methods["logs.history.set"])
    .mutation(({ input, ctx }) => {
      ctx.audit.target = { type: input.project ? "project" : "container", id: input.container ?? input.project ?? "all", name: input.container ?? input.project ?? "all containers" };
      return ctx.conn.runtime.call("logs.history.set", withoutEnv(input));
    }),
  historySearch: runtimeQuery("container.logs", "logs.history.search"),
});
