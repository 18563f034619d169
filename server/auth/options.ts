/**
 * next-auth options: credentials against Berth's own users, JWT sessions.
 * Used by app/api/auth/[...nextauth]/route.ts; the secret is put in
 * NEXTAUTH_SECRET by server/main.ts before Next starts.
 */
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { verifySignIn } from "./sign-in";

const SESSION_HOURS = 8;

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
      credentials: { username: { label: "Username", type: "text" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        const username = String(credentials?.username ?? "").trim();
        const password = String(credentials?.password ?? "");
        // Set by server/main.ts from the socket; a client cannot forge it.
        const ip = header(req?.headers, "x-berth-client-ip") ?? "unknown";
        if (!username || !password) throw new Error("Username and Password are required.");
        return verifySignIn(username, password, ip);
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        const u = user as { id: string; username: string; role: string };
        token.sub = u.id;
        token.username = u.username;
        token.role = u.role;
      }
      return token;
    },
    session({ session, token }) {
      session.user = { id: token.sub!, username: String(token.username), role: String(token.role) } as never;
      return session;
    },
  },
};
