/**
 * How every runtime channel reads its parameters: `?p=<json>` on the WebSocket
 * URL, checked by the channel's zod schema; a problem is a RuntimeError-shaped
 * BAD_REQUEST that names the field, sent to the dashboard before closing.
 */
import type { WebSocket } from "ws";
import type { z } from "zod";
import type { RuntimeError } from "./errors";
import { firstIssue } from "./zod-issues";

/** Parses `p` (JSON) from a request URL with `schema`; throws a RuntimeError-shaped BAD_REQUEST naming the field. */
export function queryParams<S extends z.ZodType>(url: URL, schema: S): z.output<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(url.searchParams.get("p") ?? "{}");
  } catch {
    throw { code: "BAD_REQUEST", message: "p: must be JSON", field: "p" } satisfies RuntimeError;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw { code: "BAD_REQUEST", ...firstIssue(parsed.error) } satisfies RuntimeError;
  }
  return parsed.data;
}

/**
 * A channel's params, or undefined once the problem has gone to the dashboard
 * as the stream's one `error` frame and the socket is closing.
 */
export function channelParams<S extends z.ZodType>(ws: WebSocket, url: URL, schema: S): z.output<S> | undefined {
  try {
    return queryParams(url, schema);
  } catch (err) {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: "error", ...(err as RuntimeError) }));
    ws.close(1000);
    return undefined;
  }
}
