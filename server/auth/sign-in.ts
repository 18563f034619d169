import { setTimeout as sleep } from "node:timers/promises";
import { db } from "../db";
import { writeAudit } from "../audit";
import { auditName, checkCredentials } from "./credentials";
import { dummyHash, verifyPassword } from "./password";
import { addressWaitMs, clearSignInFailures, recordSignInFailure, usernameDelayMs } from "./rate-limit";
import { createSession } from "./sessions";
import { retryText } from "./throttle-math";

export interface SignedInUser {
  id: string;
  username: string;
  role: string;
  /** The server-side session created for this sign-in. */
  sid: string;
}

/** One message for every wrong credential, so it does not tell which part was wrong. */
export const WRONG_CREDENTIALS = "Wrong username or password.";

/** The audit row of a sign-in attempt; it keeps only a short prefix of the username sent. */
export function auditSignIn(rawUsername: unknown, sourceIp: string, outcome: "ok" | "error", error?: string, userId?: string) {
  const name = auditName(rawUsername);
  return writeAudit({ action: "auth.sign-in", username: name, userId, sourceIp, outcome, error, target: { type: "user", name } });
}

/** Checks a sign-in, throttles failures and writes the audit row either way; a success opens a session. */
export async function verifySignIn(raw: { username?: unknown; password?: unknown }, sourceIp: string): Promise<SignedInUser> {
  const checked = checkCredentials(raw);
  if (!checked.ok) {
    await auditSignIn(raw.username, sourceIp, "error", checked.message);
    throw new Error(checked.message);
  }
  const { username, password } = checked;
  const audit = (outcome: "ok" | "error", error?: string, userId?: string) => auditSignIn(username, sourceIp, outcome, error, userId);

  const wait = await addressWaitMs(sourceIp);
  if (wait > 0) {
    const msg = `Too many failed sign-ins from your address. Try again in ${retryText(wait)}.`;
    await audit("error", msg);
    throw new Error(msg);
  }
  const user = await db.user.findUnique({
    where: { username },
    select: { id: true, username: true, role: true, passwordHash: true },
  });
  const delay = await usernameDelayMs(username, user?.id, sourceIp);
  if (delay > 0) await sleep(delay);
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash()), password);
  if (!user || !ok) {
    await recordSignInFailure(sourceIp, username);
    await audit("error", WRONG_CREDENTIALS);
    throw new Error(WRONG_CREDENTIALS);
  }
  await clearSignInFailures(sourceIp, username);
  await db.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  const sid = await createSession(user.id, sourceIp);
  await audit("ok", undefined, user.id);
  return { id: user.id, username: user.username, role: user.role, sid };
}
