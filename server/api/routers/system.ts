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
    // Compact, and what needs reading first first: lists of audit entries show only the start of the details.
    const named = (x: (typeof r.results)[number]) => ({ type: x.type, id: x.id, ...(x.name && x.name !== x.id ? { name: x.name } : {}) });
    ctx.audit.details = {
      kind: input.kind,
      counts: { removed: r.removed, skipped: r.skipped, failed: r.failed },
      skipped: r.results.filter((x) => x.outcome === "skipped").map((x) => ({ ...named(x), reason: x.reason })),
      failed: r.results.filter((x) => x.outcome === "failed").map((x) => ({ ...named(x), error: x.reason })),
      removed: r.results.filter((x) => x.outcome === "removed").map(named),
      spaceReclaimed: r.spaceReclaimed,
      options: input.options,
    };
    return r;
  }),
});
