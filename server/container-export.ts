/**
 * `GET /api/containers/<id>/export`: the container's filesystem as a tar
 * download. A plain HTTP route (not tRPC) so the browser can stream it to disk;
 * it applies the same rules as a procedure: session, permission, audit row
 * written before the export starts (none written, no export).
 * The bytes are piped from the runtime as they come, never buffered.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { AuditWriteError, beginAudit, finishAudit } from "./audit";
import { downloadUser, openRuntimeStream, routeContainerId, sendError } from "./runtime-download";
import { clientIp } from "./trpc";
import { containerList } from "./ws/hub";

export const EXPORT_ROUTE = /^\/api\/containers\/([^/]+)\/export$/;

export async function handleContainerExport(req: IncomingMessage, res: ServerResponse, rawId: string): Promise<void> {
  const user = await downloadUser(req, res, "container.export", "Export");
  if (!user) return;

  const id = routeContainerId(res, rawId);
  if (id === null) return;
  const known = containerList().find((c) => c.id === id || c.name === id);
  const name = known?.name ?? id;
  // Audit first: no row, no export.
  let auditId: number;
  try {
    auditId = await beginAudit({
      userId: user.id,
      username: user.username,
      sourceIp: clientIp(req),
      action: "container.export",
      target: { engine: "local", type: "container", id: known?.id ?? id, name },
      details: { id },
    });
  } catch (err) {
    if (err instanceof AuditWriteError) return sendError(res, 503, err.message);
    throw err;
  }

  const opened = await openRuntimeStream(`/export/containers/${encodeURIComponent(id)}`, "export");
  if (!opened.ok) {
    await finishAudit(auditId, { outcome: "error", error: opened.message });
    return sendError(res, opened.status ?? 503, opened.message);
  }
  const upstream = opened.upstream;

  await finishAudit(auditId, { outcome: "ok" });
  const filename = `${name.replace(/[^a-zA-Z0-9_.-]/g, "_")}.tar`;
  res.writeHead(200, {
    "Content-Type": "application/x-tar",
    "Content-Disposition": `attachment; filename=${filename}`,
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
  });
  // The browser cancelled: stop the runtime (and so the engine) from sending more.
  res.on("close", () => upstream.destroy());
  upstream.on("error", () => res.destroy());
  upstream.pipe(res);
}
