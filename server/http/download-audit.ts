/**
 * The audit row of a download (export, logs): written before the first byte,
 * as for any action (no row, no download), and completed when the stream ends
 * with what really went out: bytes, time, and why it stopped short if it did.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { AuditWriteError, beginAudit, finishAudit, type AuditTarget } from "../audit";
import type { SessionUser } from "../auth/session";
import type { Permission } from "../api/permissions";
import { clientIp } from "../api/trpc";
import { sendError } from "./runtime-download";

/** The pending row's id, or null once a 503 saying why it could not be written has been sent. */
export async function beginDownloadAudit(
  req: IncomingMessage,
  res: ServerResponse,
  user: SessionUser,
  action: Permission,
  target: AuditTarget,
  details: Record<string, unknown>,
): Promise<number | null> {
  try {
    return await beginAudit({ userId: user.id, username: user.username, sourceIp: clientIp(req), action, target, details });
  } catch (err) {
    if (err instanceof AuditWriteError) return (sendError(res, 503, err.message), null);
    throw err;
  }
}

/**
 * Pipes `upstream` to the browser and completes the row once the response is
 * over. A browser that goes away stops the runtime (and so the engine) sending more.
 */
export function streamAudited(upstream: IncomingMessage, res: ServerResponse, auditId: number, details: Record<string, unknown>): void {
  const started = Date.now();
  let bytes = 0;
  let failure: string | undefined;
  upstream.on("data", (chunk: Buffer) => (bytes += chunk.length));
  upstream.on("error", (err) => {
    failure ??= `the runtime's stream failed: ${err.message}`;
    res.destroy();
  });
  res.on("close", () => {
    upstream.destroy();
    const complete = res.writableFinished && !failure;
    void finishAudit(auditId, {
      outcome: complete ? "ok" : "error",
      error: complete ? undefined : (failure ?? `the download stopped after ${bytes} bytes (the client went away)`),
      details: { ...details, bytes, durationMs: Date.now() - started },
    });
  });
  upstream.pipe(res);
}
