/**
 * JSON answers of the plain HTTP routes that take uploads (images, files):
 * `{error: {code, field, message}}` in tRPC's code words, sent only once the
 * rest of a refused upload's body has been read and dropped, because a browser
 * that is cut off mid-upload never reads the answer.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

const CODES: Record<number, string> = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  405: "METHOD_NOT_SUPPORTED",
  409: "CONFLICT",
  411: "LENGTH_REQUIRED",
  413: "PAYLOAD_TOO_LARGE",
  415: "UNSUPPORTED_MEDIA_TYPE",
  503: "SERVICE_UNAVAILABLE",
};
/** A refused upload's body is dropped up to this much so its answer can be read; beyond it the socket is cut. */
const MAX_DISCARD = 64 << 20;

export function sendJson(res: ServerResponse, status: number, body: unknown) {
  if (res.headersSent) return;
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" });
  res.end(JSON.stringify(body));
}

export function sendProblem(req: IncomingMessage, res: ServerResponse, status: number, field: string | undefined, message: string) {
  const answer = () => sendJson(res, status, { error: { code: CODES[status] ?? "INTERNAL_SERVER_ERROR", ...(field ? { field } : {}), message } });
  if (req.readableEnded || req.method === "GET" || req.method === "HEAD") return answer();
  let dropped = 0;
  req.on("data", (c: Buffer) => {
    dropped += c.length;
    if (dropped > MAX_DISCARD) req.destroy();
  });
  req.on("end", answer);
  req.on("close", answer);
  req.resume();
}
