import { z } from "zod";
import { listAudit } from "../audit";
import { procedure, router } from "../trpc";

export const auditRouter = router({
  list: procedure("audit.read")
    .input(
      z.object({
        limit: z.number().int().min(1).max(500).default(100),
        cursor: z.number().int().optional(),
        action: z.string().max(100).optional(),
      }),
    )
    .query(({ input }) => listAudit(input)),
});
