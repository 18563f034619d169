import type { IncomingMessage } from "node:http";
import { getToken } from "next-auth/jwt";
import { db } from "../db";

export interface SessionUser {
  id: string;
  username: string;
  role: string;
}

/** The signed-in user of a raw Node request (tRPC, WebSocket upgrade, page guard), or null. */
function parseCookies(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of header.split(";")) {
    const i = part.indexOf("=");
    if (i < 1) continue;
    const k = part.slice(0, i).trim();
    if (!(k in out)) {
      try {
        out[k] = decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        out[k] = part.slice(i + 1).trim();
      }
    }
  }
  return out;
}

export async function sessionUser(req: IncomingMessage): Promise<SessionUser | null> {
  const cookies = parseCookies(req.headers.cookie ?? "");
  const token = await getToken({
    req: { cookies, headers: req.headers } as never,
    secret: process.env.NEXTAUTH_SECRET,
  });
  if (!token?.sub) return null;
  // A deleted user's still-valid JWT must stop working at once.
  const user = await db.user.findUnique({ where: { id: token.sub }, select: { id: true, username: true, role: true } });
  return user;
}
