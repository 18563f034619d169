/**
 * What the images routes share: JSON answers in the RPC's shape, refusals that
 * read (and drop) the rest of an upload first so the caller sees them, and the
 * HTTP status of each error code.
 */
import type http from "node:http";
import type { ErrorCode, RuntimeError } from "../protocol/errors";

const STATUS: Partial<Record<ErrorCode, number>> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  ENGINE_UNREACHABLE: 503,
  TIMEOUT: 504,
};

export const statusOf = (e: RuntimeError): number => STATUS[e.code] ?? 500;

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** Beyond this much of a refused upload the socket is cut rather than read. */
const MAX_DISCARD = 64 << 20;

/** Answers `{ok:false, error}` once the rest of the body is read and dropped (answering mid-upload hands the caller EPIPE). */
export function refuse(req: http.IncomingMessage, res: http.ServerResponse, error: RuntimeError): void {
  const answer = () => sendJson(res, statusOf(error), { ok: false, error });
  if (req.readableEnded || req.destroyed) return answer();
  let dropped = 0;
  req.on("data", (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > MAX_DISCARD) req.destroy();
  });
  req.on("end", answer);
  req.resume();
}
