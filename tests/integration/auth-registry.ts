/**
 * A private docker-registry that needs a login (htpasswd), on a free
 * 127.0.0.1 port, for the tests of registry credentials (docker login, push,
 * pull and build with credentials). `stop()` ends it and removes its folder.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../support/free-port";

export interface AuthRegistry {
  /** `127.0.0.1:PORT`, as image references name it. */
  address: string;
  dir: string;
  stop(): Promise<void>;
}

export async function startAuthRegistry(user: string, password: string): Promise<AuthRegistry> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "berth-authreg-"));
  const address = `127.0.0.1:${await freePort()}`;
  fs.writeFileSync(path.join(dir, "htpasswd"), execFileSync("htpasswd", ["-Bbn", user, password], { encoding: "utf8" }));
  fs.writeFileSync(
    path.join(dir, "registry.yml"),
    [
      "version: 0.1",
      "log: { level: warn }",
      `storage: { filesystem: { rootdirectory: ${dir}/data }, delete: { enabled: true } }`,
      `http: { addr: "${address}" }`,
      `auth: { htpasswd: { realm: berth-test, path: ${dir}/htpasswd } }`,
      "",
    ].join("\n"),
  );
  const log = fs.openSync(path.join(dir, "registry.log"), "a");
  const registry: ChildProcess = spawn("docker-registry", ["serve", path.join(dir, "registry.yml")], { stdio: ["ignore", log, log] });
  const stop = async () => {
    if (registry.exitCode === null) {
      registry.kill("SIGTERM");
      await new Promise((r) => registry.once("exit", r));
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForRegistry(address, path.join(dir, "registry.log"));
  } catch (err) {
    await stop();
    throw err;
  }
  return { address, dir, stop };
}

/** Until a registry at `address` answers `/v2/` (200, or 401 when it needs a login); its log in the error. */
export async function waitForRegistry(address: string, logFile?: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const r = await fetch(`http://${address}/v2/`, { signal: AbortSignal.timeout(1000) });
      if (r.status === 401 || r.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`registry at ${address} did not answer${logFile ? `:\n${fs.readFileSync(logFile, "utf8")}` : ""}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
