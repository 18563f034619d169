/**
 * Starts a Berth exactly as the README's start command does (server/bin/start.sh),
 * with its own data directory and port, against the private test engine, and
 * waits for its setup token and a reachable engine. The e2e global setup uses it
 * for the shared instance; a test that must break an instance (lock its database,
 * kill its runtime, corrupt a file) starts a throwaway one with it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { freePort } from "./free-port";

export interface StartedBerth {
  url: string;
  port: number;
  dataDir: string;
  logFile: string;
  /** The printed setup token (empty when the data directory already had an administrator). */
  token: string;
  child: ChildProcess;
  /** The whole log so far. */
  log(): string;
  /** SIGTERM, SIGKILL after 15 s; resolves once the start command has exited. */
  stop(): Promise<void>;
}

const root = path.resolve(import.meta.dirname, "../..");

export interface StartBerthOptions {
  /** Where its data (and log) live; created if missing. */
  dir: string;
  port?: number;
  env?: NodeJS.ProcessEnv;
  /** Wait for a reachable engine too (default true). */
  waitForEngine?: boolean;
  timeoutMs?: number;
}

export async function startBerth(opts: StartBerthOptions): Promise<StartedBerth> {
  if (!process.env.DOCKER_HOST?.startsWith("unix:///tmp/")) {
    throw new Error(`DOCKER_HOST must point at the private test engine, got ${process.env.DOCKER_HOST}`);
  }
  fs.mkdirSync(opts.dir, { recursive: true });
  const port = opts.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const dataDir = path.join(opts.dir, "data");
  const logFile = path.join(opts.dir, "berth.log");
  // A fresh data directory prints a setup token just after its listening line: wait for it.
  const expectToken = !fs.existsSync(path.join(dataDir, "berth.db"));
  const out = fs.openSync(logFile, "a");
  const child = spawn("bash", ["server/bin/start.sh"], {
    cwd: root,
    env: { ...process.env, BERTH_PORT: String(port), BERTH_HOST: "127.0.0.1", BERTH_DATA_DIR: dataDir, ...opts.env },
    stdio: ["ignore", out, out],
  });
  fs.closeSync(out);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const log = () => fs.readFileSync(logFile, "utf8");
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Berth exited early:\n${log().slice(-4000)}`);
    const text = log();
    const token = /^Setup token: (\S+)$/m.exec(text)?.[1] ?? "";
    if (expectToken ? token : /listening on http/.test(text)) {
      try {
        const health = await (await fetch(`${url}/api/health`)).json();
        if (opts.waitForEngine === false || health.engine?.reachable) {
          return { url, port, dataDir, logFile, token, child, log, stop };
        }
      } catch {
        // not listening yet
      }
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`Berth did not become ready:\n${log().slice(-4000)}`);
}
