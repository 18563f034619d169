/**
 * The container procedures beyond start/stop/restart/remove. Thin:
 * the runtime's own zod input, the permission, the audit target, the call.
 * Spread into the `containers` router (server/api/routers/containers.ts).
 */
import { methods } from "~/runtime/protocol/index";
import type { BulkAction } from "~/runtime/containers/types";
import type { Permission } from "../permissions";
import { authorizeRequest } from "../../authz/request-access";
import { dropControl, moveControl } from "../../authz/ownership";
import { checkNetworkUsable } from "../../authz/network-access";
import { envProcedure, withoutEnv } from "../trpc";
import { containerAction, runtimeQuery } from "./runtime-procedures";

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
  inspect: runtimeQuery("container.inspect", "containers.inspect"),
  top: runtimeQuery("container.top", "containers.top"),
  diff: runtimeQuery("container.diff", "containers.diff"),
  restartCounts: runtimeQuery("container.list", "containers.restartCounts"),

  kill: containerAction("container.kill", "containers.kill"),
  pause: containerAction("container.pause", "containers.pause"),
  unpause: containerAction("container.pause", "containers.unpause"),
  rename: containerAction("container.rename", "containers.rename"),
  update: containerAction("container.update", "containers.update"),
  commit: containerAction("container.commit", "containers.commit"),
  // A new container with a new id: its ownership follows it.
  recreate: containerAction("container.recreate", "containers.recreate", async (env, before, r) => {
    if (before) await moveControl(env, "container", before, r.id);
  }),
  // Own roles may connect only to networks they may see (or Docker's own): the network is reached too.
  networkConnect: containerAction("container.network", "containers.networkConnect", undefined, (ctx, input) => checkNetworkUsable(ctx.access, ctx.conn, input.network)),
  networkDisconnect: containerAction("container.network", "containers.networkDisconnect"),
  bulk: envProcedure("container.bulk", methods["containers.bulk"])
    .mutation(async ({ input, ctx }) => {
      // Each container also needs the permission of the action repeated on it.
      await authorizeRequest(ctx.user, bulkPermission[input.action], { env: input.env, conn: ctx.conn, ids: input.ids }, ctx);
      const names = input.ids.map((id) => ctx.conn.live.find(id)?.name ?? id);
      ctx.audit.target = { type: "container", name: names.join(", ").slice(0, 500) };
      const r = await ctx.conn.runtime.call("containers.bulk", withoutEnv(input));
      if (input.action === "remove") for (const item of r.results) if (item.ok) await dropControl(input.env, "container", item.id);
      return r;
    }),
};
