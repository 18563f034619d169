/**
 * Authentication by API token (`Authorization: Bearer <token>` or
 * `X-API-Key: <token>`), for the REST API and tRPC alike: the request then acts
 * as the token's user, under the same permissions and audit as a signed-in one.
 *
 * A token is refused when unknown, revoked, expired, or when its user is
 * disabled. Bad tokens are throttled per source address with the sign-in
 * throttle's arithmetic (throttle-math.ts): after 5 free failures each one
 * doubles the wait. Only that address pays; a good token is never refused
 * because someone else guesses.
 */
import type { IncomingMessage } from "node:http";
import type { Permission } from "../api/permissions";
import { db } from "../db";
import type { SessionUser } from "./session";
import { FORGET_AFTER_MS, retryText, waitMs } from "./throttle-math";
import { countFailures } from "./rate-limit";
import { require2fa, twoFactorRequired } from "./two-factor-policy";
import { credentialOf, hashToken } from "./token-format";

/** lastUsedAt is written at most this often per token, not on every request. */
const TOUCH_EVERY_MS = 60_000;
const PRUNE_EVERY_MS = 10 * 60_000;

/**
 * What a token may not do, whatever its user's role: open the live WebSocket,
 * touch the account itself (password, two-factor, sessions, API tokens), or
 * download a backup (every key and password hash Berth holds). A stolen token
 * must not mint more tokens, change the password, lock its owner out or walk
 * away with the secrets; those need a person signed in.
 */
export const SESSION_ONLY: ReadonlySet<Permission> = new Set<Permission>(["ws.ticket", "account.manage", "backup.create"]);

export const tokenMayUse = (permission: Permission) => !SESSION_ONLY.has(permission);

export const SESSION_ONLY_MESSAGE = "An API token cannot do this: sign in to the dashboard instead.";

export type TokenAuth =
  | { kind: "none" }
  | { kind: "ok"; user: SessionUser; tokenId: string }
  | { kind: "refused"; message: string }
  | { kind: "throttled"; message: string; retryAfterSeconds: number };

const throttleKey = (ip: string) => `token-ip:${ip}`;
let lastPrune = 0;

async function recordFailure(ip: string, now: number): Promise<void> {
  const key = throttleKey(ip);
  await countFailures([key], now);
  if (now - lastPrune > PRUNE_EVERY_MS) {
    lastPrune = now;
    await db.signInThrottle.deleteMany({ where: { key: { startsWith: "token-ip:" }, lastFailureAt: { lt: new Date(now - FORGET_AFTER_MS) } } });
  }
}

const REFUSED = "API token not accepted: it is unknown, revoked or expired, or its user is disabled.";

/** Decides a request's token once (no cache: use tokenAuth). */
async function authenticate(req: IncomingMessage, ip: string, now: number): Promise<TokenAuth> {
  const credential = credentialOf(req.headers);
  if (!credential) return { kind: "none" };
  const throttle = await db.signInThrottle.findUnique({ where: { key: throttleKey(ip) } });
  const wait = waitMs(throttle && { failures: throttle.failures, lastFailureAt: throttle.lastFailureAt.getTime() }, now);
  if (wait > 0) {
    return { kind: "throttled", message: `Too many bad API tokens from this address: try again in ${retryText(wait)}.`, retryAfterSeconds: Math.ceil(wait / 1000) };
  }
  const row = credential.wellFormed
    ? await db.apiToken.findUnique({
        where: { hash: hashToken(credential.token) },
        select: { id: true, expiresAt: true, revokedAt: true, lastUsedAt: true, user: { select: { id: true, username: true, role: true, disabled: true, mustChangePassword: true, totpEnabledAt: true } } },
      })
    : null;
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt.getTime() <= now) || row.user.disabled) {
    await recordFailure(ip, now);
    return { kind: "refused", message: REFUSED };
  }
  // A good token from this address ends its count (as a good sign-in does): it only held guessers back.
  if (throttle) await db.signInThrottle.deleteMany({ where: { key: throttleKey(ip) } });
  if (!row.lastUsedAt || now - row.lastUsedAt.getTime() >= TOUCH_EVERY_MS) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date(now) } });
  }
  const { id, username, role, mustChangePassword, totpEnabledAt } = row.user;
  // As on a session's user (sessions.ts): a password to change or two-factor to set up first holds for tokens too.
  const mustEnrollTwoFactor = !totpEnabledAt && twoFactorRequired(await require2fa(now), role);
  const user: SessionUser = { id, username, role, ...(mustChangePassword ? { mustChangePassword } : {}), ...(mustEnrollTwoFactor ? { mustEnrollTwoFactor } : {}) };
  return { kind: "ok", user, tokenId: row.id };
}

// One decision per request: tRPC's context and the REST layer both ask, and a bad token counts once.
const decided = new WeakMap<IncomingMessage, Promise<TokenAuth>>();

/** The address a bad token counts against (the socket's, as for sign-in). */
const addressOf = (req: IncomingMessage) => req.socket.remoteAddress?.replace(/^::ffff:/, "") ?? "unknown";

export function tokenAuth(req: IncomingMessage, now = Date.now()): Promise<TokenAuth> {
  let result = decided.get(req);
  if (!result) {
    result = authenticate(req, addressOf(req), now);
    decided.set(req, result);
  }
  return result;
}

/** The user a request's API token stands for (the `sessionUser` shape, without `sid`), or null. */
export async function tokenUser(req: IncomingMessage): Promise<SessionUser | null> {
  const auth = await tokenAuth(req);
  return auth.kind === "ok" ? auth.user : null;
}
