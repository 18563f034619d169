/**
 * `GET /api/e/<env>/containers/<id>/logs/download?…` (one container) and
 * `GET /api/e/<env>/logs/download?ids=a,b|project=p&…` (merged): the selected logs as a
 * text file. Session cookie and `container.logs` as for any procedure, and an
 * audit row written first and completed with the bytes sent (download-audit.ts); the body
 * is piped from the runtime, which streams it from the engine with backpressure,
 * so a 1 GB log passes through without being held anywhere.
 *
 * Query: tail (number|all, default all), since, until (ISO), stdout, stderr,
 * timestamps (0|1), q, regex, case, invert (0|1).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { historyMethods, type LogsParamsInput, logsParamsSchema } from "../../runtime/protocol/index";
import { describeIssue, type IssueLike } from "../../runtime/protocol/zod-issues";
import { finishAudit, type AuditTarget } from "../audit";
import type { SessionUser } from "../auth/session";
import type { Connection } from "../engines/registry";
import { beginDownloadAudit, streamAudited } from "./download-audit";
import { downloadAccess, downloadUser, openRuntimeStream, routeConnection, routeContainerId, sendError } from "./runtime-download";

/** Matched against the path after `/api/e/<env>`. */
export const LOGS_DOWNLOAD_ROUTE = /^\/(?:containers\/([^/]+)\/logs|logs)\/download$/;
export const HISTORY_DOWNLOAD_ROUTE = /^\/logs\/history\/download$/;

const flag = (v: string | null, dflt: boolean) => (v === null ? dflt : v === "1" || v === "true");

export function paramsFromQuery(q: URLSearchParams, id?: string): LogsParamsInput {
  const tail = q.get("tail");
  const params: LogsParamsInput = {
    follow: false,
    tail: tail === null || tail === "all" ? "all" : Number(tail),
    stdout: flag(q.get("stdout"), true),
    stderr: flag(q.get("stderr"), true),
    timestamps: flag(q.get("timestamps"), false),
  };
  if (id) params.id = id;
  else if (q.get("project")) params.project = q.get("project")!;
  else if (q.get("ids")) params.ids = q.get("ids")!.split(",").filter(Boolean);
  if (q.get("since")) params.since = q.get("since")!;
  if (q.get("until")) params.until = q.get("until")!;
  if (q.get("q")) {
    params.search = { q: q.get("q")!, regex: flag(q.get("regex"), false), caseSensitive: flag(q.get("case"), false), invert: flag(q.get("invert"), false) };
  }
  return params;
}

/** The user and the environment's connection once the user may download logs there, or null once refused. */
async function allowed(req: IncomingMessage, res: ServerResponse, rawEnv: string): Promise<{ user: SessionUser; conn: Connection } | null> {
  const user = await downloadUser(req, res, "container.logs.download", "Download");
  if (!user) return null;
  const conn = routeConnection(res, rawEnv);
  return conn && { user, conn };
}

export async function handleLogsDownload(req: IncomingMessage, res: ServerResponse, rawEnv: string, rawId: string | undefined): Promise<void> {
  const ok = await allowed(req, res, rawEnv);
  if (!ok) return;
  const { user, conn } = ok;
  const url = new URL(req.url ?? "/", "http://localhost");
  const id = rawId === undefined ? undefined : routeContainerId(res, rawId);
  if (id === null) return;
  const parsed = logsParamsSchema.safeParse(paramsFromQuery(url.searchParams, id));
  if (!parsed.success) return sendError(res, 400, queryError(parsed.error.issues[0]));
  const p = parsed.data;
  const named = id !== undefined ? [id] : (p.ids ?? []);
  if (!(await downloadAccess(req, res, user, "container.logs.download", { env: conn.id, conn, ids: named, merged: !!p.project || !named.length }))) return;
  const known = id === undefined ? undefined : conn.live.find(id);
  const target: AuditTarget = id !== undefined
    ? { env: conn.id, type: "container", id: known?.id ?? id, name: known?.name ?? id }
    : p.project ? { env: conn.id, type: "project", id: p.project, name: p.project } : { env: conn.id, type: "container", name: (p.ids ?? []).join(", ").slice(0, 500) };
  await relay({ req, res, user, conn, target, details: { download: "logs", ...p } }, `/logs/download?p=${encodeURIComponent(JSON.stringify(p))}`, id ?? p.project ?? "merged");
}

/** `GET /api/e/<env>/logs/history/download?container=|project=&q&regex&case&invert&since&until`: recorded lines. */
export async function handleHistoryDownload(req: IncomingMessage, res: ServerResponse, rawEnv: string): Promise<void> {
  const ok = await allowed(req, res, rawEnv);
  if (!ok) return;
  const { user, conn } = ok;
  const q = new URL(req.url ?? "/", "http://localhost").searchParams;
  const p = paramsFromQuery(q);
  const body = {
    ...(q.get("container") ? { container: q.get("container") } : {}),
    ...(p.project ? { project: p.project } : {}),
    ...(p.search ? { search: p.search } : {}),
    ...(p.since ? { since: p.since } : {}),
    ...(p.until ? { until: p.until } : {}),
  };
  const parsed = historyMethods["logs.history.search"].safeParse(body);
  if (!parsed.success) return sendError(res, 400, queryError(parsed.error.issues[0]));
  const what = q.get("container") ?? p.project;
  const container = q.get("container");
  if (!(await downloadAccess(req, res, user, "container.logs.download", { env: conn.id, conn, ids: container ? [container] : [], merged: !container }))) return;
  const target: AuditTarget = { env: conn.id, type: p.project && !q.get("container") ? "project" : "container", ...(what ? { id: what, name: what } : { name: "all containers" }) };
  await relay({ req, res, user, conn, target, details: { download: "logs history", ...body } }, `/logs/history/download?p=${encodeURIComponent(JSON.stringify(body))}`, `${what ?? "all"}-history`);
}

/** The search fields by the names they have in the query string. */
const SEARCH_QUERY_NAMES: Record<string, string> = { q: "q", regex: "regex", caseSensitive: "case", invert: "invert" };

/** A schema issue as `<query parameter>: <problem>`, e.g. `since: must be a time (ISO 8601)`, `case: …` or `ids[1]: …`. */
function queryError(issue: IssueLike): string {
  const [head, ...rest] = issue.path;
  // The id comes from the route's path, the search fields sit at the top of the query string.
  if (head === "id") return `container id: ${issue.message}`;
  const path = head === "search" && rest.length ? [SEARCH_QUERY_NAMES[String(rest[0])] ?? rest[0], ...rest.slice(1)] : issue.path;
  return describeIssue({ path, message: issue.message }, "query").message;
}

interface Audited {
  req: IncomingMessage;
  res: ServerResponse;
  user: SessionUser;
  conn: Connection;
  target: AuditTarget;
  details: Record<string, unknown>;
}

/** Audit first (no row, no download), then the runtime's stream, the row completed when it ends. */
async function relay({ req, res, user, conn, target, details }: Audited, path: string, name: string): Promise<void> {
  const auditId = await beginDownloadAudit(req, res, user, "container.logs", target, details);
  if (auditId === null) return;
  const opened = await openRuntimeStream(conn.runtime, path, "download");
  if (!opened.ok) {
    await finishAudit(auditId, { outcome: "error", error: opened.message });
    const status = opened.status === undefined ? 503 : opened.status === 404 || opened.status === 400 ? opened.status : 502;
    return sendError(res, status, opened.message);
  }
  const base = name.replace(/[^a-zA-Z0-9_.-]/g, "_");
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  res.writeHead(200, {
    "Content-Type": "text/plain; charset=utf-8",
    "Content-Disposition": `attachment; filename="${base}-${stamp}.log"`,
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
  });
  streamAudited(opened.upstream, res, auditId, details);
}
