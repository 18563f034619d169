import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { auditDetails, listAudit } from "../../audit";
import { procedure, router } from "../trpc";

export const auditRouter = router({
  /** At most `limit` rows and about 256 KB per page, details shortened: see listAudit. */
  list: procedure("audit.read")
    .input(
      z.object({
        limit: z.number().int().min(1).max(500).default(100),
        cursor: z.number().int().optional(),
        action: z.string().max(100).optional(),
      }),
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
});
