import { procedure, router } from "../trpc";
import { containerList } from "../../realtime/hub";
import { containerOps } from "./container-ops";
import { containerAction } from "./runtime-procedures";

export const containersRouter = router({
  list: procedure("container.list").query(() => containerList()),
  ...containerOps,
  start: containerAction("container.start", "containers.start"),
  stop: containerAction("container.stop", "containers.stop"),
  restart: containerAction("container.restart", "containers.restart"),
  remove: containerAction("container.remove", "containers.remove"),
});
