/**
 * The container procedures beyond start/stop/restart/remove (issue 4). Thin:
 * the runtime's own zod input, the permission, the audit target, the call.
 * Spread into the `containers` router (server/routers/containers.ts).
 */
import { TRPCError } from "@trpc/server";
import { methods } from "../../runtime/protocol";
import type { BulkAction } from "../../runtime/container-types";
import { roleAllows, type Permission } from "../permissions";
import { runtime } from "../runtime";
import { procedure, type Context } from "../trpc";
import { containerList } from "../ws/hub";

/** Names the container in the audit row: from the live list first, the runtime's answer after. */
function target(ctx: Context, id: string, name?: string) {
  const known = containerList().find((c) => c.id === id || c.name === id || (id.length >= 12 && c.id.startsWith(id)));
  ctx.audit.target = { type: "container", id: known?.id ?? id, ...(name ?? known?.name ? { name: name ?? known?.name } : {}) };
}

/** Bulk needs the permission of the action it repeats, not only container.bulk. */
const bulkPermission: Record<BulkAction, Permission> = {
  start: "container.start",
  stop: "container.stop",
  kill: "container.kill",
  restart: "container.restart",
  pause: "container.pause",
  unpause: "container.pause",
  remove: "container.remove",
};

export const containerOps = {
  inspect: procedure("container.inspect")
    .input(methods["containers.inspect"])
    .query(({ input }) => runtime().call("containers.inspect", input)),
  top: procedure("container.top")
    .input(methods["containers.top"])
    .query(({ input }) => runtime().call("containers.top", input)),
  diff: procedure("container.diff")
    .input(methods["containers.diff"])
    .query(({ input }) => runtime().call("containers.diff", input)),
  restartCounts: procedure("container.list")
    .input(methods["containers.restartCounts"])
    .query(({ input }) => runtime().call("containers.restartCounts", input)),

  kill: procedure("container.kill")
    .input(methods["containers.kill"])
    .mutation(async ({ input, ctx }) => {
      target(ctx, input.id);
      const r = await runtime().call("containers.kill", input);
      target(ctx, r.id, r.name);
      return r;
    }),
  pause: procedure("container.pause")
    .input(methods["containers.pause"])
    .mutation(async ({ input, ctx }) => {
      target(ctx, input.id);
      const r = await runtime().call("containers.pause", input);
      target(ctx, r.id, r.name);
      return r;
    }),
  unpause: procedure("container.pause")
    .input(methods["containers.unpause"])
    .mutation(async ({ input, ctx }) => {
      target(ctx, input.id);
      const r = await runtime().call("containers.unpause", input);
      target(ctx, r.id, r.name);
      return r;
    }),
  rename: procedure("container.rename")
    .input(methods["containers.rename"])
    .mutation(async ({ input, ctx }) => {
      target(ctx, input.id);
      const r = await runtime().call("containers.rename", input);
      target(ctx, r.id, r.name);
      return r;
    }),
  update: procedure("container.update")
    .input(methods["containers.update"])
    .mutation(async ({ input, ctx }) => {
      target(ctx, input.id);
      const r = await runtime().call("containers.update", input);
      target(ctx, r.id, r.name);
      return r;
    }),
  commit: procedure("container.commit")
    .input(methods["containers.commit"])
    .mutation(async ({ input, ctx }) => {
      target(ctx, input.id);
      const r = await runtime().call("containers.commit", input);
      target(ctx, r.id, r.name);
      return r;
    }),
  recreate: procedure("container.recreate")
    .input(methods["containers.recreate"])
    .mutation(async ({ input, ctx }) => {
      target(ctx, input.id);
      const r = await runtime().call("containers.recreate", input);
      target(ctx, r.id, r.name);
      return r;
    }),
  networkConnect: procedure("container.network")
    .input(methods["containers.networkConnect"])
    .mutation(async ({ input, ctx }) => {
      target(ctx, input.id);
      const r = await runtime().call("containers.networkConnect", input);
      target(ctx, r.id, r.name);
      return r;
    }),
  networkDisconnect: procedure("container.network")
    .input(methods["containers.networkDisconnect"])
    .mutation(async ({ input, ctx }) => {
      target(ctx, input.id);
      const r = await runtime().call("containers.networkDisconnect", input);
      target(ctx, r.id, r.name);
      return r;
    }),
  bulk: procedure("container.bulk")
    .input(methods["containers.bulk"])
    .mutation(async ({ input, ctx }) => {
      const needed = bulkPermission[input.action];
      if (!ctx.user || !roleAllows(ctx.user.role, needed)) {
        throw new TRPCError({ code: "FORBIDDEN", message: `Your role may not ${needed}.` });
      }
      const names = input.ids.map((id) => containerList().find((c) => c.id === id)?.name ?? id);
      ctx.audit.target = { type: "container", name: names.join(", ").slice(0, 500) };
      return runtime().call("containers.bulk", input);
    }),
};
