/**
 * Start-up is all or nothing: a Berth that cannot start exits non-zero with the
 * reason and leaves no runtime behind; a runtime never outlives its dashboard; a
 * runtime left by a dead Berth is replaced; and the listening line means ready.
 * Each case runs the real start command on its own data directory and port.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { alive, allPids, cmdline, processTree } from "../../server/proc";
import { freePort } from "../support/free-port";
import { startBerth } from "../support/start-berth";

const root = path.resolve(import.meta.dirname, "../..");
test.describe.configure({ timeout: 180_000 });

const newDir = (what: string) => fs.mkdtempSync(path.join(process.env.BERTH_TEST_DIR!, `start-${what}-`));

/** The start command, as startBerth runs it, without waiting for anything. */
async function runStart(dir: string, port?: number) {
  const dataDir = path.join(dir, "data");
  const logFile = path.join(dir, "berth.log");
  const out = fs.openSync(logFile, "a");
  const started = Date.now();
  const child = spawn("bash", ["server/bin/start.sh"], {
    cwd: root,
    env: { ...process.env, BERTH_PORT: String(port ?? (await freePort())), BERTH_HOST: "127.0.0.1", BERTH_DATA_DIR: dataDir },
    stdio: ["ignore", out, out],
  });
  fs.closeSync(out);
  const exited = new Promise<{ code: number | null; ms: number }>((resolve) =>
    child.once("exit", (code) => resolve({ code, ms: Date.now() - started })),
  );
  return { child, dataDir, exited, log: () => fs.readFileSync(logFile, "utf8") };
}

/** Live Berth runtimes started for `dataDir` (found by command line and environment in /proc). */
function runtimesOf(dataDir: string): number[] {
  const found: number[] = [];
  for (const entry of allPids()) {
    try {
      const cmd = cmdline(entry) ?? "";
      // From source or compiled (the start command runs <dist>/berth/runtime.mjs).
      if (!/runtime\/main\.ts|berth\/runtime\.mjs/.test(cmd)) continue;
      const env = fs.readFileSync(`/proc/${entry}/environ`, "utf8").split("\0");
      if (env.includes(`BERTH_DATA_DIR=${dataDir}`)) found.push(entry);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** A migrated database, as a first start leaves it. */
function migratedDatabase(dataDir: string): string {
  fs.mkdirSync(dataDir, { recursive: true });
  const r = spawnSync("npx", ["--no-install", "prisma", "migrate", "deploy"], { cwd: root, env: { ...process.env, BERTH_DATA_DIR: dataDir }, encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return path.join(dataDir, "berth.db");
}

const corruptions: Record<string, (db: string) => void> = {
  "not a database at all": (db) => fs.writeFileSync(db, Buffer.alloc(64 * 1024, 0x5a)),
  // The header is intact, so opening it and migrating it succeed; its pages are not.
  "damaged pages": (db) => {
    const fd = fs.openSync(db, "r+");
    fs.writeSync(fd, Buffer.alloc(8192, 0xff), 0, 8192, 4096 * 2);
    fs.closeSync(fd);
  },
};

for (const [kind, corrupt] of Object.entries(corruptions)) {
  test(`a corrupt database (${kind}) stops the start at once, naming the file, with no runtime left`, async () => {
    const dir = newDir("corrupt");
    const db = migratedDatabase(path.join(dir, "data"));
    corrupt(db);
    const berth = await runStart(dir);
    const timeout = setTimeout(() => berth.child.kill("SIGKILL"), 60_000);
    const { code, ms } = await berth.exited;
    clearTimeout(timeout);
    expect(code, berth.log()).not.toBe(0);
    expect(code, berth.log()).not.toBeNull();
    expect(ms).toBeLessThan(60_000);
    expect(berth.log()).toContain(db);
    expect(berth.log()).toMatch(/corrupt/);
    expect(berth.log()).not.toMatch(/listening on http/);
    expect(runtimesOf(berth.dataDir)).toEqual([]);
  });
}

test("a port already taken stops the start with the reason, with no runtime left", async () => {
  const taken = net.createServer();
  await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
  const port = (taken.address() as net.AddressInfo).port;
  try {
    const berth = await runStart(newDir("port"), port);
    const timeout = setTimeout(() => berth.child.kill("SIGKILL"), 90_000);
    const { code } = await berth.exited;
    clearTimeout(timeout);
    expect(code, berth.log()).toBe(1);
    expect(berth.log()).toContain(`port ${port} on 127.0.0.1 is already in use`);
    // Give a runtime that outlived the dashboard the time to show itself.
    await new Promise((r) => setTimeout(r, 1000));
    expect(runtimesOf(berth.dataDir)).toEqual([]);
  } finally {
    taken.close();
  }
});

test("a Berth killed with SIGKILL takes its runtime with it, and the next start succeeds", async () => {
  const dir = newDir("sigkill");
  const first = await startBerth({ dir });
  const runtimePid = Number(fs.readFileSync(path.join(first.dataDir, "runtime.pid"), "utf8"));
  expect(alive(runtimePid)).toBe(true);
  process.kill(first.child.pid!, "SIGKILL");
  await expect.poll(() => alive(runtimePid), { timeout: 5_000 }).toBe(false);
  expect(runtimesOf(first.dataDir)).toEqual([]);

  const second = await startBerth({ dir, timeoutMs: 60_000 });
  try {
    const health = await (await fetch(`${second.url}/api/health`)).json();
    expect(health.engine.reachable).toBe(true);
  } finally {
    await second.stop();
  }
  expect(runtimesOf(first.dataDir)).toEqual([]);
});

test("a runtime left behind by a dead Berth is replaced at the next start, not waited on", async () => {
  const dir = newDir("stale");
  const first = await startBerth({ dir });
  const runtimePid = Number(fs.readFileSync(path.join(first.dataDir, "runtime.pid"), "utf8"));
  // Stopped, it cannot notice its dashboard is gone: it stays, holding the socket, as an orphan.
  process.kill(runtimePid, "SIGSTOP");
  process.kill(first.child.pid!, "SIGKILL");
  await new Promise((r) => setTimeout(r, 500));
  expect(alive(runtimePid)).toBe(true);

  const second = await startBerth({ dir, timeoutMs: 60_000 });
  try {
    expect(alive(runtimePid)).toBe(false);
    expect(second.log()).toMatch(/left by a Berth that is gone/);
    const health = await (await fetch(`${second.url}/api/health`)).json();
    expect(health.engine.reachable).toBe(true);
  } finally {
    await second.stop();
  }
  expect(runtimesOf(first.dataDir)).toEqual([]);
});

test("right after the listening line, /api/health already knows the engine", async () => {
  const berth = await runStart(newDir("ready"));
  try {
    const deadline = Date.now() + 120_000;
    let url: string | undefined;
    while (!url && Date.now() < deadline) {
      if (berth.child.exitCode !== null) throw new Error(`Berth exited:\n${berth.log()}`);
      url = /listening on (http:\/\/\S+)/.exec(berth.log())?.[1];
      if (!url) await new Promise((r) => setTimeout(r, 10));
    }
    expect(url, berth.log()).toBeTruthy();
    const health = await (await fetch(`${url!.replace("localhost", "127.0.0.1")}/api/health`)).json();
    expect(health.engine).toMatchObject({ reachable: true });
  } finally {
    berth.child.kill("SIGTERM");
    await berth.exited;
  }
});

test("the start command becomes the compiled dashboard, which runs the compiled runtime: nothing else stays", async () => {
  const berth = await startBerth({ dir: newDir("processes") });
  try {
    const tree = processTree(berth.child.pid!);
    expect(tree, JSON.stringify(tree)).toHaveLength(2);
    const [dashboard, runtime] = tree;
    // The shell exec'd into node: the pid the start command got is the dashboard's.
    expect(dashboard!.cmd).toMatch(/^\S*node .*berth\/server\.mjs$/);
    expect(runtime!.cmd).toMatch(/^\S*node .*berth\/runtime\.mjs$/);
    for (const p of tree) expect(p.cmd).not.toMatch(/tsx|npm|bash/);
    expect(runtime!.cmd).toContain("--enable-experimental-regexp-engine-on-excessive-backtracks");
  } finally {
    await berth.stop();
  }
});
