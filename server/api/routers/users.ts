/**
 * Users and their role grants, for administrators (`user.manage`). Thin: the
 * rules (last administrator, password policy, ending sessions) are in
 * server/users/.
 */
import { z } from "zod";
import { CREDENTIAL_MAX } from "../../auth/credentials";
import { grantRole, listGrants, revokeGrant } from "../../users/grants";
import { createUser, deleteUser, listUsers, resetPassword, setDisabled, setRole } from "../../users/users";
import { auditedChange } from "../audited-change";
import { envRoles } from "../permissions";
import { envIdSchema, procedure, router } from "../trpc";
import { usernameSchema } from "./setup";

/** A database id (cuid): bounded, no path or control characters. */
export const recordId = (field: string) =>
  z
    .string({ error: `${field} is required` })
    .min(1, `${field} is required`)
    .max(64, `${field} must be at most 64 characters`)
    .regex(/^[a-zA-Z0-9_-]+$/, `${field} must be an id (letters, digits, _ and -)`);

const password = z.string().max(CREDENTIAL_MAX, `Password must be at most ${CREDENTIAL_MAX} characters`);
const userRole = z.enum(["admin", "user"], { error: 'role must be "admin" (Administrator) or "user"' });
const byId = z.object({ id: recordId("id") });

function actor(ctx: { user: { id: string } | null }): string {
  // The guard has already refused anonymous calls; this narrows the type.
  if (!ctx.user) throw new Error("no user");
  return ctx.user.id;
}

export const usersRouter = router({
  list: procedure("user.manage").query(() => listUsers()),
  create: procedure("user.manage")
    .input(z.object({ username: usernameSchema, password, role: userRole.default("user") }))
    .mutation(({ input, ctx }) => {
      return createUser(input, auditedChange(ctx, "user.manage"));
    }),
  setRole: procedure("user.manage")
    .input(byId.extend({ role: userRole }))
    .mutation(({ input, ctx }) => {
      return setRole(actor(ctx), input.id, input.role, auditedChange(ctx, "user.manage"));
    }),
  setDisabled: procedure("user.manage")
    .input(byId.extend({ disabled: z.boolean({ error: "disabled must be true or false" }) }))
    .mutation(({ input, ctx }) => {
      return setDisabled(actor(ctx), input.id, input.disabled, auditedChange(ctx, "user.manage"));
    }),
  delete: procedure("user.manage")
    .input(byId)
    .mutation(({ input, ctx }) => {
      return deleteUser(actor(ctx), input.id, auditedChange(ctx, "user.manage"));
    }),
  resetPassword: procedure("user.manage")
    .input(byId.extend({ password }))
    .mutation(({ input, ctx }) => {
      return resetPassword(actor(ctx), input.id, input.password, auditedChange(ctx, "user.manage"));
    }),

  // Role grants per environment.
  grants: procedure("user.manage")
    .input(z.object({ env: envIdSchema }))
    .query(({ input }) => listGrants(input.env)),
  grant: procedure("user.manage")
    .input(
      z
        .object({
          env: envIdSchema,
          userId: recordId("userId").optional(),
          teamId: recordId("teamId").optional(),
          role: z.enum(envRoles, { error: `role must be one of ${envRoles.join(", ")}` }),
        })
        .refine((v) => (v.userId === undefined) !== (v.teamId === undefined), { message: "name either a user (userId) or a team (teamId)", path: ["userId"] }),
    )
    .mutation(({ input, ctx }) => {
      const subject = input.userId !== undefined ? { userId: input.userId } : { teamId: input.teamId! };
      return grantRole(input.env, subject, input.role, auditedChange(ctx, "user.manage"));
    }),
  revoke: procedure("user.manage")
    .input(byId)
    .mutation(({ input, ctx }) => {
      return revokeGrant(input.id, auditedChange(ctx, "user.manage"));
    }),
});
