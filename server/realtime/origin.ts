import type { IncomingMessage } from "node:http";

/**
 * The origins allowed besides the request's own host: BERTH_ALLOWED_ORIGINS
 * (comma-separated; blanks ignored) and the origin of NEXTAUTH_URL, the address
 * people use, which differs from the Host header behind a proxy that rewrites it.
 */
export function allowedOriginsFrom(value: string | undefined, publicUrl?: string): string[] {
  const list = (value ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (publicUrl) {
    try {
      const { origin } = new URL(publicUrl);
      if (origin !== "null" && !list.includes(origin)) list.push(origin);
    } catch {
      // not a URL: the env check at start-up names it; nothing is added here
    }
  }
  return list;
}

/** Whether `origin` is the dashboard's own (same host as the request) or one listed in BERTH_ALLOWED_ORIGINS. */
function sameOrListed(origin: string, host: string | undefined, allowed: string[]): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (allowed.includes(url.origin)) return true;
  return !!host && url.host === host && (url.protocol === "http:" || url.protocol === "https:");
}

/**
 * Cross-site WebSocket hijacking guard: the Origin must be the page's own
 * origin (same host as the request) or one listed in BERTH_ALLOWED_ORIGINS.
 * No Origin at all is refused: browsers always send one.
 */
export function originAllowed(req: IncomingMessage, allowed: string[]): boolean {
  const origin = req.headers.origin;
  return !!origin && sameOrListed(origin, req.headers.host, allowed);
}

export type OriginDecision = { ok: true } | { ok: false; message: string };

/**
 * Cross-site request forgery guard for plain HTTP (tRPC, state-changing routes).
 * A browser sends Origin on every cross-origin request and on same-origin
 * non-GET ones, so an Origin that is not ours is refused. Without Origin, a
 * browser's `Sec-Fetch-Site: cross-site` still gives a forged request away;
 * a request with neither comes from a non-browser client (curl, scripts),
 * which a page cannot make, so it passes on to the session check.
 */
export function requestOriginDecision(req: IncomingMessage, allowed: string[]): OriginDecision {
  const origin = req.headers.origin;
  if (origin !== undefined) {
    if (sameOrListed(origin, req.headers.host, allowed)) return { ok: true };
    return { ok: false, message: `Cross-origin request refused: Origin ${JSON.stringify(origin)} is not this dashboard's origin nor listed in BERTH_ALLOWED_ORIGINS.` };
  }
  const site = req.headers["sec-fetch-site"];
  if (site === "cross-site" && req.method !== "GET" && req.method !== "HEAD") {
    return { ok: false, message: "Cross-site request refused (Sec-Fetch-Site: cross-site)." };
  }
  return { ok: true };
}
