/**
 * An environment's security settings for non-administrators (server/security/):
 * read by anyone with a role there, changed by its administrators.
 */
import { z } from "zod";
import { effectiveRole } from "../../authz/roles";
import { changeSecurity, readSecurity } from "../../security/settings";
import { securityChangeSchema } from "../../security/switches";
import { auditedChange } from "../audited-change";
import { envIdSchema, procedure, router } from "../trpc";

const envOnly = z.object({ env: envIdSchema });

export const environmentSecurityRouter = router({
  get: procedure("environment.read")
    .input(envOnly)
    .query(async ({ input, ctx }) => {
      const settings = await readSecurity(input.env);
      const role = ctx.user ? await effectiveRole(ctx.user, input.env) : null;
      return { settings, canManage: role === "admin" || role === "env-admin", bound: role !== "admin" && role !== "env-admin" };
    }),
  set: procedure("environment.security.manage")
    .input(envOnly.extend({ settings: securityChangeSchema }))
    .mutation(({ input, ctx }) => changeSecurity(input.env, input.settings, auditedChange(ctx, "environment.security.manage"))),
});
