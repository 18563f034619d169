/**
 * The runtime process: the only one that talks to Docker. server/supervisor.ts starts it
 * with the flags in runtime/logs/regexp-flags.ts (it refuses to run without them).
 * Connects the engine, builds every capability of capabilities.ts from it and
 * serves them; it names none of them.
 */
import { type Capability, type EngineContext, registerCapabilities, type Registry } from "./capability";
import { capabilities } from "./capabilities";
import { createEngine, type Engine } from "./engine/client";
import { toRuntimeError } from "./engine/errors";
import { EventsHub } from "./engine/events-hub";
import { loadRuntimeEnv } from "./env";
import { methodDeadlineMs } from "./protocol/methods";
import { type RuntimeServer, startRuntimeServer } from "./server";
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

const context: EngineContext = {
  engine,
  docker: engine.docker,
  hub,
  dataDir: env.BERTH_DATA_DIR,
  lookup: (id) => hub.find(id),
};

let built: Capability[];
let registry: Registry;
try {
  built = capabilities.map((build) => build(context));
  registry = registerCapabilities(built);
  for (const capability of built) await capability.start?.();
} catch (err) {
  console.error(`berth runtime: cannot register or start its capabilities: ${(err as Error).message}`);
  hub.stop();
  process.exit(1);
}

let server: RuntimeServer;
try {
  server = await startRuntimeServer({
    listen: env.listen,
    key,
    ...registry,
    toError: (err) => toRuntimeError(err),
    deadlineMs: methodDeadlineMs,
  });
} catch (err) {
  console.error(`berth runtime: cannot listen: ${(err as Error).message}`);
  await stopCapabilities();
  hub.stop();
  process.exit(1);
}

async function stopCapabilities(): Promise<void> {
  for (const capability of [...built].reverse()) await capability.stop?.();
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
  await stopCapabilities();
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
