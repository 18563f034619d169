/**
 * Networks of one environment: list (filtered to what an `own` role may see),
 * inspect, create (with its ownership row, keyed by the network's id: Private
 * for a Standard user by default), remove (its row goes with it). Connecting a
 * container is the containers router's (`networkConnect`, container.network).
 * Names given for a network are resolved to its id before the ownership check
 * (server/authz/network-refs.ts).
 */
import { networkCreateFields, refineNetworkCreate } from "~/runtime/networks/protocol";
import { methods } from "~/runtime/protocol/index";
import { accessInputSchema, createOwned, withoutBerthLabels } from "../../authz/container-ownership";
import { dropControl } from "../../authz/ownership";
import { envProcedure, router, withoutEnv } from "../trpc";
import { runtimeQuery } from "./runtime-procedures";

const createInput = networkCreateFields.extend({ access: accessInputSchema.optional() }).superRefine(refineNetworkCreate);

export const networksRouter = router({
  list: envProcedure("network.list").query(async ({ ctx }) => {
    const all = await ctx.conn.runtime.call("networks.list", {});
    return ctx.access.scope === "all" ? all : all.filter((n) => ctx.access.sees("network", n.id));
  }),

  inspect: runtimeQuery("network.list", "networks.inspect"),

  create: envProcedure("network.create", createInput)
    .mutation(async ({ input, ctx }) => {
      const { access, ...given } = withoutEnv(input);
      // Berth's own bookkeeping label is not the caller's to set (ownership is keyed by the object, not by it).
      const rest = { ...given, labels: withoutBerthLabels(given.labels) };
      ctx.audit.target = { type: "network", name: rest.name };
      const r = await createOwned({
        env: input.env,
        type: "network",
        userId: ctx.user!.id,
        role: ctx.access.role,
        access,
        create: () => ctx.conn.runtime.call("networks.create", rest),
      });
      ctx.audit.target = { type: "network", id: r.id, name: r.name };
      return r;
    }),

  remove: envProcedure("network.remove", methods["networks.remove"])
    .mutation(async ({ input, ctx }) => {
      ctx.audit.target = { type: "network", id: input.id };
      const r = await ctx.conn.runtime.call("networks.remove", withoutEnv(input));
      ctx.audit.target = { type: "network", id: r.id, name: r.name };
      await dropControl(input.env, "network", r.id);
      return r;
    }),
});
