import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { checkCredentials } from "~/server/auth/credentials";
import { authOptions } from "~/server/auth/options";
import { auditSignIn } from "~/server/auth/sign-in";

const handler = NextAuth(authOptions);

interface RouteContext {
  params: Promise<{ nextauth: string[] }>;
}

async function formOf(req: NextRequest): Promise<Record<string, unknown> | undefined> {
  const type = req.headers.get("content-type") ?? "";
  try {
    if (type.includes("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(await req.text()));
    if (type.includes("application/json")) return (await req.json()) as Record<string, unknown>;
  } catch {
    // unreadable: next-auth answers it as it would
  }
  return undefined;
}

/**
 * Missing or over-long credentials get a 400 that names the field before
 * next-auth reads them. The body keeps next-auth's `{url}` shape so
 * next-auth/react's signIn() reports the message as its error.
 */
async function POST(req: NextRequest, ctx: RouteContext) {
  const [action, provider] = (await ctx.params).nextauth ?? [];
  if (action === "callback" && provider === "credentials") {
    const form = await formOf(req.clone() as NextRequest);
    const checked = form && checkCredentials(form);
    if (checked && !checked.ok) {
      await auditSignIn(form.username, req.headers.get("x-berth-client-ip") ?? "unknown", "error", checked.message);
      const url = new URL(`/api/auth/error?error=${encodeURIComponent(checked.message)}`, req.nextUrl.origin).toString();
      return Response.json({ error: checked.message, field: checked.field, url }, { status: 400 });
    }
  }
  return handler(req, ctx);
}

export { handler as GET, POST };
