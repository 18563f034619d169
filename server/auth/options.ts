/**
 * next-auth options: credentials against Berth's own users, JWT sessions
 * whose `sid` names a server-side session (sessions.ts).
 * Used by app/api/auth/[...nextauth]/route.ts; the secret is put in
 * NEXTAUTH_SECRET by server/main.ts before Next starts.
 */
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { writeAudit } from "../audit";
import { revokeSession, SESSION_HOURS } from "./sessions";
import { verifySignIn } from "./sign-in";

function header(headers: unknown, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const v = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(v) ? v[0] : v;
}

export const authOptions: NextAuthOptions = {
  session: { strategy: "jwt", maxAge: SESSION_HOURS * 3600 },
  pages: { signIn: "/login", error: "/login" },
  providers: [
    CredentialsProvider({
      name: "Berth",
      credentials: {
        username: { label: "Username", type: "text" },
        password: { label: "Password", type: "password" },
        // The second step for a user with two-factor sign-in (sign-in.ts answers TOTP_REQUIRED without it).
        code: { label: "Authentication code", type: "text" },
      },
      async authorize(credentials, req) {
        // Set by server/http.ts from the socket; a client cannot forge it.
        const ip = header(req?.headers, "x-berth-client-ip") ?? "unknown";
        const raw = { username: credentials?.username, password: credentials?.password, code: credentials?.code };
        return verifySignIn(raw, ip, header(req?.headers, "user-agent"));
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        const u = user as { id: string; username: string; role: string; sid: string };
        token.sub = u.id;
        token.username = u.username;
        token.role = u.role;
        token.sid = u.sid;
      }
      return token;
    },
    session({ session, token }) {
      session.user = { id: token.sub!, username: String(token.username), role: String(token.role) } as never;
      return session;
    },
  },
  events: {
    // The browser drops its cookie; the server must forget the session too, or a copy of the cookie keeps working.
    async signOut({ token }) {
      if (typeof token?.sid !== "string") return;
      await revokeSession(token.sid);
      await writeAudit({
        action: "auth.sign-out",
        userId: token.sub ?? null,
        username: typeof token.username === "string" ? token.username : null,
        outcome: "ok",
        target: { type: "user", id: token.sub, name: typeof token.username === "string" ? token.username : undefined },
      });
    },
  },
};
