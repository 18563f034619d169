/**
 * Files of a container (`docker cp`) and of a volume, under `/api/e/<env>/…`:
 *
 * - `GET  containers/<id>/files?path=<p>`: the file or folder as a tar, exactly what
 *   `docker cp` gives; `&file=1`: one regular file's bytes, as an attachment
 *   (container.files.read);
 * - `POST containers/<id>/files?path=<dir>&name=<file>`: one file (the raw body) into
 *   the folder; without `name`, a tar (application/x-tar), each entry checked by the
 *   runtime before the engine sees it (container.files.write);
 * - `GET`/`POST volumes/<name>/files?…`: the same for a volume, through a short-lived
 *   helper container the runtime manages (volume.browse / volume.files.write).
 *
 * Checked like a procedure (session or token, permission, ownership of the container
 * or volume named), audited before the first byte (no row, no transfer) and completed
 * with what went through. Bodies are piped both ways, never held.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { finishAudit } from "../audit";
import type { Permission } from "../api/permissions";
import { fileNameProblem, normalisePath } from "~/runtime/files/paths";
import { FILE_STAT_HEADER, FILES_CONTAINER_PREFIX, FILES_VOLUME_PREFIX, volumeNameSchema } from "~/runtime/files/protocol";
import { isContainerRef } from "~/runtime/protocol/ids";
import { beginDownloadAudit, streamAudited } from "./download-audit";
import { downloadAccess, downloadUser, openRuntimeStream, routeConnection, uploadToRuntime } from "./runtime-download";
import { sendJson, sendProblem } from "./json-answer";

/** Matched against the path after `/api/e/<env>`. */
export const FILES_ROUTE = /^\/(containers|volumes)\/([^/]+)\/files$/;

type Kind = "containers" | "volumes";

const PERMISSION: Record<Kind, { read: Permission; write: Permission }> = {
  containers: { read: "container.files.read", write: "container.files.write" },
  volumes: { read: "volume.browse", write: "volume.files.write" },
};




/** `attachment` with an ASCII fallback and the real (UTF-8) name. */
function attachment(name: string): string {
  const ascii = name.replace(/[^a-zA-Z0-9_.-]/g, "_") || "download";
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export async function handleFilesRoute(req: IncomingMessage, res: ServerResponse, rawEnv: string, kind: Kind, rawId: string, query: URLSearchParams): Promise<void> {
  const upload = req.method === "POST";
  const permission = upload ? PERMISSION[kind].write : PERMISSION[kind].read;
  const what = kind === "containers" ? (upload ? "Upload into a container" : "Download from a container") : upload ? "Upload into a volume" : "Download from a volume";
  const user = await downloadUser(req, res, permission, what, ["GET", "HEAD", "POST"]);
  if (!user) return;
  const conn = routeConnection(res, rawEnv);
  if (!conn) return;

  let id: string;
  try {
    id = decodeURIComponent(rawId);
  } catch {
    return sendProblem(req, res, 400, "id", `id ${JSON.stringify(rawId.slice(0, 80))}: malformed percent-encoding`);
  }
  const validId = kind === "containers" ? isContainerRef(id) : volumeNameSchema.safeParse(id).success;
  if (!validId) return sendProblem(req, res, 400, "id", `id ${JSON.stringify(id.slice(0, 80))}: not a ${kind === "containers" ? "container id or name" : "volume name"}`);
  const rawPath = query.get("path") ?? "";
  const checked = normalisePath(rawPath);
  if (!checked.ok) return sendProblem(req, res, 400, "path", `path: ${checked.message}`);
  const name = query.get("name");
  if (upload && name !== null) {
    const problem = fileNameProblem(name);
    if (problem) return sendProblem(req, res, 400, "name", `name: ${problem}`);
  }
  if (!(await downloadAccess(req, res, user, permission, { env: conn.id, conn, ids: [id] }))) return;

  const known = kind === "containers" ? conn.live.find(id) : undefined;
  const target = kind === "containers" ? { env: conn.id, type: "container", id: known?.id ?? id, name: known?.name ?? id } : { env: conn.id, type: "volume", id, name: id };
  const prefix = kind === "containers" ? FILES_CONTAINER_PREFIX : FILES_VOLUME_PREFIX;
  const runtimeQuery = new URLSearchParams({ path: checked.path });

  if (!upload) {
    const file = query.get("file") === "1";
    if (file) runtimeQuery.set("file", "1");
    const details = { path: checked.path, ...(file ? { file: true } : { tar: true }) };
    const auditId = await beginDownloadAudit(req, res, user, permission, target, details);
    if (auditId === null) return;
    const opened = await openRuntimeStream(conn.runtime, `${prefix}${encodeURIComponent(id)}?${runtimeQuery}`, "download");
    if (!opened.ok) {
      await finishAudit(auditId, { outcome: "error", error: opened.message });
      return sendProblem(req, res, opened.status ?? 503, fieldOf(opened.message), opened.message);
    }
    let stat: { name?: string } = {};
    try {
      stat = JSON.parse(String(opened.upstream.headers[FILE_STAT_HEADER] ?? "{}")) as { name?: string };
    } catch {
      // named after the path below
    }
    const base = stat.name ?? (checked.path.split("/").pop() || "root");
    const length = opened.upstream.headers["content-length"];
    res.writeHead(200, {
      "Content-Type": file ? "application/octet-stream" : "application/x-tar",
      "Content-Disposition": attachment(file ? base : `${base === "/" ? "root" : base}.tar`),
      ...(file && length ? { "Content-Length": length } : {}),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    });
    if (req.method === "HEAD") {
      opened.upstream.destroy();
      res.end();
      return void finishAudit(auditId, { outcome: "ok", details: { ...details, head: true } });
    }
    return streamAudited(opened.upstream, res, auditId, details);
  }

  // An upload: one file (`name`) or a tar.
  if (name !== null) {
    runtimeQuery.set("name", name);
    if (!req.headers["content-length"]) return sendProblem(req, res, 411, "name", "name: a single-file upload needs its Content-Length");
  }
  const details = { path: checked.path, ...(name !== null ? { name } : { tar: true }), bytes: Number(req.headers["content-length"]) || undefined };
  const auditId = await beginDownloadAudit(req, res, user, permission, target, details);
  if (auditId === null) return;
  const started = Date.now();
  const up = await uploadToRuntime(conn.runtime, `${prefix}${encodeURIComponent(id)}?${runtimeQuery}`, req, "upload", { "content-type": name !== null ? "application/octet-stream" : "application/x-tar" });
  if (!up.ok) {
    await finishAudit(auditId, { outcome: "error", error: up.message, details: { ...details, durationMs: Date.now() - started } });
    return sendProblem(req, res, up.status && up.status >= 400 && up.status < 600 ? up.status : 503, up.field, up.message);
  }
  const { ok: _ok, ...result } = up.body as Record<string, unknown>;
  await finishAudit(auditId, { outcome: "ok", details: { ...details, ...result, durationMs: Date.now() - started } });
  sendJson(res, 200, result);
}

/** The runtime's messages start with the field they are about (`path: …`, `id: …`). */
function fieldOf(message: string): string | undefined {
  const m = /^(path|id|name|archive):/.exec(message);
  return m?.[1];
}
