/**
 * The signed-in user's own account: password, two-factor sign-in, sessions;
 * and (administrators) who must use two-factor sign-in. Thin: the work is in
 * server/auth/. Secrets in inputs (`*password*`, `authCode`) are redacted from
 * the audit by their names (server/audit.ts); outputs are not audited.
 */
import { z } from "zod";
import { changeOwnPassword, changeRequire2fa, confirmIdentity, confirmPassword, twoFactorRequiredFor } from "../../auth/account";
import { CODE_MAX, CREDENTIAL_MAX } from "../../auth/credentials";
import { listSessions, revokeOwnSession } from "../../auth/session-list";
import { revokeOtherSessions } from "../../auth/sessions";
import { beginEnrolment, confirmEnrolment, disableTwoFactor, regenerateRecoveryCodes, twoFactorStatus } from "../../auth/two-factor";
import { require2fa, require2faValues } from "../../auth/two-factor-policy";
import { BerthError } from "../../errors";
import { procedure, router, type Context } from "../trpc";

/** Bounded, not judged here: the policy (password-policy.ts) says what a new password must be. */
const passwordInput = z.string().min(1, "is required").max(1024, "must be at most 1024 characters");
const authCode = z.string().trim().min(1, "is required").max(CODE_MAX, `must be at most ${CODE_MAX} characters`);
const identityInput = z.object({
  password: z.string().max(CREDENTIAL_MAX, `must be at most ${CREDENTIAL_MAX} characters`).optional(),
  authCode: authCode.optional(),
});

function me(ctx: Context) {
  // account.manage is never public: the guard has made sure someone is signed in.
  const user = ctx.user!;
  ctx.audit.target = { type: "user", id: user.id, name: user.username };
  return user;
}

export const accountRouter = router({
  changePassword: procedure("account.manage")
    .input(z.object({ currentPassword: passwordInput, newPassword: passwordInput }))
    .mutation(({ ctx, input }) => changeOwnPassword(me(ctx), input, ctx.sourceIp)),

  sessions: procedure("account.manage").query(({ ctx }) => listSessions(ctx.user!.id, ctx.user!.sid)),
  revokeSession: procedure("account.manage")
    .input(z.object({ id: z.string().min(1, "is required").max(64, "must be at most 64 characters") }))
    .mutation(async ({ ctx, input }) => {
      const user = me(ctx);
      ctx.audit.target = { type: "session", id: input.id, name: user.username };
      await revokeOwnSession(user.id, user.sid, input.id);
    }),
  revokeOtherSessions: procedure("account.manage").mutation(async ({ ctx }) => {
    const user = me(ctx);
    return { ended: await revokeOtherSessions(user.id, user.sid) };
  }),

  twoFactor: procedure("account.manage").query(async ({ ctx }) => ({
    ...(await twoFactorStatus(ctx.user!.id)),
    required: await twoFactorRequiredFor(ctx.user!),
  })),
  beginTwoFactor: procedure("account.manage")
    .input(z.object({ password: z.string().min(1, "is required").max(CREDENTIAL_MAX, `must be at most ${CREDENTIAL_MAX} characters`) }))
    .mutation(async ({ ctx, input }) => {
      const user = me(ctx);
      await confirmPassword(user, input.password, ctx.sourceIp);
      return beginEnrolment(user.id, user.username);
    }),
  confirmTwoFactor: procedure("account.manage")
    .input(z.object({ authCode }))
    .mutation(async ({ ctx, input }) => ({ recoveryCodes: await confirmEnrolment(me(ctx).id, input.authCode) })),
  disableTwoFactor: procedure("account.manage")
    .input(identityInput)
    .mutation(async ({ ctx, input }) => {
      const user = me(ctx);
      if (await twoFactorRequiredFor(user)) {
        throw new BerthError("FORBIDDEN", "Two-factor sign-in is required for your account by an administrator: it cannot be turned off.");
      }
      await confirmIdentity(user, input, ctx.sourceIp);
      await disableTwoFactor(user.id);
    }),
  regenerateRecoveryCodes: procedure("account.manage")
    .input(identityInput)
    .mutation(async ({ ctx, input }) => {
      const user = me(ctx);
      await confirmIdentity(user, input, ctx.sourceIp);
      return { recoveryCodes: await regenerateRecoveryCodes(user.id) };
    }),

  twoFactorPolicy: procedure("settings.manage").query(async () => ({ require2fa: await require2fa() })),
  setTwoFactorPolicy: procedure("settings.manage")
    .input(z.object({ require2fa: z.enum(require2faValues, { message: `must be one of ${require2faValues.join(", ")}` }) }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = { type: "setting", id: "auth.require2fa", name: input.require2fa };
      await changeRequire2fa(ctx.user!, input.require2fa);
    }),
});
