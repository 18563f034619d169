/**
 * The Engine page and every prune: `docker info` + `docker version`,
 * `docker system df -v`, and prune in two steps, a preview (the exact items
 * and the bytes they free) and a confirm that removes exactly those items by
 * id, each re-checked first. The confirm's audit entry keeps the ids asked
 * for and what happened to each.
 */
import { systemMethods } from "~/runtime/system/protocol";
import { envProcedure, router, withoutEnv } from "../trpc";

export const systemRouter = router({
  info: envProcedure("engine.read").query(({ ctx }) => ctx.conn.runtime.call("system.info", {})),

  df: envProcedure("system.df").query(({ ctx }) => ctx.conn.runtime.call("system.df", {})),

  // A read, but of the permission to prune: only who may prune sees what a prune would take.
  prunePreview: envProcedure("system.prune", systemMethods["system.prunePreview"]).query(({ input, ctx }) => ctx.conn.runtime.call("system.prunePreview", withoutEnv(input))),

  pruneConfirm: envProcedure("system.prune", systemMethods["system.pruneConfirm"]).mutation(async ({ input, ctx }) => {
    ctx.audit.target = { type: "system", name: `${input.kind} prune (${input.items.length} item${input.items.length === 1 ? "" : "s"})` };
    const r = await ctx.conn.runtime.call("system.pruneConfirm", withoutEnv(input));
    ctx.audit.details = {
      kind: input.kind,
      options: input.options,
      results: r.results.map((x) => ({ type: x.type, id: x.id, name: x.name, outcome: x.outcome, ...(x.reason ? { reason: x.reason } : {}) })),
      removed: r.removed,
      skipped: r.skipped,
      failed: r.failed,
      spaceReclaimed: r.spaceReclaimed,
    };
    return r;
  }),
});
