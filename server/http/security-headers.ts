/**
 * Headers every answer carries. Pages get a Content-Security-Policy with a
 * fresh nonce: Next reads it from the request's own Content-Security-Policy
 * header while rendering and puts it on its inline scripts (the pages render
 * per request, see app/layout.tsx), so no inline script without it runs.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

export function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    // 'strict-dynamic': scripts Next loads from a nonce'd script are trusted; dev's hot reload needs eval.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // React sets style attributes; a nonce cannot cover those.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Static build output is content-hashed: it may stay cached; nothing else may. */
function cacheable(pathname: string): boolean {
  return pathname.startsWith("/_next/static/");
}

/**
 * Sets the headers on `res` (Next and the routes add theirs on top) and, for
 * pages, the CSP request header Next takes its nonce from.
 */
export function applySecurityHeaders(req: IncomingMessage, res: ServerResponse, pathname: string, dev: boolean): void {
  const nonce = randomBytes(16).toString("base64");
  const csp = contentSecurityPolicy(nonce, dev);
  // Only the server sets this; whatever a client sent under that name is replaced.
  req.headers["content-security-policy"] = csp;
  res.setHeader("Content-Security-Policy", csp);
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "same-origin");
  // Next replaces this on pages with its own, which for per-request pages also says no-store.
  if (!cacheable(pathname)) res.setHeader("Cache-Control", "no-store");
}
