/** Log history (the live views go over the WebSocket, downloads over plain HTTP). */
import { methods } from "../../../runtime/protocol/index";
import { runtime } from "../../engines/runtime";
import { procedure, router } from "../trpc";
import { runtimeQuery } from "./runtime-procedures";

export const logsRouter = router({
  historyStatus: procedure("container.logs").query(() => runtime().call("logs.history.status", {})),
  historySet: procedure("logs.history.manage")
    .input(methods["logs.history.set"])
    .mutation(({ input, ctx }) => {
      ctx.audit.target = { engine: "local", type: input.project ? "project" : "container", id: input.container ?? input.project ?? "all", name: input.container ?? input.project ?? "all containers" };
      return runtime().call("logs.history.set", input);
    }),
  historySearch: runtimeQuery("container.logs", "logs.history.search"),
});
