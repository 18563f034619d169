/**
 * Starts the runtime as a child process and restarts it when it dies, so the
 * start command is one command and a crashed runtime comes back by itself.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export interface Supervisor {
  stop(): Promise<void>;
}

/** `pidFile` lets operators (and tests) find the runtime that is running now. */
export function superviseRuntime(env: NodeJS.ProcessEnv, log: (line: string) => void, pidFile?: string): Supervisor {
  let child: ChildProcess | undefined;
  let stopping = false;
  let restarts = 0;
  let timer: NodeJS.Timeout | undefined;

  const start = () => {
    const startedAt = Date.now();
    child = spawn(process.execPath, ["--max-semi-space-size=32", "--import", "tsx", path.join(root, "runtime", "main.ts")], {
      cwd: root,
      env,
      stdio: ["ignore", "inherit", "inherit"],
    });
    if (pidFile && child.pid) fs.writeFileSync(pidFile, String(child.pid));
    child.on("exit", (code, signal) => {
      child = undefined;
      if (pidFile) fs.rmSync(pidFile, { force: true });
      if (stopping) return;
      // Back off only when it keeps dying at once; a long-lived runtime restarts fast.
      restarts = Date.now() - startedAt > 10_000 ? 0 : restarts + 1;
      const delay = Math.min(250 * 2 ** restarts, 5000);
      log(`runtime exited (${signal ?? code}); restarting in ${delay} ms`);
      timer = setTimeout(start, delay);
    });
  };
  start();

  return {
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
