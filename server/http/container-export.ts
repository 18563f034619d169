/**
 * `GET /api/e/<env>/containers/<id>/export`: the container's filesystem as a tar
 * download. A plain HTTP route (not tRPC) so the browser can stream it to disk;
 * it applies the same rules as a procedure: session, permission, audit row
 * written before the export starts (none written, no export).
 * The bytes are piped from the runtime as they come, never buffered.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { AuditWriteError, beginAudit, finishAudit } from "../audit";
import { downloadUser, openRuntimeStream, routeConnection, routeContainerId, sendError } from "./runtime-download";
import { clientIp } from "../api/trpc";
import { findContainer } from "../../runtime/protocol/container-ref";

/** Matched against the path after `/api/e/<env>`. */
export const EXPORT_ROUTE = /^\/containers\/([^/]+)\/export$/;

export async function handleContainerExport(req: IncomingMessage, res: ServerResponse, rawEnv: string, rawId: string): Promise<void> {
  const user = await downloadUser(req, res, "container.export", "Export");
  if (!user) return;

  const conn = routeConnection(res, rawEnv);
  if (!conn) return;
  const id = routeContainerId(res, rawId);
  if (id === null) return;
  const known = findContainer(id, conn.live.containers());
  const name = known?.name ?? id;
  // Audit first: no row, no export.
  let auditId: number;
  try {
    auditId = await beginAudit({
      userId: user.id,
      username: user.username,
      sourceIp: clientIp(req),
      action: "container.export",
      target: { env: conn.id, type: "container", id: known?.id ?? id, name },
      details: { id },
    });
  } catch (err) {
    if (err instanceof AuditWriteError) return sendError(res, 503, err.message);
    throw err;
  }

  const opened = await openRuntimeStream(conn.runtime, `/export/containers/${encodeURIComponent(id)}`, "export");
  if (!opened.ok) {
    await finishAudit(auditId, { outcome: "error", error: opened.message });
    return sendError(res, opened.status ?? 503, opened.message);
  }
  const upstream = opened.upstream;

  const filename = `${name.replace(/[^a-zA-Z0-9_.-]/g, "_")}.tar`;
  res.writeHead(200, {
    "Content-Type": "application/x-tar",
    "Content-Disposition": `attachment; filename=${filename}`,
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
  });
  // The row says what really went out, once the stream is over: bytes, time, and why it stopped short.
  const started = Date.now();
  let bytes = 0;
  let failure: string | undefined;
  upstream.on("data", (chunk: Buffer) => (bytes += chunk.length));
  upstream.on("error", (err) => {
    failure ??= `the runtime's stream failed: ${err.message}`;
    res.destroy();
  });
  res.on("close", () => {
    // The browser cancelled: stop the runtime (and so the engine) from sending more.
    upstream.destroy();
    const complete = res.writableFinished && !failure;
    void finishAudit(auditId, {
      outcome: complete ? "ok" : "error",
      error: complete ? undefined : (failure ?? `the download stopped after ${bytes} bytes (the client went away)`),
      details: { id, bytes, durationMs: Date.now() - started },
    });
  });
  upstream.pipe(res);
}
