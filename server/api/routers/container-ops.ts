/**
 * The container procedures beyond start/stop/restart/remove. Thin:
 * the runtime's own zod input, the permission, the audit target, the call.
 * Spread into the `containers` router (server/api/routers/containers.ts).
 */
import { TRPCError } from "@trpc/server";
import { methods } from "~/runtime/protocol/index";
import type { BulkAction } from "~/runtime/containers/types";
import { roleAllows, type Permission } from "../permissions";
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
  recreate: containerAction("container.recreate", "containers.recreate"),
  networkConnect: containerAction("container.network", "containers.networkConnect"),
  networkDisconnect: containerAction("container.network", "containers.networkDisconnect"),
  bulk: envProcedure("container.bulk", methods["containers.bulk"])
    .mutation(async ({ input, ctx }) => {
      const needed = bulkPermission[input.action];
      if (!ctx.user || !roleAllows(ctx.user.role, needed)) {
        throw new TRPCError({ code: "FORBIDDEN", message: `Your role may not ${needed}.` });
      }
      const names = input.ids.map((id) => ctx.conn.live.find(id)?.name ?? id);
      ctx.audit.target = { type: "container", name: names.join(", ").slice(0, 500) };
      return ctx.conn.runtime.call("containers.bulk", withoutEnv(input));
    }),
};
