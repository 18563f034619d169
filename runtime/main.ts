/**
 * The runtime process: the only one that talks to Docker. server/supervisor.ts starts it
 * with the flags in runtime/logs/regexp-flags.ts (it refuses to run without them).
 * Wires the engine, the events hub and the capability modules into the server.
 */
import { containerAction, listContainerSummaries } from "./containers/actions";
import { EXPORT_PREFIX, exportRoute } from "./containers/export";
import { containerOpsHandlers } from "./containers/ops";
import { containerCreateHandlers } from "./containers/create";
import { createEngine, type Engine } from "./engine/client";
import { loadRuntimeEnv } from "./env";
import { downloadRoute, HISTORY_DOWNLOAD_PREFIX, historyDownloadRoute, LOGS_DOWNLOAD_PREFIX, logDeps, logsChannel } from "./logs";
import { HistoryRecorder } from "./logs/history/recorder";
import { EventsHub } from "./engine/events-hub";
import { type Channels, frameSender, type Handlers, type RuntimeServer, startRuntimeServer } from "./server";
import { ensureRuntimeKey } from "./shared-key";

// Spawned by a dashboard (server/supervisor.ts): when its IPC channel closes, the
// dashboard is gone, however it ended, and a runtime must not outlive it.
let onParentGone: () => void = () => process.exit(0);
if (process.env.BERTH_RUNTIME_PARENT === "ipc" && process.send) {
  process.once("disconnect", () => onParentGone());
  if (!process.connected) onParentGone();
}

const env = loadRuntimeEnv();
const key = ensureRuntimeKey(env.BERTH_DATA_DIR);

let engine: Engine;
try {
  engine = createEngine(env);
} catch (err) {
  console.error(`berth runtime: cannot configure the Docker client: ${(err as Error).message}`);
  process.exit(1);
}

const hub = new EventsHub(engine);
await hub.start();

const docker = engine.docker;
const lookup = (id: string) => hub.find(id);
const logs = logDeps(docker, hub);
const history = new HistoryRecorder(logs, env.BERTH_DATA_DIR);
history.start();

const handlers: Handlers = {
  "engine.status": async () => hub.currentStatus(),
  // The hub's list is current while its stream is up; otherwise ask (and fail with the reason).
  "containers.list": async () => (hub.isLive() ? hub.list() : listContainerSummaries(docker)),
  "containers.start": ({ id }) => containerAction(docker, "start", id, {}, lookup),
  "containers.stop": ({ id, timeout }) => containerAction(docker, "stop", id, { timeout }, lookup),
  "containers.restart": ({ id, timeout }) => containerAction(docker, "restart", id, { timeout }, lookup),
  "containers.remove": ({ id, force, volumes }) => containerAction(docker, "remove", id, { force, volumes }, lookup),
  ...containerOpsHandlers(docker, lookup),
  ...containerCreateHandlers(docker, lookup),
  "logs.history.status": async () => history.status(),
  "logs.history.set": (input) => history.set(input),
  "logs.history.search": (input) => history.search(input),
};

/** One line per stream channel; /ws/logs, /ws/exec, /ws/stats join here. */
const channels: Channels = {
  "/ws/events": (ws) => {
    const send = frameSender(ws);
    ws.on("close", hub.subscribe((_frame, json) => send(json)));
  },
  "/ws/logs": logsChannel(logs),
};

let server: RuntimeServer;
try {
  server = await startRuntimeServer({ listen: env.listen, key, handlers, channels, routes: { [EXPORT_PREFIX]: exportRoute(docker, lookup), [LOGS_DOWNLOAD_PREFIX]: downloadRoute(logs), [HISTORY_DOWNLOAD_PREFIX]: historyDownloadRoute(history) } });
} catch (err) {
  console.error(`berth runtime: cannot listen: ${(err as Error).message}`);
  hub.stop();
  process.exit(1);
}

const status = hub.currentStatus();
const engineLine = status.reachable
  ? `Docker ${status.version} (API ${status.apiVersion})`
  : `engine unreachable: ${status.reason}`;
console.log(`berth runtime listening on ${server.address} (engine ${engine.dockerHost}, ${engineLine})`);

let shuttingDown = false;
async function shutdown(): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  await history.stop();
  hub.stop();
  await server.close();
  process.exit(0);
}
onParentGone = () => {
  console.error("berth runtime: the dashboard that started it is gone; stopping");
  // Nobody is left to SIGKILL a shutdown that hangs.
  setTimeout(() => process.exit(0), 3000).unref();
  void shutdown();
};
process.on("SIGTERM", () => void shutdown());
process.on("SIGINT", () => void shutdown());
