/**
 * A user's own live sessions, as the Account page lists them. A session is
 * named to the browser by a handle (a hash of its id), never by the id the
 * session cookie carries.
 */
import crypto from "node:crypto";
import { db } from "../db";
import { BerthError } from "../errors";
import { revokeSession } from "./sessions";
import { deviceSummary } from "./user-agent";

export function sessionHandle(sid: string): string {
  return crypto.createHash("sha256").update(`berth-session:${sid}`).digest("base64url").slice(0, 22);
}

export interface ListedSession {
  id: string;
  device: string;
  userAgent: string | null;
  address: string | null;
  signedInAt: Date;
  lastSeenAt: Date;
  current: boolean;
}

async function liveRows(userId: string, now: number) {
  return db.session.findMany({
    where: { userId, revokedAt: null, expiresAt: { gt: new Date(now) } },
    orderBy: { lastSeenAt: "desc" },
    select: { id: true, userAgent: true, sourceIp: true, createdAt: true, lastSeenAt: true },
    take: 200,
  });
}

export async function listSessions(userId: string, currentSid: string | undefined, now = Date.now()): Promise<ListedSession[]> {
  const rows = await liveRows(userId, now);
  const listed = rows.map((r) => ({
    id: sessionHandle(r.id),
    device: deviceSummary(r.userAgent),
    userAgent: r.userAgent,
    address: r.sourceIp,
    signedInAt: r.createdAt,
    lastSeenAt: r.lastSeenAt,
    current: r.id === currentSid,
  }));
  // This session first: it is the one a person looks for.
  return listed.sort((a, b) => Number(b.current) - Number(a.current));
}

/** Ends one of the user's own sessions, named by its handle; not the one asking (that is Sign out). */
export async function revokeOwnSession(userId: string, currentSid: string | undefined, handle: string, now = Date.now()): Promise<void> {
  const row = (await liveRows(userId, now)).find((r) => sessionHandle(r.id) === handle);
  if (!row) throw new BerthError("NOT_FOUND", "id: no such live session of yours (it may have ended already)", { field: "id" });
  if (row.id === currentSid) throw new BerthError("BAD_REQUEST", "id: this is the session you are using: use Sign out instead", { field: "id" });
  await revokeSession(row.id, now);
}
