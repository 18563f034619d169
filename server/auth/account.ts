/**
 * What a signed-in user does to their own account: change the password, prove
 * it is them again before turning two-factor sign-in off, and who must use
 * two-factor sign-in. The procedures are in server/api/routers/account.ts.
 */
import { db } from "../db";
import { BerthError } from "../errors";
import { hashPassword, verifyPassword } from "./password";
import { passwordProblem } from "./password-policy";
import { addressWaitMs, clearCodeFailures, codeWaitMs, recordCodeFailure, recordSignInFailure, withCodeLock } from "./rate-limit";
import { revokeOtherSessions } from "./sessions";
import { retryText } from "./throttle-math";
import { checkSecondFactor } from "./two-factor";
import { require2fa, setRequire2fa, twoFactorRequired, type Require2fa } from "./two-factor-policy";

export interface AccountUser {
  id: string;
  username: string;
  role: string;
  sid?: string;
}

/** Refused early while the address is throttled: these checks are as guessable as a sign-in. */
async function throttled(sourceIp: string, field: string) {
  const wait = await addressWaitMs(sourceIp);
  if (wait > 0) throw new BerthError("FORBIDDEN", `${field}: too many wrong attempts from your address; try again in ${retryText(wait)}`, { field });
}

async function checkCurrentPassword(user: AccountUser, password: string, sourceIp: string, field: string) {
  await throttled(sourceIp, field);
  const row = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true } });
  if (!(await verifyPassword(row.passwordHash, password))) {
    await recordSignInFailure(sourceIp, user.username);
    throw new BerthError("BAD_REQUEST", `${field}: the password is wrong`, { field });
  }
}

/**
 * Sets a new password after checking the current one and the policy. Every
 * other session of the user ends (a thief's copy among them); this one stays.
 * Clears an administrator's "must change at next sign-in".
 */
export async function changeOwnPassword(user: AccountUser, input: { currentPassword: string; newPassword: string }, sourceIp: string) {
  await checkCurrentPassword(user, input.currentPassword, sourceIp, "currentPassword");
  const weak = passwordProblem(input.newPassword, user.username, "newPassword");
  if (weak) throw new BerthError("BAD_REQUEST", weak.message, { field: weak.field });
  if (input.newPassword === input.currentPassword) {
    throw new BerthError("BAD_REQUEST", "newPassword: must differ from the current password", { field: "newPassword" });
  }
  const passwordHash = await hashPassword(input.newPassword);
  await db.user.update({ where: { id: user.id }, data: { passwordHash, mustChangePassword: false } });
  return { otherSessionsEnded: await revokeOtherSessions(user.id, user.sid) };
}

/** Before a second factor is set up: the password again, so a stolen session cannot tie the account to the thief's app. */
export async function confirmPassword(user: AccountUser, password: string, sourceIp: string) {
  await checkCurrentPassword(user, password, sourceIp, "password");
}

/** The user proves it is them again, with their password or a two-factor code (or a recovery code). */
export async function confirmIdentity(user: AccountUser, input: { password?: string; authCode?: string }, sourceIp: string) {
  const authCode = input.authCode;
  if (authCode) {
    return withCodeLock(user.id, async () => {
      const wait = await codeWaitMs(user.id);
      if (wait > 0) throw new BerthError("FORBIDDEN", `authCode: too many wrong codes; try again in ${retryText(wait)}`, { field: "authCode" });
      const row = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { id: true, totpSecret: true, totpEnabledAt: true } });
      if (!row.totpEnabledAt || !(await checkSecondFactor(row, authCode))) {
        await recordCodeFailure(user.id);
        throw new BerthError("BAD_REQUEST", "authCode: wrong authentication code", { field: "authCode" });
      }
      await clearCodeFailures(user.id);
    });
  }
  if (input.password) return checkCurrentPassword(user, input.password, sourceIp, "password");
  throw new BerthError("BAD_REQUEST", "password: enter your password or an authentication code", { field: "password" });
}

/** Whether this user must keep two-factor sign-in on. */
export async function twoFactorRequiredFor(user: AccountUser): Promise<boolean> {
  return twoFactorRequired(await require2fa(), user.role);
}

/**
 * Changes who must use two-factor sign-in. The administrator who turns it on
 * must use it already: otherwise the setting would send them, at once, to enrol.
 */
export async function changeRequire2fa(user: AccountUser, value: Require2fa) {
  if (value !== "off") {
    const row = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { totpEnabledAt: true } });
    if (!row.totpEnabledAt) {
      throw new BerthError("BAD_REQUEST", "require2fa: turn on two-factor sign-in for your own account first", { field: "require2fa" });
    }
  }
  await setRequire2fa(value);
}
