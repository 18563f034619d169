/**
 * Starts `runtime/main.ts` on a fresh data directory, as server/supervisor.ts runs it
 * (`node --import tsx`, one process, so SIGTERM reaches it and its exit code is ours
 * to check; npx forwards neither), and returns a client.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "vitest";
import { LINEAR_REGEXP_FLAGS } from "../../runtime/logs/regexp-flags";
import { type RuntimeClient, RuntimeCallError, runtimeClient } from "../../server/engines/runtime-client";

export interface StartedRuntime {
  client: RuntimeClient;
  /** The fresh data directory (`berth-<tag>-…` in the temp dir); stop() removes it. */
  dataDir: string;
  /** The runtime's socket, in dataDir. */
  socketPath: string;
  /** The runtime process itself, for tests that signal it. */
  child: ChildProcess;
  /** Resolves with the process's exit code once it has exited. */
  exited: Promise<number | null>;
  /** Closes the client, stops the process (SIGTERM unless told) if it still runs, and removes the data directory. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

const root = path.resolve(import.meta.dirname, "../..");

/** `opts.dataDir`: an existing data directory to start on (a restart); stop() then leaves it in place. */
export async function startRuntime(tag: string, opts: { dataDir?: string } = {}): Promise<StartedRuntime> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), `berth-${tag}-`));
  const socketPath = path.join(dataDir, "runtime.sock");
  const child = spawn(process.execPath, [...LINEAR_REGEXP_FLAGS, "--import", "tsx", "runtime/main.ts"], {
    cwd: root,
    env: { ...process.env, BERTH_DATA_DIR: dataDir, BERTH_RUNTIME_LISTEN: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let client: RuntimeClient | undefined;
  const stop = async (signal: NodeJS.Signals = "SIGTERM") => {
    client?.close();
    if (child.exitCode === null) {
      child.kill(signal);
      await exited;
    }
    if (!opts.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await listening(child);
    const key = fs.readFileSync(path.join(dataDir, "runtime.key"), "utf8").trim();
    client = runtimeClient({ socketPath, key });
  } catch (err) {
    // A runtime that did not come up must not outlive the test file that started it.
    await stop("SIGKILL");
    throw err;
  }
  return { client, dataDir, socketPath, child, exited, stop };
}

/** Resolves once the runtime says it listens; rejects if it exits first or takes over 30 s. */
function listening(child: ChildProcess): Promise<void> {
  let output = "";
  return new Promise<void>((resolve, reject) => {
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
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`runtime exited with ${code}:\n${output}`));
    });
  });
}

/** The RuntimeCallError a call rejects with; fails the test if it resolves or rejects with anything else. */
export async function callError(p: Promise<unknown>): Promise<RuntimeCallError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RuntimeCallError);
  return err as RuntimeCallError;
}
