import { envProcedure, router } from "../trpc";
import { containerOps } from "./container-ops";
import { containerAction } from "./runtime-procedures";
import { dropControl } from "../../authz/ownership";

export const containersRouter = router({
  list: envProcedure("container.list").query(({ ctx }) => {
    const all = ctx.conn.live.containers();
    return ctx.access.scope === "all" ? all : all.filter((c) => ctx.access.sees("container", c.id, c.labels));
  }),
  ...containerOps,
  start: containerAction("container.start", "containers.start"),
  stop: containerAction("container.stop", "containers.stop"),
  restart: containerAction("container.restart", "containers.restart"),
  // Its ownership goes with it.
  remove: containerAction("container.remove", "containers.remove", (env, before, r) => dropControl(env, "container", before ?? r.id)),
});
