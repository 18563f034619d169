import { envProcedure, router } from "../trpc";
import { containerOps } from "./container-ops";
import { containerAction } from "./runtime-procedures";

export const containersRouter = router({
  list: envProcedure("container.list").query(({ ctx }) => ctx.conn.live.containers()),
  ...containerOps,
  start: containerAction("container.start", "containers.start"),
  stop: containerAction("container.stop", "containers.stop"),
  restart: containerAction("container.restart", "containers.restart"),
  remove: containerAction("container.remove", "containers.remove"),
});
