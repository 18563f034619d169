/**
 * The image routes whose bodies are files, under `/api/e/<env>/images/…`:
 *
 * - `GET  save?names=a&names=b`: `docker save a b`, one tar streamed to disk (image.save);
 * - `POST load`: a `docker save` tar as the body, piped into `docker load` (image.load);
 * - `POST import?repository=&tag=&message=&changes=`: a filesystem tar piped into `docker import` (image.load);
 * - `POST build?tags=&dockerfile=&buildArgs=&target=&noCache=&pull=`: a tar context
 *   (application/x-tar) piped to `docker build`, or the editor's JSON (Dockerfile text
 *   and small files, server/images/build-request.ts) made into a tar here (image.build).
 *   Answers `{taskId, task}`: the output streams on the `tasks` channel.
 *
 * Each is checked like a procedure (session or token, permission), audited
 * before it starts (no row, no action) and completed with its outcome; bodies
 * are piped, never held (the editor's JSON, at most 8 MB, excepted).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Readable } from "node:stream";
import { finishAudit } from "../audit";
import type { SessionUser } from "../auth/session";
import type { Permission } from "../api/permissions";
import type { Connection } from "../engines/registry";
import { imageRefSchema, MAX_SAVE_NAMES } from "~/runtime/images/protocol";
import { firstIssue } from "~/runtime/protocol/zod-issues";
import { buildOptionsFromQuery, type BuildOptions, contextTar, editorBuildFromJson, importOptionsFromQuery, MAX_JSON_BUILD_BYTES, RequestProblem } from "../images/build-request";
import { beginDownloadAudit, streamAudited } from "./download-audit";
import { downloadAccess, downloadUser, openRuntimeStream, routeConnection, uploadToRuntime } from "./runtime-download";
import { sendJson, sendProblem } from "./json-answer";
import { registryConfigForBuild } from "../registries/credentials";
import { REGISTRY_CONFIG_HEADER } from "~/runtime/images/protocol";

/** Matched against the path after `/api/e/<env>`. */
export const IMAGES_ROUTE = /^\/images\/(save|load|import|build)$/;




const PERMISSION: Record<string, Permission> = { save: "image.save", load: "image.load", import: "image.load", build: "image.build" };
const WHAT: Record<string, string> = { save: "Save", load: "Load", import: "Import", build: "Build" };

export async function handleImagesRoute(req: IncomingMessage, res: ServerResponse, rawEnv: string, op: string, query: URLSearchParams): Promise<void> {
  const permission = PERMISSION[op]!;
  const user = await downloadUser(req, res, permission, WHAT[op]!, op === "save" ? ["GET"] : ["POST"]);
  if (!user) return;
  const conn = routeConnection(res, rawEnv);
  if (!conn) return;
  if (!(await downloadAccess(req, res, user, permission, { env: conn.id, conn }))) return;
  try {
    if (op === "save") return await save(req, res, user, conn, query);
    if (op === "load") return await load(req, res, user, conn);
    if (op === "import") return await importImage(req, res, user, conn, query);
    return await build(req, res, user, conn, query);
  } catch (err) {
    if (err instanceof RequestProblem) return sendProblem(req, res, err.status, err.field, err.message);
    throw err;
  }
}

/** The options go to the runtime in its request line, which Node caps at 16 KB of headers. */
const MAX_RUNTIME_PATH = 12_000;

const ownerOf = (user: SessionUser) => ({ id: user.id, name: user.username });

async function save(req: IncomingMessage, res: ServerResponse, user: SessionUser, conn: Connection, query: URLSearchParams) {
  const names = query.getAll("names").filter((n) => n !== "");
  if (names.length === 0) throw new RequestProblem("names", "names: choose at least one image to save");
  if (names.length > MAX_SAVE_NAMES) throw new RequestProblem("names", `names: at most ${MAX_SAVE_NAMES} images in one save`);
  names.forEach((n, i) => {
    const r = imageRefSchema.safeParse(n);
    if (!r.success) throw new RequestProblem(`names[${i}]`, `names[${i}]: ${firstIssue(r.error).message}`);
  });
  const auditId = await beginDownloadAudit(req, res, user, "image.save", { env: conn.id, type: "image", name: names.join(", ").slice(0, 500) }, { names });
  if (auditId === null) return;
  const path = `/images/save?${names.map((n) => `names=${encodeURIComponent(n)}`).join("&")}`;
  const opened = await openRuntimeStream(conn.runtime, path, "save");
  if (!opened.ok) {
    await finishAudit(auditId, { outcome: "error", error: opened.message });
    return sendProblem(req, res, opened.status ?? 503, opened.status === 404 || opened.status === 400 ? "names" : undefined, opened.message);
  }
  const filename = names.length === 1 ? `${names[0]!.replace(/[^a-zA-Z0-9_.-]/g, "_")}.tar` : "images.tar";
  res.writeHead(200, {
    "Content-Type": "application/x-tar",
    "Content-Disposition": `attachment; filename=${filename}`,
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
  });
  streamAudited(opened.upstream, res, auditId, { names });
}

/** Pipes `body` to a runtime upload route, audits the outcome and answers the runtime's JSON (or its error, with the field). */
async function uploadAudited(req: IncomingMessage, res: ServerResponse, conn: Connection, auditId: number, path: string, body: Readable | IncomingMessage, what: string, details: Record<string, unknown>, headers: Record<string, string> = {}) {
  const started = Date.now();
  const up = await uploadToRuntime(conn.runtime, path, body, what, { "content-type": "application/x-tar", ...headers });
  if (!up.ok) {
    await finishAudit(auditId, { outcome: "error", error: up.message, details: { ...details, durationMs: Date.now() - started } });
    return sendProblem(req, res, up.status && up.status >= 400 && up.status < 600 ? up.status : 503, up.field, up.message);
  }
  const { ok: _ok, ...result } = up.body as Record<string, unknown>;
  await finishAudit(auditId, { outcome: "ok", details: { ...details, ...summary(result), durationMs: Date.now() - started } });
  sendJson(res, 200, result);
}

/** What of a runtime answer goes in the audit row (not a whole task). */
function summary(r: Record<string, unknown>): Record<string, unknown> {
  const { task: _task, ...rest } = r;
  return rest;
}

async function load(req: IncomingMessage, res: ServerResponse, user: SessionUser, conn: Connection) {
  const auditId = await beginDownloadAudit(req, res, user, "image.load", { env: conn.id, type: "image", name: "docker load" }, { bytes: Number(req.headers["content-length"]) || undefined });
  if (auditId === null) return;
  await uploadAudited(req, res, conn, auditId, `/images/load?owner=${encodeURIComponent(JSON.stringify(ownerOf(user)))}`, req, "load", {});
}

async function importImage(req: IncomingMessage, res: ServerResponse, user: SessionUser, conn: Connection, query: URLSearchParams) {
  const params = importOptionsFromQuery(query);
  const name = params.repository ? `${params.repository}:${params.tag ?? "latest"}` : "docker import";
  const path = `/images/import?p=${encodeURIComponent(JSON.stringify(params))}&owner=${encodeURIComponent(JSON.stringify(ownerOf(user)))}`;
  if (path.length > MAX_RUNTIME_PATH) throw new RequestProblem("changes", "changes: too long together with the message (at most about 8 KB in all)");
  const auditId = await beginDownloadAudit(req, res, user, "image.load", { env: conn.id, type: "image", name }, { import: true, ...params });
  if (auditId === null) return;
  await uploadAudited(req, res, conn, auditId, path, req, "import", {});
}

const typeOf = (req: IncomingMessage) => (req.headers["content-type"] ?? "").split(";", 1)[0]!.trim().toLowerCase();

async function readJsonBody(req: IncomingMessage): Promise<string> {
  const declared = Number(req.headers["content-length"]);
  const tooLarge = () => new RequestProblem(undefined, `request body: too large for an editor build (at most ${MAX_JSON_BUILD_BYTES >> 20} MB); upload a tar context instead`, 413);
  if (Number.isFinite(declared) && declared > MAX_JSON_BUILD_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_JSON_BUILD_BYTES) throw tooLarge();
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

async function build(req: IncomingMessage, res: ServerResponse, user: SessionUser, conn: Connection, query: URLSearchParams) {
  const type = typeOf(req);
  let options: BuildOptions;
  let body: Readable | IncomingMessage;
  let files: number | undefined;
  if (type === "application/json") {
    const editor = editorBuildFromJson(await readJsonBody(req));
    const { dockerfileText: _text, files: list, ...rest } = editor;
    options = rest;
    files = list.length;
    body = contextTar(editor);
  } else if (type === "application/x-tar" || type === "application/tar" || type === "application/octet-stream") {
    options = buildOptionsFromQuery(query);
    body = req;
  } else {
    throw new RequestProblem(undefined, "Build takes a tar context (Content-Type: application/x-tar) or the editor's JSON (application/json)", 415);
  }
  const name = options.tags.join(", ").slice(0, 500) || "untagged build";
  // Build args can hold secrets: the row names them, without their values.
  const details = { tags: options.tags, dockerfile: options.dockerfile, buildArgs: Object.keys(options.buildArgs), target: options.target, noCache: options.noCache, pull: options.pull, ...(files !== undefined ? { files, from: "editor" } : { from: "tar" }) };
  const path = `/images/build?p=${encodeURIComponent(JSON.stringify({ ...options, owner: ownerOf(user) }))}`;
  if (path.length > MAX_RUNTIME_PATH) throw new RequestProblem("buildArgs", "buildArgs: too large together with the tags (at most about 8 KB of options)");
  const auditId = await beginDownloadAudit(req, res, user, "image.build", { env: conn.id, type: "image", name }, details);
  if (auditId === null) return;
  // The base images' registries: every saved login goes with the build (in a header, never in the audit or the URL).
  const registryConfig = await registryConfigForBuild();
  await uploadAudited(req, res, conn, auditId, path, body, "build", {}, registryConfig ? { [REGISTRY_CONFIG_HEADER]: registryConfig } : {});
}
