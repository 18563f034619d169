import { db } from "../db";
import { writeAudit } from "../audit";
import { dummyHash, verifyPassword } from "./password";
import { clearSignInFailures, recordSignInFailure, signInRetryAfter } from "./rate-limit";

export interface SignedInUser {
  id: string;
  username: string;
  role: string;
}

/** One message for every wrong credential, so it does not tell which part was wrong. */
export const WRONG_CREDENTIALS = "Wrong username or password.";

/** Checks a sign-in, rate-limits failures and writes the audit row either way. */
export async function verifySignIn(username: string, password: string, sourceIp: string): Promise<SignedInUser> {
  const audit = (outcome: "ok" | "error", error?: string, userId?: string) =>
    writeAudit({ action: "auth.sign-in", username, userId, sourceIp, outcome, error, target: { type: "user", name: username } });

  const wait = signInRetryAfter(sourceIp, username);
  if (wait > 0) {
    const msg = `Too many failed sign-ins. Try again in ${Math.ceil(wait / 60)} minute(s).`;
    await audit("error", msg);
    throw new Error(msg);
  }
  const user = await db.user.findUnique({
    where: { username },
    select: { id: true, username: true, role: true, passwordHash: true },
  });
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash()), password);
  if (!user || !ok) {
    recordSignInFailure(sourceIp, username);
    await audit("error", WRONG_CREDENTIALS);
    throw new Error(WRONG_CREDENTIALS);
  }
  clearSignInFailures(sourceIp, username);
  await db.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  await audit("ok", undefined, user.id);
  return { id: user.id, username: user.username, role: user.role };
}
