/**
 * Starts `runtime/main.ts` on a fresh data directory, as server/supervisor.ts runs it
 * (`node --import tsx`, one process, so SIGTERM reaches it), and returns a client.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type RuntimeClient, runtimeClient } from "../../server/runtime-client";

export interface StartedRuntime {
  client: RuntimeClient;
  stop(): Promise<void>;
}

export async function startRuntime(tag: string): Promise<StartedRuntime> {
  const root = path.resolve(import.meta.dirname, "../..");
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `berth-${tag}-`));
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "runtime/main.ts"], {
    cwd: root,
    env: { ...process.env, BERTH_DATA_DIR: dataDir, BERTH_RUNTIME_LISTEN: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`runtime did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("berth runtime listening on")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`runtime exited with ${code}:\n${output}`)));
  });
  const key = fs.readFileSync(path.join(dataDir, "runtime.key"), "utf8").trim();
  const client = runtimeClient({ socketPath: path.join(dataDir, "runtime.sock"), key });
  return {
    client,
    async stop() {
      client.close();
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
