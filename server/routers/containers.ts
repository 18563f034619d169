import { methods } from "../../runtime/protocol";
import { runtime } from "../runtime";
import { procedure, router, type Context } from "../trpc";
import { containerList } from "../ws/hub";
import { containerOps } from "./container-ops";

/** Names the container in the audit row once the runtime has told us its name. */
function target(ctx: Context, id: string, name?: string) {
  ctx.audit.target = { type: "container", id, ...(name ? { name } : {}) };
}

export const containersRouter = router({
  list: procedure("container.list").query(() => containerList()),
  ...containerOps,
  start: procedure("container.start")
    .input(methods["containers.start"])
    .mutation(async ({ input, ctx }) => {
      target(ctx, input.id);
      const r = await runtime().call("containers.start", input);
      target(ctx, r.id, r.name);
      return r;
    }),
  stop: procedure("container.stop")
    .input(methods["containers.stop"])
    .mutation(async ({ input, ctx }) => {
      target(ctx, input.id);
      const r = await runtime().call("containers.stop", input);
      target(ctx, r.id, r.name);
      return r;
    }),
  restart: procedure("container.restart")
    .input(methods["containers.restart"])
    .mutation(async ({ input, ctx }) => {
      target(ctx, input.id);
      const r = await runtime().call("containers.restart", input);
      target(ctx, r.id, r.name);
      return r;
    }),
  remove: procedure("container.remove")
    .input(methods["containers.remove"])
    .mutation(async ({ input, ctx }) => {
      target(ctx, input.id);
      const r = await runtime().call("containers.remove", input);
      target(ctx, r.id, r.name);
      return r;
    }),
});
