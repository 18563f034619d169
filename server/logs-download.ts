/**
 * `GET /api/containers/<id>/logs/download?…` (one container) and
 * `GET /api/logs/download?ids=a,b|project=p&…` (merged): the selected logs as a
 * text file. Session cookie and `container.logs` as for any procedure; the body
 * is piped from the runtime, which streams it from the engine with backpressure,
 * so a 1 GB log passes through without being held anywhere.
 *
 * Query: tail (number|all, default all), since, until (ISO), stdout, stderr,
 * timestamps (0|1), q, regex, case, invert (0|1).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import { type LogsParamsInput, logsParamsSchema, type RuntimeError } from "../runtime/protocol";
import { sessionUser } from "./auth/session";
import { roleAllows } from "./permissions";
import { runtime } from "./runtime";

export const LOGS_DOWNLOAD_ROUTE = /^\/api\/(?:containers\/([^/]+)\/logs|logs)\/download$/;
export const HISTORY_DOWNLOAD_ROUTE = /^\/api\/logs\/history\/download$/;

function sendError(res: ServerResponse, status: number, message: string) {
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" });
  res.end(message);
}

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

async function allowed(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  if (req.method !== "GET") return (sendError(res, 405, "Download uses GET."), false);
  const user = await sessionUser(req);
  if (!user) return (sendError(res, 401, "Sign in first."), false);
  if (!roleAllows(user.role, "container.logs")) return (sendError(res, 403, "Your role may not container.logs."), false);
  return true;
}

export async function handleLogsDownload(req: IncomingMessage, res: ServerResponse, rawId: string | undefined): Promise<void> {
  if (!(await allowed(req, res))) return;
  const url = new URL(req.url ?? "/", "http://localhost");
  const id = rawId === undefined ? undefined : decodeURIComponent(rawId);
  const parsed = logsParamsSchema.safeParse(paramsFromQuery(url.searchParams, id));
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    return sendError(res, 400, `${i.path.join(".") || "query"}: ${i.message}`);
  }
  await relay(res, `/logs/download?p=${encodeURIComponent(JSON.stringify(parsed.data))}`, id ?? parsed.data.project ?? "merged");
}

/** `GET /api/logs/history/download?container=|project=&q&regex&case&invert&since&until`: recorded lines. */
export async function handleHistoryDownload(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!(await allowed(req, res))) return;
  const q = new URL(req.url ?? "/", "http://localhost").searchParams;
  const p = paramsFromQuery(q);
  const body = {
    ...(q.get("container") ? { container: q.get("container") } : {}),
    ...(p.project ? { project: p.project } : {}),
    ...(p.search ? { search: p.search } : {}),
    ...(p.since ? { since: p.since } : {}),
    ...(p.until ? { until: p.until } : {}),
  };
  await relay(res, `/logs/history/download?p=${encodeURIComponent(JSON.stringify(body))}`, `${q.get("container") ?? p.project ?? "all"}-history`);
}

async function relay(res: ServerResponse, path: string, name: string): Promise<void> {
  let upstream: IncomingMessage;
  try {
    upstream = await runtime().get(path);
  } catch (err) {
    return sendError(res, 503, (err as Error).message);
  }
  if (upstream.statusCode !== 200) {
    const chunks: Buffer[] = [];
    for await (const c of upstream) chunks.push(c as Buffer);
    let message = `download failed (runtime answered HTTP ${upstream.statusCode})`;
    try {
      message = (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { error: RuntimeError }).error.message;
    } catch {
      // keep the generic message
    }
    return sendError(res, upstream.statusCode === 404 ? 404 : upstream.statusCode === 400 ? 400 : 502, message);
  }
  const base = name.replace(/[^a-zA-Z0-9_.-]/g, "_");
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  res.writeHead(200, {
    "Content-Type": "text/plain; charset=utf-8",
    "Content-Disposition": `attachment; filename="${base}-${stamp}.log"`,
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
  });
  // pipeline() destroys the runtime request when the browser goes away, which stops the engine read.
  await pipeline(upstream, res).catch(() => undefined);
}
