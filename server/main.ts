/**
 * The dashboard process: one HTTP server on BERTH_PORT serving Next's pages,
 * tRPC, the health endpoint and the /api/ws WebSocket, and supervising the
 * runtime, the only process that talks to Docker.
 *
 * Start-up is all or nothing: the listening line (and the setup token) is printed
 * once the database is usable, the port is ours and the runtime has answered with
 * the engine's status; if any of that fails, the runtime started so far is stopped
 * and the process exits non-zero with the reason.
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";
import { loadEnv } from "./env";
import { ensureSecretFile } from "./auth/secrets";
import { ensureRuntimeKey, runtimeSocketPath } from "../runtime/shared-key";
import { checkDatabase, databaseFile } from "./database-check";
import { listenTls, tlsCredentials, TlsSetupError } from "./tls";
import type { Supervisor } from "./supervisor";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const log = (line: string) => console.log(`[berth] ${line}`);
/** Long enough for the runtime to start and reach the engine on a busy machine. */
const RUNTIME_READY_MS = 60_000;

/** Stops the start with a reason; what was started so far is stopped first. */
class StartError extends Error {}

async function main() {
  let env;
  try {
    env = loadEnv();
  } catch (err) {
    console.error(`[berth] ${(err as Error).message}`);
    process.exit(2);
  }
  fs.mkdirSync(env.dataDir, { recursive: true, mode: 0o700 });
  process.env.BERTH_DATA_DIR = env.dataDir;
  process.env.DATABASE_URL ??= `file:${path.join(env.dataDir, "berth.db")}`;
  process.env.NEXTAUTH_SECRET ??= ensureSecretFile(env.dataDir, "session.secret");
  // Without a fixed public URL, next-auth builds its URLs from the request's own host.
  if (!process.env.NEXTAUTH_URL) process.env.AUTH_TRUST_HOST = "true";
  const runtimeKey = ensureRuntimeKey(env.dataDir);
  const listen = env.BERTH_RUNTIME_LISTEN ?? `unix:${runtimeSocketPath(env.dataDir)}`;
  // Before anything is started: a corrupt or unmigrated database stops here, naming the file.
  checkDatabase(databaseFile(env.dataDir));

  // Imported after the environment is settled: these read it at load time.
  const { issueSetupToken, adminExists } = await import("./auth/setup");
  const { createHub } = await import("./realtime/hub");
  const { allowedOriginsFrom } = await import("./realtime/origin");
  const { closeConnections } = await import("./engines/registry");
  const { connectEnvironments, listEnvironments, seedLocalEnvironment } = await import("./engines/environments");
  const { superviseRuntime } = await import("./supervisor");
  const { handleRequest } = await import("./http");
  const { sealUnsealed } = await import("./audit-chain");
  const { startAuditRetention } = await import("./audit-retention");

  let supervisor: Supervisor | undefined;
  let hub: ReturnType<typeof createHub> | undefined;
  let server: http.Server | undefined;
  /** The HTTPS listener (BERTH_TLS=on): the same handlers as `server`. */
  let tlsServer: import("node:https").Server | undefined;
  let tlsNote = "";
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log(`${signal}: stopping`);
    hub?.close();
    closeConnections();
    server?.close();
    server?.closeAllConnections();
    tlsServer?.close();
    tlsServer?.closeAllConnections();
    await supervisor?.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));

  try {
    // Before any request can begin one: audit entries a crash left pending are sealed as "interrupted".
    const sealed = await sealUnsealed().catch((err: unknown) => {
      throw new StartError(`cannot seal the audit history's pending entries: ${(err as Error)?.message ?? err}`);
    });
    if (sealed) log(`audit: sealed ${sealed} entries left unfinished by the last run`);
    supervisor =
      env.BERTH_RUNTIME_EXTERNAL === "1"
        ? undefined
        : await superviseRuntime({ ...process.env, BERTH_RUNTIME_LISTEN: listen }, log, path.join(env.dataDir, "runtime.pid"));
    // Ready means: the runtime answers on its events stream and has said what the engine is.
    let runtimeExit: string | undefined;
    supervisor?.onExit((reason) => (runtimeExit ??= reason));
    let engineKnown = false;

    const dockerHost = process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock";
    await seedLocalEnvironment(dockerHost);
    const conns = connectEnvironments(await listEnvironments(), { address: listen, key: runtimeKey, dockerHost }, log);
    if (!conns.length) throw new StartError("no environment could be connected (see above)");
    // Ready once every environment's runtime has said what its engine is.
    const known = new Set<string>();
    for (const c of conns) {
      // Only until its engine is known: not on every container event for the life of the process.
      const stop = c.live.listen((frame) => {
        if (frame.type !== "engine" || !c.live.connected()) return;
        known.add(c.id);
        engineKnown = known.size === conns.length;
        stop();
      });
    }
    hub = createHub({ allowedOrigins: allowedOriginsFrom(env.BERTH_ALLOWED_ORIGINS, env.NEXTAUTH_URL) });

    const dev = env.BERTH_DEV === "1";
    const app = next({ dev, dir: root, hostname: env.BERTH_HOST, port: env.BERTH_PORT });
    await app.prepare();
    const nextHandler = app.getRequestHandler();
    const nextUpgrade = dev ? app.getUpgradeHandler() : undefined;

    const httpServer = http.createServer((req, res) => {
      handleRequest(req, res, nextHandler).catch((err) => {
        console.error("[berth] request failed", err);
        if (!res.headersSent) res.writeHead(500).end("Internal error");
      });
    });
    server = httpServer;
    // A request the parser refuses (a URL or headers over Node's 16 KB): answer, then read
    // what the client is still sending (up to a bound) before closing. Node's own answer
    // closes at once, and a client still writing a 3 MB URL got a reset, not the 431.
    httpServer.on("clientError", (err: NodeJS.ErrnoException, socket) => {
      if (err.code === "ECONNRESET") return void socket.destroy();
      // Never a second response after one already began on this socket (a DELETE with a
      // body after its 405 gives HPE_CLOSED_CONNECTION): that answer stands, and the
      // client still sending is read the same way, so it gets it rather than a reset.
      const inFlight = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
      if (!inFlight?.headersSent) {
        if (!socket.writable) return void socket.destroy();
        const [status, text] = err.code === "HPE_HEADER_OVERFLOW" ? [431, "Request Header Fields Too Large"] : [400, "Bad Request"];
        socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      }
      let drained = 0;
      socket.on("data", (chunk: Buffer) => {
        drained += chunk.length;
        if (drained > 8 << 20) socket.destroy();
      });
      setTimeout(() => socket.destroy(), 5000).unref();
    });
    httpServer.on("upgrade", (req, socket, head) => {
      const pathname = (req.url ?? "/").split("?")[0];
      if (pathname === "/api/ws") return hub!.handleUpgrade(req, socket, head);
      if (nextUpgrade && pathname?.startsWith("/_next/")) return nextUpgrade(req, socket, head);
      socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n");
    });

    await new Promise<void>((resolve, reject) => {
      httpServer.once("error", (err: NodeJS.ErrnoException) =>
        reject(new StartError(err.code === "EADDRINUSE" ? `port ${env.BERTH_PORT} on ${env.BERTH_HOST} is already in use (BERTH_PORT)` : `cannot listen on ${env.BERTH_HOST}:${env.BERTH_PORT}: ${err.message}`)),
      );
      httpServer.listen(env.BERTH_PORT, env.BERTH_HOST, resolve);
    });
    if (env.BERTH_TLS === "on") {
      try {
        const creds = await tlsCredentials(env);
        tlsNote = creds.describe;
        tlsServer = await listenTls(env, httpServer, creds);
      } catch (err) {
        throw err instanceof TlsSetupError ? new StartError(err.message) : err;
      }
    }

    // A runtime that exits before it ever answered will not do better on a restart (bad
    // environment, another runtime on the socket): stop with its reason instead of looping.
    const deadline = Date.now() + RUNTIME_READY_MS;
    while (!engineKnown) {
      if (runtimeExit) throw new StartError(`the runtime exited during start-up (${runtimeExit}); its reason is above`);
      if (Date.now() > deadline) throw new StartError(`the runtime did not answer within ${RUNTIME_READY_MS / 1000} s`);
      await new Promise((r) => setTimeout(r, 50));
    }

    const shown = env.BERTH_HOST === "0.0.0.0" ? "localhost" : env.BERTH_HOST;
    const token = await issueSetupToken();
    log(`listening on http://${shown}:${env.BERTH_PORT} (data: ${env.dataDir}, engine: ${dockerHost})`);
    if (tlsServer) log(`listening on https://${shown}:${env.BERTH_TLS_PORT} (${tlsNote})`);
    startAuditRetention(log);
    if (token) {
      console.log(`Setup token: ${token}`);
      log(`open http://${shown}:${env.BERTH_PORT}/setup to create the administrator`);
    } else if (!(await adminExists())) {
      log("no administrator yet");
    }
  } catch (err) {
    console.error(`[berth] cannot start: ${err instanceof StartError ? err.message : String((err as Error)?.stack ?? err)}`);
    closing = true;
    hub?.close();
    server?.close();
    tlsServer?.close();
    await supervisor?.stop();
    process.exit(1);
  }
}

main().catch((err) => {
  console.error(`[berth] cannot start: ${(err as Error)?.message ?? err}`);
  process.exit(1);
});
