import type { IncomingMessage } from "node:http";

/**
 * Cross-site WebSocket hijacking guard: the Origin must be the page's own
 * origin (same host as the request) or one listed in BERTH_ALLOWED_ORIGINS.
 * No Origin at all is refused: browsers always send one.
 */
export function originAllowed(req: IncomingMessage, allowed: string[]): boolean {
  const origin = req.headers.origin;
  if (!origin) return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (allowed.includes(url.origin)) return true;
  const host = req.headers.host;
  return !!host && url.host === host && (url.protocol === "http:" || url.protocol === "https:");
}
