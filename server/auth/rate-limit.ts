/**
 * Sign-in throttling, kept in SQLite so a restart does not reset it.
 *
 * Every failed attempt counts against two keys, with the progressive delays
 * of throttle-math.ts:
 * - its source address, which is then refused early ("try again in N s").
 *   Only that address pays: failing on purpose locks out nobody but oneself.
 * - its username, which only slows later attempts, as a short server-side
 *   delay (at most USER_DELAY_CAP_MS) and never a refusal, and not at all from
 *   an address that has signed in as that user before. Refusing per username
 *   would let anyone lock the administrator out by failing on purpose; the
 *   delay still slows a guesser who rotates addresses, and every attempt is audited.
 */
import { db } from "../db";
import { afterFailure, FORGET_AFTER_MS, waitMs, type ThrottleEntry } from "./throttle-math";

export const USER_DELAY_CAP_MS = 5_000;
const PRUNE_EVERY_MS = 10 * 60_000;

const addressKey = (ip: string) => `ip:${ip}`;
const userKey = (username: string) => `user:${username.toLowerCase()}`;

async function entry(key: string): Promise<ThrottleEntry | null> {
  const row = await db.signInThrottle.findUnique({ where: { key } });
  return row ? { failures: row.failures, lastFailureAt: row.lastFailureAt.getTime() } : null;
}

/** Milliseconds before this address may try again (0: now). */
export async function addressWaitMs(ip: string, now = Date.now()): Promise<number> {
  return waitMs(await entry(addressKey(ip)), now);
}

/** Milliseconds to hold this attempt before checking the password (0 for an address the user has signed in from). */
export async function usernameDelayMs(username: string, userId: string | undefined, ip: string, now = Date.now()): Promise<number> {
  const wait = waitMs(await entry(userKey(username)), now);
  if (wait === 0) return 0;
  if (userId && (await db.session.findFirst({ where: { userId, sourceIp: ip }, select: { id: true } }))) return 0;
  return Math.min(wait, USER_DELAY_CAP_MS);
}

let lastPrune = 0;

/** Counts one more failure under each key, in one transaction (sign-ins here, API tokens in ./api-token.ts). */
export async function countFailures(keys: readonly string[], now = Date.now()): Promise<void> {
  await db.$transaction(async (tx) => {
    for (const key of keys) {
      const row = await tx.signInThrottle.findUnique({ where: { key } });
      const next = afterFailure(row && { failures: row.failures, lastFailureAt: row.lastFailureAt.getTime() }, now);
      const data = { failures: next.failures, lastFailureAt: new Date(next.lastFailureAt) };
      await tx.signInThrottle.upsert({ where: { key }, create: { key, ...data }, update: data });
    }
  });
}

export async function recordSignInFailure(ip: string, username: string, now = Date.now()): Promise<void> {
  await countFailures([addressKey(ip), userKey(username)], now);
  if (now - lastPrune > PRUNE_EVERY_MS) {
    lastPrune = now;
    await db.signInThrottle.deleteMany({ where: { lastFailureAt: { lt: new Date(now - FORGET_AFTER_MS) } } });
  }
}

export async function clearSignInFailures(ip: string, username: string): Promise<void> {
  await db.signInThrottle.deleteMany({ where: { key: { in: [addressKey(ip), userKey(username)] } } });
}

/*
 * Wrong two-factor codes also count against the user's own key, and that key
 * refuses (not only slows): six digits are few, and whoever sends codes
 * already has the password, so locking them out locks out no stranger's victim.
 */
const codeKey = (userId: string) => `code:${userId}`;

/** Milliseconds before this user may try another authentication code (0: now). */
export async function codeWaitMs(userId: string, now = Date.now()): Promise<number> {
  return waitMs(await entry(codeKey(userId)), now);
}

export async function recordCodeFailure(userId: string, now = Date.now()): Promise<void> {
  const key = codeKey(userId);
  const row = await db.signInThrottle.findUnique({ where: { key } });
  const next = afterFailure(row && { failures: row.failures, lastFailureAt: row.lastFailureAt.getTime() }, now);
  const data = { failures: next.failures, lastFailureAt: new Date(next.lastFailureAt) };
  await db.signInThrottle.upsert({ where: { key }, create: { key, ...data }, update: data });
}

export async function clearCodeFailures(userId: string): Promise<void> {
  await db.signInThrottle.deleteMany({ where: { key: codeKey(userId) } });
}

// Next's bundle (sign-in) and the custom server (tRPC) are two module graphs: they share the locks on globalThis.
const g = globalThis as unknown as { __berthCodeLocks?: Map<string, Promise<unknown>> };
const codeLocks = (g.__berthCodeLocks ??= new Map());

/**
 * Runs one user's code checks one at a time: a burst of guesses sent together
 * would otherwise all pass the wait check before any of them is counted.
 */
export function withCodeLock<T>(userId: string, fn: () => Promise<T>): Promise<T> {
  const before = codeLocks.get(userId) ?? Promise.resolve();
  const run = before.then(fn, fn);
  const tail = run.catch(() => undefined);
  codeLocks.set(userId, tail);
  void tail.then(() => {
    if (codeLocks.get(userId) === tail) codeLocks.delete(userId);
  });
  return run;
}
