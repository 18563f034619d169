/**
 * What the plain HTTP download routes (container export, log downloads) share:
 * the same gate as a procedure (session, permission), and opening a streamed
 * GET on the runtime, with its error body read into a message a person can act on.
 */
import { envIdSchema } from "../realtime/protocol";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { RuntimeError } from "../../runtime/protocol/index";
import { isContainerRef } from "../../runtime/protocol/ids";
import { asBerthError } from "../errors";
import type { SessionUser } from "../auth/session";
import { sessionUser } from "../auth/session";
import { SESSION_ONLY_MESSAGE, tokenMayUse, tokenUser } from "../auth/api-token";
import { ruleOf, type Permission } from "../api/permissions";
import { authorizeRequest } from "../authz/request-access";
import type { AuthzTarget } from "../authz/authorize";
import { clientIp } from "../api/trpc";
import { findConnection, type Connection } from "../engines/registry";
import type { RuntimeClient } from "../engines/runtime-client";

export function sendError(res: ServerResponse, status: number, message: string) {
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" });
  res.end(message);
}

/** A 404 (or 400) that names `env`, as JSON: the field and a message a person can act on. */
function sendEnvError(res: ServerResponse, status: number, message: string) {
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" });
  res.end(JSON.stringify({ error: { code: status === 404 ? "NOT_FOUND" : "BAD_REQUEST", field: "env", message } }));
}

/**
 * The connection of the environment a route's path names (`/api/e/<env>/…`), or
 * null once a 404 naming `env` has been sent (malformed, or no such environment).
 */
export function routeConnection(res: ServerResponse, raw: string): Connection | null {
  let env: string;
  try {
    env = decodeURIComponent(raw);
  } catch {
    return (sendEnvError(res, 400, `env ${JSON.stringify(raw)}: malformed percent-encoding`), null);
  }
  const conn = envIdSchema.safeParse(env).success ? findConnection(env) : undefined;
  if (!conn) return (sendEnvError(res, 404, `env: environment ${JSON.stringify(env.slice(0, 64))} not found`), null);
  return conn;
}

/** A download address from before environments: answered with where it lives now. */
export function sendUnscopedDownload(res: ServerResponse, pathname: string) {
  sendEnvError(res, 404, `env: downloads name their environment: /api/e/<env>${pathname.slice(4)}`);
}


/**
 * The container id or name from a route's path segment, or null once a 400
 * naming it has been sent (a malformed percent-encoding, or not an id or name).
 */
export function routeContainerId(res: ServerResponse, raw: string): string | null {
  let id: string;
  try {
    id = decodeURIComponent(raw);
  } catch {
    return (sendError(res, 400, `container id ${JSON.stringify(raw)}: malformed percent-encoding`), null);
  }
  if (!isContainerRef(id)) {
    return (sendError(res, 400, `container id ${JSON.stringify(id)}: not a container id or name`), null);
  }
  return id;
}

/** The signed-in user allowed `permission`, or null once the refusal has been sent. */
export async function downloadUser(req: IncomingMessage, res: ServerResponse, permission: Permission, what: string, methods: readonly string[] = ["GET"]): Promise<SessionUser | null> {
  if (!methods.includes(req.method ?? "")) return (sendError(res, 405, `${what} uses ${methods.join(" or ")}.`), null);
  // A signed-in session, or an API token (server/auth/api-token.ts): downloads are part of the REST API.
  const session = await sessionUser(req);
  const user = session ?? (await tokenUser(req));
  if (!user) return (sendError(res, 401, "Sign in first."), null);
  if (!session && !tokenMayUse(permission)) return (sendError(res, 403, SESSION_ONLY_MESSAGE), null);
  // A per-environment permission is decided by `downloadAccess` once the route has resolved the environment and objects.
  if (ruleOf(permission).scope !== "env" && !(await allowedHere(req, res, user, permission, {}))) return null;
  return user;
}

/** The fine check once the route knows its environment and objects: true, or false once a 403 has been sent. */
export async function downloadAccess(req: IncomingMessage, res: ServerResponse, user: SessionUser, permission: Permission, target: AuthzTarget): Promise<boolean> {
  return allowedHere(req, res, user, permission, target);
}

async function allowedHere(req: IncomingMessage, res: ServerResponse, user: SessionUser, permission: Permission, target: AuthzTarget): Promise<boolean> {
  try {
    const ua = req.headers["user-agent"];
    await authorizeRequest(user, permission, target, { sourceIp: clientIp(req), userAgent: typeof ua === "string" ? ua.slice(0, 256) : undefined });
    return true;
  } catch (err) {
    const e = asBerthError(err);
    sendError(res, e?.code === "UNAUTHORIZED" ? 401 : e?.code === "FORBIDDEN" ? 403 : 500, e?.message ?? "authorisation failed");
    return false;
  }
}

export type RuntimeStream =
  | { ok: true; upstream: IncomingMessage }
  /** `status` is the runtime's HTTP status; undefined when the runtime could not be reached. */
  | { ok: false; status?: number; message: string };

/** Opens `GET path` on an environment's runtime; a non-200 answer is read (it is small) for the runtime's own message. */
export async function openRuntimeStream(runtime: RuntimeClient, path: string, what: string): Promise<RuntimeStream> {
  let upstream: IncomingMessage;
  try {
    upstream = await runtime.get(path);
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
  if (upstream.statusCode === 200) return { ok: true, upstream };
  const chunks: Buffer[] = [];
  for await (const c of upstream) chunks.push(c as Buffer);
  let message = `${what} failed (runtime answered HTTP ${upstream.statusCode})`;
  try {
    message = (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { error: RuntimeError }).error.message;
  } catch {
    // keep the generic message
  }
  return { ok: false, status: upstream.statusCode, message };
}

export type RuntimeUpload =
  | { ok: true; status: number; body: unknown }
  /** `status` is the runtime's HTTP status; undefined when the runtime could not be reached. */
  | { ok: false; status?: number; message: string; field?: string };

/** Largest JSON answer an upload route may send back (a summary, not data). */
const MAX_UPLOAD_ANSWER = 1 << 20;

/**
 * Pipes the browser's request body to an upload route of the runtime (`PUT
 * path`) as it comes, and reads the runtime's JSON answer: `{ok: true, …}` or
 * `{ok: false, error}` with the runtime's own message and field.
 */
export async function uploadToRuntime(runtime: RuntimeClient, path: string, body: NodeJS.ReadableStream & { headers?: IncomingMessage["headers"] }, what: string, headers: Record<string, string> = {}): Promise<RuntimeUpload> {
  let upstream: IncomingMessage;
  try {
    // A body the dashboard builds itself (a tar stream) has no length to pass on.
    const length = body.headers?.["content-length"];
    upstream = await runtime.upload(path, body, { headers: { ...headers, ...(length ? { "content-length": length } : {}) } });
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of upstream) {
    size += (c as Buffer).length;
    if (size > MAX_UPLOAD_ANSWER) return { ok: false, status: 502, message: `${what}: the runtime's answer is too large` };
    chunks.push(c as Buffer);
  }
  let parsed: { ok?: boolean; error?: RuntimeError } | undefined;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString("utf8")) as typeof parsed;
  } catch {
    parsed = undefined;
  }
  if (upstream.statusCode === 200 && parsed && parsed.ok !== false) return { ok: true, status: 200, body: parsed };
  const error = parsed?.error;
  return { ok: false, status: upstream.statusCode, message: error?.message ?? `${what} failed (runtime answered HTTP ${upstream.statusCode})`, field: error?.field };
}
