/**
 * `GET /api/e/<env>/containers/<id>/export`: the container's filesystem as a tar
 * download. A plain HTTP route (not tRPC) so the browser can stream it to disk;
 * it applies the same rules as a procedure: session, permission, audit row
 * written before the export starts (none written, no export) and completed
 * when the stream ends (download-audit.ts).
 * The bytes are piped from the runtime as they come, never buffered.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { finishAudit } from "../audit";
import { beginDownloadAudit, streamAudited } from "./download-audit";
import { downloadAccess, downloadUser, openRuntimeStream, routeConnection, routeContainerId, sendError } from "./runtime-download";

/** Matched against the path after `/api/e/<env>`. */
export const EXPORT_ROUTE = /^\/containers\/([^/]+)\/export$/;

export async function handleContainerExport(req: IncomingMessage, res: ServerResponse, rawEnv: string, rawId: string): Promise<void> {
  const user = await downloadUser(req, res, "container.export", "Export");
  if (!user) return;

  const conn = routeConnection(res, rawEnv);
  if (!conn) return;
  const id = routeContainerId(res, rawId);
  if (id === null) return;
  if (!(await downloadAccess(req, res, user, "container.export", { env: conn.id, conn, ids: [id] }))) return;
  const known = conn.live.find(id);
  const name = known?.name ?? id;
  // Audit first: no row, no export.
  const auditId = await beginDownloadAudit(req, res, user, "container.export", { env: conn.id, type: "container", id: known?.id ?? id, name }, { id });
  if (auditId === null) return;

  const opened = await openRuntimeStream(conn.runtime, `/export/containers/${encodeURIComponent(id)}`, "export");
  if (!opened.ok) {
    await finishAudit(auditId, { outcome: "error", error: opened.message });
    return sendError(res, opened.status ?? 503, opened.message);
  }

  const filename = `${name.replace(/[^a-zA-Z0-9_.-]/g, "_")}.tar`;
  res.writeHead(200, {
    "Content-Type": "application/x-tar",
    "Content-Disposition": `attachment; filename=${filename}`,
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
  });
  streamAudited(opened.upstream, res, auditId, { id });
}
