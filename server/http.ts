/**
 * Routing of plain HTTP requests: health, tRPC, and the page guard in front of
 * Next (first run → /setup, signed out → /login).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { TRPCError } from "@trpc/server";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { appRouter } from "./api/routers/index";
import { createContext, clientIp } from "./api/trpc";
import { adminExists } from "./auth/setup";
import { sessionUser } from "./auth/session";
import { forcedAccountPage } from "./auth/account-gate";
import { databaseError, toTRPCError } from "./errors";
import { EXPORT_ROUTE, handleContainerExport } from "./http/container-export";
import { handleImagesRoute, IMAGES_ROUTE } from "./http/images-routes";
import { FILES_ROUTE, handleFilesRoute } from "./http/files-routes";
import { AUDIT_EXPORT_ROUTE, handleAuditExport } from "./http/audit-export";
import { BACKUP_ROUTE, handleBackupDownload, handleRestoreUpload, RESTORE_ROUTE } from "./http/backup";
import { handleHistoryDownload, handleLogsDownload, HISTORY_DOWNLOAD_ROUTE, LOGS_DOWNLOAD_ROUTE } from "./http/logs-download";
import { sendError, sendUnscopedDownload } from "./http/runtime-download";
import { allowedOriginsFrom, requestOriginDecision } from "./realtime/origin";
import { health } from "./http/health";
import { handleRestRequest, REST_PREFIX } from "./http/rest-api";
import { applySecurityHeaders } from "./http/security-headers";
import { checkRawInput, inputError, MAX_BATCH, MAX_URL_LENGTH, readCappedBody } from "./http/trpc-input";

const allowedOrigins = allowedOriginsFrom(process.env.BERTH_ALLOWED_ORIGINS, process.env.NEXTAUTH_URL);
const dev = process.env.BERTH_DEV === "1";

/** How much of a refused body is read and dropped before the connection is cut instead. */
const DISCARD_MAX_BYTES = 8 * 1024 * 1024;
/** How long after its answer is sent a client still writing is read, so the answer reaches it before the cut. */
const DISCARD_GRACE_MS = 500;

/** Whether the answer on this request's socket is sent (Node detaches a finished response from its socket). */
function answered(req: IncomingMessage): boolean {
  const res = (req.socket as unknown as { _httpMessage?: ServerResponse | null })._httpMessage;
  return !res || res.writableFinished;
}

/**
 * Reads the rest of a refused request's body and drops it, never keeping it:
 * closing on unread data would reset the connection under a client still
 * sending, losing the answer. A client that sends more than DISCARD_MAX_BYTES
 * is cut off, but only once its answer has been out for DISCARD_GRACE_MS (a
 * reset drops what the client has not read yet); and after 10 s in any case.
 */
function discardBody(req: IncomingMessage): void {
  if (req.complete) return;
  let dropped = 0;
  let answeredAt: number | undefined;
  const cut = () => req.socket.destroy();
  const timer = setTimeout(cut, 10_000).unref();
  req.on("data", (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped <= DISCARD_MAX_BYTES || !answered(req)) return;
    answeredAt ??= Date.now();
    if (Date.now() - answeredAt > DISCARD_GRACE_MS) cut();
  });
  req.once("end", () => clearTimeout(timer));
  req.once("close", () => clearTimeout(timer));
  req.resume();
}

/**
 * A tRPC request is refused before tRPC reads it: tRPC gets an empty body, and
 * the content type is set to JSON so tRPC answers with this error (in its usual
 * shape, through the error formatter) rather than one of its own.
 */
function refuseUnread(req: IncomingMessage, err: unknown): never {
  (req as IncomingMessage & { body?: string }).body = "";
  req.headers["content-type"] = "application/json";
  discardBody(req);
  throw err;
}

/**
 * The only methods Berth answers (pages, tRPC, next-auth, downloads). Others
 * never reach tRPC or Next: both build a fetch Request, which throws on TRACE,
 * TRACK and CONNECT (a 500).
 */
const METHODS = ["GET", "HEAD", "POST"];

/** Whether every percent-escape in the path decodes to UTF-8 (Next answers 500 otherwise). */
function decodablePath(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

function badPath(req: IncomingMessage, res: ServerResponse) {
  discardBody(req);
  sendError(res, 400, "malformed URL: bad percent-encoding in the path");
}

/** Every download names its environment: `/api/e/<env>/containers/<id>/export`, `…/logs/download`, `/api/e/<env>/logs/history/download`. */
const ENV_ROUTE = /^\/api\/e\/([^/]+)(\/.*)$/;
/** The same downloads without an environment, as they were addressed before environments. */
const UNSCOPED_DOWNLOAD = /^\/api\/(?:containers\/[^/]+\/(?:export|logs\/download)|logs\/(?:history\/)?download)$/;

const isJson = (type: string | undefined) => type?.split(";", 1)[0]!.trim().toLowerCase() === "application/json";

/** Origin, content type, size, nesting and NUL checks of a tRPC call; throws the error to answer with. */
async function vetTrpcRequest(req: IncomingMessage): Promise<void> {
  const origin = requestOriginDecision(req, allowedOrigins);
  if (!origin.ok) refuseUnread(req, new TRPCError({ code: "FORBIDDEN", message: origin.message }));
  const url = req.url ?? "/";
  if (url.length > MAX_URL_LENGTH) {
    refuseUnread(req, inputError("PAYLOAD_TOO_LARGE", `request URL too long (max ${MAX_URL_LENGTH} bytes): send large inputs in a POST body`));
  }
  const query = new URL(url, "http://localhost").searchParams;
  const batch = query.get("batch") === "1";
  if (req.method === "GET" || req.method === "HEAD") {
    const input = query.get("input");
    if (input) checkRawInput(input, batch);
    return;
  }
  // A cross-site HTML form can only send urlencoded, multipart or text/plain bodies.
  if (!isJson(req.headers["content-type"])) {
    refuseUnread(req, new TRPCError({ code: "UNSUPPORTED_MEDIA_TYPE", message: "tRPC calls must be sent as application/json" }));
  }
  let text: string;
  try {
    text = await readCappedBody(req);
  } catch (err) {
    refuseUnread(req, err);
  }
  (req as IncomingMessage & { body?: string }).body = text;
  checkRawInput(text, batch);
}

const trpcHandler = createHTTPHandler({
  router: appRouter,
  basePath: "/api/trpc/",
  maxBatchSize: MAX_BATCH,
  middleware: (req, _res, next) => void vetTrpcRequest(req).then(() => next(), next),
  // A session lookup that meets a locked database answers like any procedure would.
  createContext: (opts) => createContext(opts).catch((err: unknown) => Promise.reject(toTRPCError(err))),
  onError({ error, path }) {
    if (error.code === "INTERNAL_SERVER_ERROR") console.error(`[trpc] ${path}:`, error.cause ?? error);
  },
});

type NextHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

function redirect(res: ServerResponse, to: string) {
  res.writeHead(302, { Location: to, "Cache-Control": "no-store" }).end();
}

function isPage(pathname: string): boolean {
  return !(
    pathname.startsWith("/_next/") ||
    pathname.startsWith("/api/") ||
    pathname === "/favicon.ico" ||
    /\.[a-z0-9]{2,5}$/i.test(pathname)
  );
}

/** next-auth reads its bodies whole, before any check of ours: a sign-in form is a few hundred bytes. */
const MAX_AUTH_BODY = 64 * 1024;

function authBodyRefusal(req: IncomingMessage): [number, string] | undefined {
  if (req.headers["transfer-encoding"]) return [411, "sign-in and sign-out requests must declare their Content-Length"];
  if (Number(req.headers["content-length"] ?? 0) > MAX_AUTH_BODY) return [413, `request body too large (max ${MAX_AUTH_BODY / 1024} KB)`];
  return undefined;
}

/** Routes that change state outside tRPC; next-auth's own routes keep their own CSRF token check. */
const guardedByOrigin = (method: string | undefined, pathname: string) =>
  !pathname.startsWith("/api/auth/") && (pathname.startsWith("/api/") || (method !== "GET" && method !== "HEAD"));

export async function handleRequest(req: IncomingMessage, res: ServerResponse, nextHandler: NextHandler) {
  // Only the server sets this; whatever a client sent under that name is replaced.
  req.headers["x-berth-client-ip"] = clientIp(req);
  let url: URL;
  try {
    url = new URL(req.url ?? "/", "http://localhost");
  } catch {
    applySecurityHeaders(req, res, "/", dev);
    return sendError(res, 400, `malformed request URL ${JSON.stringify(req.url)}`);
  }
  const pathname = url.pathname;
  applySecurityHeaders(req, res, pathname, dev);
  if (!METHODS.includes(req.method ?? "")) {
    discardBody(req);
    res.setHeader("Allow", METHODS.join(", "));
    return sendError(res, 405, `HTTP method ${JSON.stringify(req.method)} is not supported: use ${METHODS.join(", ")}`);
  }

  if (pathname === "/api/health") {
    const { status, body } = await health();
    res.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store" });
    res.end(JSON.stringify(body));
    return;
  }
  if (pathname.startsWith("/api/trpc/")) return decodablePath(pathname) ? trpcHandler(req, res) : badPath(req, res);
  // The REST API: API tokens, its own Origin rule (a token without a cookie is no forged request), then the same tRPC caller.
  if (pathname.startsWith(REST_PREFIX)) return decodablePath(pathname) ? handleRestRequest(req, res, discardBody) : badPath(req, res);
  if (pathname.startsWith("/api/auth/")) {
    const refusal = authBodyRefusal(req);
    if (refusal) {
      discardBody(req);
      return sendError(res, refusal[0], refusal[1]);
    }
  }
  if (guardedByOrigin(req.method, pathname)) {
    const origin = requestOriginDecision(req, allowedOrigins);
    if (!origin.ok) return sendError(res, 403, origin.message);
  }
  const scoped = ENV_ROUTE.exec(pathname);
  if (scoped) {
    const [, env, rest] = scoped as unknown as [string, string, string];
    const filesMatch = FILES_ROUTE.exec(rest);
    if (filesMatch) return handleFilesRoute(req, res, env, filesMatch[1] as "containers" | "volumes", filesMatch[2]!, url.searchParams);
    const exportMatch = EXPORT_ROUTE.exec(rest);
    if (exportMatch) return handleContainerExport(req, res, env, exportMatch[1]!);
    const logsMatch = LOGS_DOWNLOAD_ROUTE.exec(rest);
    if (logsMatch) return handleLogsDownload(req, res, env, logsMatch[1]);
    if (HISTORY_DOWNLOAD_ROUTE.test(rest)) return handleHistoryDownload(req, res, env);
    const imagesMatch = IMAGES_ROUTE.exec(rest);
    if (imagesMatch) return handleImagesRoute(req, res, env, imagesMatch[1]!, url.searchParams);
  }
  if (pathname === AUDIT_EXPORT_ROUTE) return handleAuditExport(req, res, url.searchParams);
  if (pathname === BACKUP_ROUTE) return handleBackupDownload(req, res);
  if (pathname === RESTORE_ROUTE) return handleRestoreUpload(req, res);
  if (UNSCOPED_DOWNLOAD.test(pathname)) {
    discardBody(req);
    return sendUnscopedDownload(res, pathname);
  }
  // The download routes above name a malformed id themselves.
  if (!decodablePath(pathname)) return badPath(req, res);

  if (isPage(pathname)) {
    try {
      const to = await pageRedirect(req, url);
      if (to) return redirect(res, to);
    } catch (err) {
      const db = databaseError(err);
      if (!db) throw err;
      console.error("[berth] page guard:", err);
      return sendError(res, db.code === "SERVICE_UNAVAILABLE" ? 503 : 500, `Berth cannot read its database: ${db.message}.`);
    }
  }
  return nextHandler(req, res);
}

/** Where a page request must go instead (first run → /setup, signed out → /login), if anywhere. */
async function pageRedirect(req: IncomingMessage, url: URL): Promise<string | undefined> {
  const pathname = url.pathname;
  if (!(await adminExists())) return pathname === "/setup" ? undefined : "/setup";
  if (pathname === "/setup") return "/login";
  const user = await sessionUser(req);
  if (!user && pathname !== "/login") return `/login?callbackUrl=${encodeURIComponent(url.pathname + url.search)}`;
  if (user && pathname === "/login") return "/";
  // A reset password or a required, missing second factor comes first; everything else waits.
  if (user) return forcedAccountPage(user, pathname);
  return undefined;
}
