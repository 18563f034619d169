/**
 * Volumes of one environment: list (filtered to what an `own` role may see),
 * inspect, create (with its ownership row: Private for a Standard user by
 * default, keyed by the volume's name), remove (its row goes with it). File
 * browsing is the files router's. Thin: the runtime validates and does the work.
 */
import { methods } from "~/runtime/protocol/index";
import { accessInputSchema, createOwned, withoutBerthLabels } from "../../authz/container-ownership";
import { dropControl } from "../../authz/ownership";
import { envProcedure, router, withoutEnv } from "../trpc";
import { runtimeQuery } from "./runtime-procedures";

export const volumesRouter = router({
  list: envProcedure("volume.list").query(async ({ ctx }) => {
    const all = await ctx.conn.runtime.call("volumes.list", {});
    return ctx.access.scope === "all" ? all : all.filter((v) => ctx.access.sees("volume", v.name));
  }),

  inspect: runtimeQuery("volume.list", "volumes.inspect"),

  create: envProcedure("volume.create", methods["volumes.create"].extend({ access: accessInputSchema.optional() }))
    .mutation(async ({ input, ctx }) => {
      const { access, ...given } = withoutEnv(input);
      // Berth's own bookkeeping label is not the caller's to set (ownership is keyed by the object, not by it).
      const rest = { ...given, labels: withoutBerthLabels(given.labels) };
      ctx.audit.target = { type: "volume", ...(rest.name ? { id: rest.name, name: rest.name } : {}) };
      const r = await createOwned({
        env: input.env,
        type: "volume",
        userId: ctx.user!.id,
        role: ctx.access.role,
        access,
        create: async () => {
          const v = await ctx.conn.runtime.call("volumes.create", rest);
          return { ...v, id: v.name };
        },
      });
      ctx.audit.target = { type: "volume", id: r.name, name: r.name };
      return r;
    }),

  remove: envProcedure("volume.remove", methods["volumes.remove"])
    .mutation(async ({ input, ctx }) => {
      ctx.audit.target = { type: "volume", id: input.id, name: input.id };
      // A browse's idle helper container still mounts the volume (for up to a minute): gone first, or the remove would be refused as in use.
      await ctx.conn.runtime.call("files.volumeRelease", { id: input.id }).catch(() => undefined);
      const r = await ctx.conn.runtime.call("volumes.remove", withoutEnv(input));
      await dropControl(input.env, "volume", r.name);
      return r;
    }),
});
