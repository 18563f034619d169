/**
 * WebSocket tickets: minted by an authenticated tRPC call, valid for 30 s,
 * good for one upgrade. The session cookie never has to travel in a URL.
 */
import crypto from "node:crypto";
import type { SessionUser } from "../auth/session";
import { sessionEndedLately } from "../auth/sessions";

const TTL_MS = 30_000;

interface Ticket {
  user: SessionUser;
  expires: number;
}

const g = globalThis as unknown as { __berthTickets?: Map<string, Ticket> };
const tickets: Map<string, Ticket> = g.__berthTickets ?? (g.__berthTickets = new Map());

export function mintTicket(user: SessionUser): { ticket: string; expiresInMs: number } {
  const now = Date.now();
  for (const [k, t] of tickets) if (t.expires < now) tickets.delete(k);
  const ticket = crypto.randomBytes(24).toString("base64url");
  tickets.set(ticket, { user, expires: now + TTL_MS });
  return { ticket, expiresInMs: TTL_MS };
}

/**
 * The ticket's user, once; a used, unknown or expired ticket gives null, and so
 * does one whose session ended after it was minted (tickets are only minted for
 * live sessions: ws.ticket needs a signed-in user).
 */
export function redeemTicket(ticket: string | null | undefined): SessionUser | null {
  if (!ticket) return null;
  const t = tickets.get(ticket);
  tickets.delete(ticket);
  if (!t || t.expires < Date.now() || sessionEndedLately(t.user.sid)) return null;
  return t.user;
}
