/**
 * One's own API tokens: list, create (the value is returned once, only its
 * hash is kept), revoke. `account.manage` is session-only (server/auth/api-token.ts):
 * a request authenticated by a token cannot reach these, so a stolen token
 * cannot mint another one or hide by revoking the others.
 */
import { z } from "zod";
import { db } from "../../db";
import { BerthError } from "../../errors";
import { displayPrefix, expiryFrom, hashToken, newToken } from "../../auth/token-format";
import { procedure, router } from "../trpc";

/** Live (not revoked) tokens a user may hold at once. */
export const MAX_TOKENS_PER_USER = 50;

const nameSchema = z
  .string()
  .trim()
  .min(1, "give the token a name (e.g. what uses it)")
  .max(64, "at most 64 characters")
  .regex(/^[^\p{Cc}]*$/u, "must not contain control characters");
/** "never", "30", "90", "365" (days) or a date YYYY-MM-DD; checked by expiryFrom, which names what is wrong. */
const expiresSchema = z.string().max(40, "at most 40 characters").default("never");

function expiry(choice: string): Date | null {
  try {
    return expiryFrom(choice);
  } catch (err) {
    throw new BerthError("BAD_REQUEST", `expires: ${(err as Error).message}`, { field: "expires" });
  }
}

export const apiTokensRouter = router({
  list: procedure("account.manage").query(async ({ ctx }) => {
    const rows = await db.apiToken.findMany({
      where: { userId: ctx.user!.id, revokedAt: null },
      orderBy: { createdAt: "desc" },
      select: { id: true, name: true, prefix: true, createdAt: true, expiresAt: true, lastUsedAt: true },
    });
    const now = Date.now();
    return rows.map((r) => ({ ...r, expired: !!r.expiresAt && r.expiresAt.getTime() <= now }));
  }),

  create: procedure("account.manage")
    .input(z.object({ name: nameSchema, expires: expiresSchema }))
    .mutation(async ({ ctx, input }) => {
      const expiresAt = expiry(input.expires);
      const live = await db.apiToken.count({ where: { userId: ctx.user!.id, revokedAt: null } });
      if (live >= MAX_TOKENS_PER_USER) {
        throw new BerthError("CONFLICT", `You already have ${live} API tokens (the most one account may hold): revoke some first.`);
      }
      const token = newToken();
      const row = await db.apiToken.create({
        data: { userId: ctx.user!.id, name: input.name, prefix: displayPrefix(token), hash: hashToken(token), expiresAt },
        select: { id: true, name: true, prefix: true, createdAt: true, expiresAt: true },
      });
      ctx.audit.target = { type: "api-token", id: row.id, name: row.name };
      // The only time the value leaves the server: it is not stored, so it cannot be shown again.
      return { ...row, token };
    }),

  revoke: procedure("account.manage")
    .input(z.object({ id: z.string().min(1).max(64) }))
    .mutation(async ({ ctx, input }) => {
      const row = await db.apiToken.findFirst({ where: { id: input.id, userId: ctx.user!.id, revokedAt: null }, select: { id: true, name: true } });
      if (!row) throw new BerthError("NOT_FOUND", `id: you have no API token ${JSON.stringify(input.id)} (revoked already, or not yours)`, { field: "id" });
      ctx.audit.target = { type: "api-token", id: row.id, name: row.name };
      await db.apiToken.update({ where: { id: row.id }, data: { revokedAt: new Date() } });
      return { id: row.id, revoked: true };
    }),
});
