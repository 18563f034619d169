/**
 * Starts the runtime as a child process and restarts it when it dies, so the
 * start command is one command and a crashed runtime comes back by itself.
 *
 * The runtime never outlives its dashboard: it is spawned with an IPC channel
 * and exits when that channel closes, which the kernel does for us however the
 * dashboard ends (SIGKILL included). A runtime left by an older Berth that died
 * is found through the pid file and replaced before the new one starts.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { LINEAR_REGEXP_FLAGS } from "../runtime/logs/regexp-flags";
import { replaceStaleRuntime } from "./stale-runtime";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/**
 * How the runtime is started. Compiled (server/bin/bundle.mjs defines
 * BERTH_COMPILED), the dashboard spawns the compiled runtime beside it in the
 * same build folder; from source (dev, tests), the runtime runs through tsx.
 */
export function runtimeCommand(): string[] {
  if (process.env.BERTH_COMPILED === "1") {
    return [path.resolve(root, process.env.BERTH_NEXT_DIST || ".next", "berth", "runtime.mjs")];
  }
  return ["--import", "tsx", path.join(root, "runtime", "main.ts")];
}

/**
 * V8 flags of the runtime beyond the regexp ones. Its young generation may grow
 * to 32 MB semi-spaces: a log flood allocates many short-lived buffers, and
 * small semi-spaces promote them to the old generation (more and longer GCs).
 * Idle, V8 shrinks them back, so this costs memory only under load.
 */
const RUNTIME_V8_FLAGS = ["--max-semi-space-size=32"];

export interface Supervisor {
  stop(): Promise<void>;
  /** Called each time the runtime exits by itself (not on stop()). */
  onExit(listener: (reason: string) => void): void;
}

/**
 * `pidFile` lets operators (and tests) find the runtime that is running now, and
 * the next start find one that a killed Berth left behind. Throws when another
 * live Berth owns the runtime in that pid file.
 */
export async function superviseRuntime(env: NodeJS.ProcessEnv, log: (line: string) => void, pidFile?: string): Promise<Supervisor> {
  if (pidFile) await replaceStaleRuntime(pidFile, log);
  let child: ChildProcess | undefined;
  let stopping = false;
  let restarts = 0;
  let timer: NodeJS.Timeout | undefined;
  const exitListeners: ((reason: string) => void)[] = [];

  const start = () => {
    const startedAt = Date.now();
    child = spawn(process.execPath, [...RUNTIME_V8_FLAGS, ...LINEAR_REGEXP_FLAGS, ...runtimeCommand()], {
      cwd: root,
      env: { ...env, BERTH_RUNTIME_PARENT: "ipc" },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    // The channel must not keep the dashboard alive, nor may a message on it crash either side.
    child.channel?.unref();
    child.on("error", (err) => log(`runtime: ${err.message}`));
    if (pidFile && child.pid) fs.writeFileSync(pidFile, String(child.pid));
    child.on("exit", (code, signal) => {
      child = undefined;
      if (pidFile) fs.rmSync(pidFile, { force: true });
      if (stopping) return;
      // Back off only when it keeps dying at once; a long-lived runtime restarts fast.
      restarts = Date.now() - startedAt > 10_000 ? 0 : restarts + 1;
      const delay = Math.min(250 * 2 ** restarts, 5000);
      const reason = signal ? `killed by ${signal}` : `exit code ${code}`;
      for (const l of exitListeners) l(reason);
      log(`runtime exited (${signal ?? code}); restarting in ${delay} ms`);
      timer = setTimeout(start, delay);
    });
  };
  start();

  return {
    onExit(listener) {
      exitListeners.push(listener);
    },
    stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      const c = child;
      if (!c) return Promise.resolve();
      return new Promise((resolve) => {
        const kill = setTimeout(() => c.kill("SIGKILL"), 5000);
        c.once("exit", () => {
          clearTimeout(kill);
          resolve();
        });
        c.kill("SIGTERM");
      });
    },
  };
}
