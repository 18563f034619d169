/**
 * Server-side sessions. The session JWT carries the id of a row here (`sid`),
 * and the row decides whether the session is live: signing out, changing the
 * password or removing the user ends it on the server, whatever the browser
 * still holds. Open WebSockets of an ended session are closed through
 * onSessionEnd.
 */
import crypto from "node:crypto";
import { db } from "../db";
import { require2fa, twoFactorRequired } from "./two-factor-policy";
import { storedUserAgent } from "./user-agent";

export const SESSION_HOURS = 8;
const SESSION_MS = SESSION_HOURS * 3600_000;
/** lastSeenAt is written at most this often per session, not on every request. */
const TOUCH_EVERY_MS = 60_000;
/** Ended sessions are kept a while: they tell which addresses a user signs in from. */
const KEEP_ENDED_MS = 30 * 24 * 3600_000;
/** How long an ended id is remembered in memory: longer than a WebSocket ticket lives. */
const REMEMBER_ENDED_MS = 120_000;

export interface SessionOwner {
  id: string;
  username: string;
  role: string;
  /** An administrator reset the password: until the user sets a new one, only /account/password and its procedures are open. */
  mustChangePassword: boolean;
  /** Two-factor sign-in is required of this user (auth.require2fa) and not set up yet: only /account/two-factor is open. */
  mustEnrollTwoFactor: boolean;
}

type Watcher = () => void;
interface Registry {
  watchers: Map<string, Set<Watcher>>;
  ended: Map<string, number>;
}
// Next's bundle (sign-out) and the custom server (WebSockets) are two module graphs: they meet on globalThis.
const g = globalThis as unknown as { __berthSessions?: Registry };
const registry: Registry = g.__berthSessions ?? (g.__berthSessions = { watchers: new Map(), ended: new Map() });

export async function createSession(userId: string, sourceIp: string | null, now = Date.now(), userAgent?: string | null): Promise<string> {
  const id = crypto.randomBytes(24).toString("base64url");
  await db.session.create({
    data: {
      id,
      userId,
      sourceIp,
      userAgent: storedUserAgent(userAgent),
      createdAt: new Date(now),
      lastSeenAt: new Date(now),
      expiresAt: new Date(now + SESSION_MS),
    },
  });
  await db.session.deleteMany({ where: { expiresAt: { lt: new Date(now - KEEP_ENDED_MS) } } });
  return id;
}

/** The session's user if the session is live (not ended, not expired, its user still there and not disabled), else null. */
export async function liveSession(sid: string, userId: string, now = Date.now()): Promise<SessionOwner | null> {
  const row = await db.session.findUnique({
    where: { id: sid },
    select: {
      userId: true,
      expiresAt: true,
      revokedAt: true,
      lastSeenAt: true,
      user: { select: { id: true, username: true, role: true, disabled: true, mustChangePassword: true, totpEnabledAt: true } },
    },
  });
  if (!row || row.revokedAt || row.userId !== userId || row.expiresAt.getTime() <= now || row.user.disabled) return null;
  if (now - row.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
    // Use keeps a session alive, as next-auth's rolling JWT does.
    await db.session.updateMany({
      where: { id: sid, revokedAt: null },
      data: { lastSeenAt: new Date(now), expiresAt: new Date(now + SESSION_MS) },
    });
  }
  const { id, username, role, mustChangePassword, totpEnabledAt } = row.user;
  const mustEnrollTwoFactor = !totpEnabledAt && twoFactorRequired(await require2fa(now), role);
  return { id, username, role, mustChangePassword, mustEnrollTwoFactor };
}

function announceEnded(sids: string[], now: number) {
  for (const [sid, at] of registry.ended) if (now - at > REMEMBER_ENDED_MS) registry.ended.delete(sid);
  for (const sid of sids) {
    registry.ended.set(sid, now);
    const watchers = registry.watchers.get(sid);
    registry.watchers.delete(sid);
    for (const w of watchers ?? []) {
      try {
        w();
      } catch (err) {
        console.error("[sessions] a session-end watcher failed", err);
      }
    }
  }
}

/** Ends one session (sign-out). */
export async function revokeSession(sid: string, now = Date.now()): Promise<void> {
  await db.session.updateMany({ where: { id: sid, revokedAt: null }, data: { revokedAt: new Date(now) } });
  announceEnded([sid], now);
}

/** Ends every session of a user: after a password change or before removing the user. Returns how many were live. */
export async function revokeSessionsOf(userId: string, now = Date.now()): Promise<number> {
  const live = await db.session.findMany({ where: { userId, revokedAt: null }, select: { id: true } });
  await db.session.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date(now) } });
  announceEnded(
    live.map((s) => s.id),
    now,
  );
  return live.length;
}

/** Ends every session of a user but one (the one asking): after they change their password. Returns how many ended. */
export async function revokeOtherSessions(userId: string, keepSid: string | undefined, now = Date.now()): Promise<number> {
  const others = await db.session.findMany({ where: { userId, revokedAt: null, ...(keepSid ? { id: { not: keepSid } } : {}) }, select: { id: true } });
  const ids = others.map((s) => s.id);
  await db.session.updateMany({ where: { id: { in: ids }, revokedAt: null }, data: { revokedAt: new Date(now) } });
  announceEnded(ids, now);
  return ids.length;
}

/** True when this process saw the session end lately (a synchronous check, e.g. for a WebSocket ticket). */
export function sessionEndedLately(sid: string | undefined): boolean {
  return !!sid && registry.ended.has(sid);
}

/** Calls onEnd once when the session ends in this process; returns the function that stops watching. */
export function onSessionEnd(sid: string | undefined, onEnd: Watcher): () => void {
  if (!sid) return () => {};
  if (sessionEndedLately(sid)) {
    queueMicrotask(onEnd);
    return () => {};
  }
  const set = registry.watchers.get(sid) ?? new Set<Watcher>();
  registry.watchers.set(sid, set);
  set.add(onEnd);
  return () => {
    set.delete(onEnd);
    if (!set.size && registry.watchers.get(sid) === set) registry.watchers.delete(sid);
  };
}
