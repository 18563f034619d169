import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import { getToken } from "next-auth/jwt";
import { liveSession } from "./sessions";

export interface SessionUser {
  id: string;
  username: string;
  role: string;
  /** The server-side session this request belongs to (server/auth/sessions.ts). */
  sid?: string;
  /**
   * Set while the user must do something first (sessions.ts): a new password
   * after an administrator's reset, or two-factor enrolment when required.
   * Until then only `account.manage` and `session.read` are allowed.
   */
  mustChangePassword?: boolean;
  mustEnrollTwoFactor?: boolean;
}

export const SESSION_COOKIE = "next-auth.session-token";
export const SECURE_SESSION_COOKIE = `__Secure-${SESSION_COOKIE}`;

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

/**
 * Whether next-auth names its cookies with the `__Secure-` prefix for this
 * request, decided as next-auth decides it (a NEXTAUTH_URL on https, or, with
 * AUTH_TRUST_HOST, the request's X-Forwarded-Proto as Next fills it in).
 */
export function nextAuthUsesSecureCookies(headers: IncomingHttpHeaders, encrypted: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NEXTAUTH_URL) return env.NEXTAUTH_URL.startsWith("https://");
  if (env.VERCEL ?? env.AUTH_TRUST_HOST) {
    const forwarded = headers["x-forwarded-proto"];
    const proto = (Array.isArray(forwarded) ? forwarded.join(", ") : forwarded) || (encrypted ? "https" : "http");
    return proto !== "http";
  }
  return false;
}

/** The signed-in user of a raw Node request (tRPC, WebSocket upgrade, page guard, downloads), or null. */
export async function sessionUser(req: IncomingMessage): Promise<SessionUser | null> {
  const cookies = parseCookies(req.headers.cookie ?? "");
  // A __Secure- cookie can only have been set over https, so it wins when present (also chunked: name.0, name.1 …).
  const securePresent = Object.keys(cookies).some((k) => k === SECURE_SESSION_COOKIE || k.startsWith(`${SECURE_SESSION_COOKIE}.`));
  const secureCookie = securePresent || nextAuthUsesSecureCookies(req.headers, !!(req.socket as TLSSocket | undefined)?.encrypted);
  const token = await getToken({
    req: { cookies, headers: req.headers } as never,
    secret: process.env.NEXTAUTH_SECRET,
    secureCookie,
  });
  if (!token?.sub || typeof token.sid !== "string") return null;
  // The row, not the JWT, says whether the session is live: sign-out and user removal end it at once.
  const user = await liveSession(token.sid, token.sub);
  return user && { ...user, sid: token.sid };
}
