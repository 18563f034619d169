/**
 * Starts Berth exactly as the README's start command does (server/bin/start.sh),
 * with a fresh data directory, against the private test engine, and waits
 * for its setup token and a reachable engine.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { baseUrl, e2eDir, setupTokenFile } from "./env";

export default async function globalSetup() {
  if (!process.env.DOCKER_HOST?.startsWith("unix:///tmp/")) {
    throw new Error(`DOCKER_HOST must point at the private test engine, got ${process.env.DOCKER_HOST}`);
  }
  const dir = e2eDir();
  const url = new URL(baseUrl());
  const logFile = path.join(dir, "berth.log");
  const out = fs.openSync(logFile, "a");
  const child = spawn("bash", ["server/bin/start.sh"], {
    cwd: path.resolve(import.meta.dirname, "../.."),
    env: {
      ...process.env,
      BERTH_PORT: url.port,
      BERTH_HOST: "127.0.0.1",
      BERTH_DATA_DIR: path.join(dir, "data"),
    },
    stdio: ["ignore", out, out],
    detached: false,
  });
  fs.writeFileSync(path.join(process.env.BERTH_TEST_DIR!, "berth-e2e.pid"), String(child.pid));
  fs.writeFileSync(path.join(dir, "berth.pid"), String(child.pid));

  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Berth exited early:\n${fs.readFileSync(logFile, "utf8")}`);
    const log = fs.readFileSync(logFile, "utf8");
    const token = /^Setup token: (\S+)$/m.exec(log)?.[1];
    if (token) {
      try {
        const health = await (await fetch(`${baseUrl()}/api/health`)).json();
        if (health.engine?.reachable) {
          fs.writeFileSync(setupTokenFile(), token);
          return;
        }
      } catch {
        // not listening yet
      }
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Berth did not become ready:\n${fs.readFileSync(logFile, "utf8").slice(-4000)}`);
}
