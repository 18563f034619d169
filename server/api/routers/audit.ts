import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { auditedTransaction } from "../../audit";
import { verifyChain } from "../../audit-chain";
import { auditDetails, auditFilterSchema, listAudit } from "../../audit-query";
import { RETENTION_DEFAULT_DAYS, RETENTION_KEY, RETENTION_MAX_DAYS, RETENTION_MIN_DAYS, retentionDays } from "../../audit-retention";
import { procedure, router } from "../trpc";

export const auditRouter = router({
  /** At most `limit` rows and about 256 KB per page, details shortened: see listAudit. Filters: see auditFilterSchema. */
  list: procedure("audit.read")
    .input(
      z.intersection(
        z.object({
          limit: z.number().int().min(1).max(500).default(100),
          cursor: z.number().int().optional(),
        }),
        auditFilterSchema,
      ),
    )
    .query(({ input }) => listAudit(input)),
  /** One row's whole (capped) details, for "Show details". */
  details: procedure("audit.read")
    .input(z.object({ id: z.number().int().min(1) }))
    .query(async ({ input }) => {
      const row = await auditDetails(input.id);
      if (!row) throw new TRPCError({ code: "NOT_FOUND", message: `id: no audit entry ${input.id}` });
      return row;
    }),
  /** Recomputes the whole hash chain; names the first broken entry. */
  verify: procedure("audit.read").query(() => verifyChain()),
  retention: procedure("audit.read").query(async () => ({
    days: await retentionDays(),
    defaultDays: RETENTION_DEFAULT_DAYS,
    minDays: RETENTION_MIN_DAYS,
    maxDays: RETENTION_MAX_DAYS,
  })),
  /** How long entries are kept; older ones are dropped (with a checkpoint) by the pruner. */
  setRetention: procedure("settings.manage")
    .input(z.object({ days: z.number().int().min(RETENTION_MIN_DAYS).max(RETENTION_MAX_DAYS) }))
    .mutation(async ({ ctx, input }) => {
      const target = { type: "setting", id: RETENTION_KEY, name: "Audit retention" };
      ctx.audit.target = target;
      await auditedTransaction(
        { userId: ctx.user?.id, username: ctx.user?.username, sourceIp: ctx.sourceIp, action: "settings.manage", target, details: { [RETENTION_KEY]: input.days } },
        (tx) => tx.setting.upsert({ where: { key: RETENTION_KEY }, create: { key: RETENTION_KEY, value: String(input.days) }, update: { value: String(input.days) } }),
      );
      return { days: input.days };
    }),
});
