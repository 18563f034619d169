/**
 * Routing of plain HTTP requests: health, tRPC, and the page guard in front of
 * Next (first run → /setup, signed out → /login).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { appRouter } from "./routers";
import { createContext, clientIp } from "./trpc";
import { adminExists } from "./auth/setup";
import { sessionUser } from "./auth/session";
import { engineStatus } from "./ws/hub";
import { EXPORT_ROUTE, handleContainerExport } from "./container-export";
import { handleHistoryDownload, handleLogsDownload, HISTORY_DOWNLOAD_ROUTE, LOGS_DOWNLOAD_ROUTE } from "./logs-download";
import pkg from "../package.json" with { type: "json" };

const trpcHandler = createHTTPHandler({
  router: appRouter,
  basePath: "/api/trpc/",
  createContext,
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

export async function handleRequest(req: IncomingMessage, res: ServerResponse, nextHandler: NextHandler) {
  // Only the server sets this; whatever a client sent under that name is replaced.
  req.headers["x-berth-client-ip"] = clientIp(req);
  const url = new URL(req.url ?? "/", "http://localhost");
  const pathname = url.pathname;

  if (pathname === "/api/health") {
    const engine = engineStatus();
    res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-store" });
    res.end(
      JSON.stringify({
        status: "ok",
        version: pkg.version,
        engine: {
          reachable: engine?.reachable ?? false,
          version: engine?.version ?? null,
          apiVersion: engine?.apiVersion ?? null,
          ...(engine?.reachable ? {} : { reason: engine?.reason ?? "unknown" }),
        },
      }),
    );
    return;
  }
  if (pathname.startsWith("/api/trpc/")) return trpcHandler(req, res);
  const exportMatch = EXPORT_ROUTE.exec(pathname);
  if (exportMatch) return handleContainerExport(req, res, exportMatch[1]);
  const logsMatch = LOGS_DOWNLOAD_ROUTE.exec(pathname);
  if (logsMatch) return handleLogsDownload(req, res, logsMatch[1]);
  if (HISTORY_DOWNLOAD_ROUTE.test(pathname)) return handleHistoryDownload(req, res);

  if (isPage(pathname)) {
    const setupDone = await adminExists();
    if (!setupDone) {
      if (pathname !== "/setup") return redirect(res, "/setup");
    } else if (pathname === "/setup") {
      return redirect(res, "/login");
    } else {
      const user = await sessionUser(req);
      if (!user && pathname !== "/login") return redirect(res, `/login?callbackUrl=${encodeURIComponent(url.pathname + url.search)}`);
      if (user && pathname === "/login") return redirect(res, "/");
    }
  }
  return nextHandler(req, res);
}
