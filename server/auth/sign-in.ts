import { setTimeout as sleep } from "node:timers/promises";
import { db } from "../db";
import { writeAudit } from "../audit";
import { auditName, checkCredentials } from "./credentials";
import { dummyHash, verifyPassword } from "./password";
import {
  addressWaitMs,
  clearCodeFailures,
  clearSignInFailures,
  codeWaitMs,
  recordCodeFailure,
  recordSignInFailure,
  usernameDelayMs,
  withCodeLock,
} from "./rate-limit";
import { createSession } from "./sessions";
import { retryText } from "./throttle-math";
import { checkSecondFactor } from "./two-factor";

export interface SignedInUser {
  id: string;
  username: string;
  role: string;
  /** The server-side session created for this sign-in. */
  sid: string;
}

/** One message for every wrong credential, so it does not tell which part was wrong. */
export const WRONG_CREDENTIALS = "Wrong username or password.";
/**
 * The answer to a right password of a user with two-factor sign-in and no code
 * sent: the login page then asks for the code and sends all three again.
 */
export const TOTP_REQUIRED = "TOTP_REQUIRED";
export const WRONG_CODE = "Wrong authentication code.";

/** The audit row of a sign-in attempt; it keeps only a short prefix of the username sent. */
export function auditSignIn(rawUsername: unknown, sourceIp: string, outcome: "ok" | "error", error?: string, userId?: string, details?: unknown) {
  const name = auditName(rawUsername);
  return writeAudit({ action: "auth.sign-in", username: name, userId, sourceIp, outcome, error, details, target: { type: "user", name } });
}

async function refuseWhileCodesThrottled(userId: string, audit: (outcome: "error", error: string, userId: string) => Promise<unknown>) {
  const wait = await codeWaitMs(userId);
  if (wait === 0) return;
  const msg = `Too many wrong authentication codes. Try again in ${retryText(wait)}.`;
  await audit("error", msg, userId);
  throw new Error(msg);
}

/** Checks a sign-in, throttles failures and writes the audit row either way; a success opens a session. */
export async function verifySignIn(
  raw: { username?: unknown; password?: unknown; code?: unknown },
  sourceIp: string,
  userAgent?: string,
): Promise<SignedInUser> {
  const checked = checkCredentials(raw);
  if (!checked.ok) {
    await auditSignIn(raw.username, sourceIp, "error", checked.message);
    throw new Error(checked.message);
  }
  const { username, password, code } = checked;
  const audit = (outcome: "ok" | "error", error?: string, userId?: string, details?: unknown) =>
    auditSignIn(username, sourceIp, outcome, error, userId, details);

  const wait = await addressWaitMs(sourceIp);
  if (wait > 0) {
    const msg = `Too many failed sign-ins from your address. Try again in ${retryText(wait)}.`;
    await audit("error", msg);
    throw new Error(msg);
  }
  const user = await db.user.findUnique({
    where: { username },
    select: { id: true, username: true, role: true, passwordHash: true, disabled: true, totpSecret: true, totpEnabledAt: true },
  });
  // Codes are refused early while the user's code throttle holds (before any wait or password check).
  if (user?.totpEnabledAt && code) await refuseWhileCodesThrottled(user.id, audit);
  const delay = await usernameDelayMs(username, user?.id, sourceIp);
  if (delay > 0) await sleep(delay);
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash()), password);
  // A disabled user gets the same answer as a wrong password: the page does not tell that the account exists.
  if (!user || !ok || user.disabled) {
    await recordSignInFailure(sourceIp, username);
    const disabled = !!user && ok;
    await audit("error", disabled ? `${WRONG_CREDENTIALS} (the user is disabled)` : WRONG_CREDENTIALS, disabled ? user.id : undefined);
    throw new Error(WRONG_CREDENTIALS);
  }
  let secondFactor: "totp" | "recovery" | undefined;
  if (user.totpEnabledAt) {
    if (!code) throw new Error(TOTP_REQUIRED);
    secondFactor = await withCodeLock(user.id, async () => {
      await refuseWhileCodesThrottled(user.id, audit);
      const how = await checkSecondFactor(user, code);
      if (!how) {
        await recordCodeFailure(user.id);
        await recordSignInFailure(sourceIp, username);
        await audit("error", WRONG_CODE, user.id);
        throw new Error(WRONG_CODE);
      }
      await clearCodeFailures(user.id);
      return how;
    });
  }
  await clearSignInFailures(sourceIp, username);
  await db.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  const sid = await createSession(user.id, sourceIp, Date.now(), userAgent);
  await audit("ok", undefined, user.id, secondFactor ? { secondFactor } : undefined);
  return { id: user.id, username: user.username, role: user.role, sid };
}
