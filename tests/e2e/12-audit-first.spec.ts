/**
 * Audit first: an action's row is written before the action and completed after
 * it; when it cannot be written the action is refused and does not happen. And
 * whatever the inputs, audit rows and audit pages stay bounded.
 * On a throwaway Berth, whose database this spec locks.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { BerthApi } from "../support/berth-api";
import { startBerth, type StartedBerth } from "../support/start-berth";
import { docker, dockerQuiet, inspect } from "./helpers";

const PREFIX = `e2e-af-${process.pid}`;
const NAME = `${PREFIX}-web`;
let berth: StartedBerth;
let api: BerthApi;

interface AuditItem {
  id: number;
  action: string;
  outcome: string;
  targetId: string | null;
  targetName: string | null;
  username: string | null;
  error: string | null;
  details: string | null;
  detailsTruncated: boolean;
}

test.describe.configure({ timeout: 180_000 });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const dir = fs.mkdtempSync(path.join(process.env.BERTH_TEST_DIR!, "audit-first-"));
  berth = await startBerth({ dir });
  api = await new BerthApi(berth.url).signIn(berth.token);
  // busybox sleep as PID 1 ignores SIGTERM: a stop or restart waits for its timeout.
  docker("run", "-d", "--name", NAME, "busybox", "sleep", "600");
});

test.afterAll(async () => {
  dockerQuiet("rm", "-f", NAME);
  await berth?.stop();
});

/** Another process holding the database's write lock (`mode` as in BEGIN <mode>) until release(). */
async function lockDatabase(mode: "IMMEDIATE" | "EXCLUSIVE"): Promise<{ release(): Promise<void> }> {
  const code = `const D = require("better-sqlite3"); const db = new D(${JSON.stringify(path.join(berth.dataDir, "berth.db"))});
    db.exec("BEGIN ${mode}"); console.log("locked"); process.stdin.on("end", () => { db.exec("ROLLBACK"); process.exit(0); }); process.stdin.resume();`;
  const child: ChildProcess = spawn(process.execPath, ["-e", code], { cwd: process.cwd(), stdio: ["pipe", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once("data", () => resolve());
    child.once("exit", (c) => reject(new Error(`lock holder exited (${c})`)));
  });
  return {
    release: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.stdin!.end();
      }),
  };
}

async function auditRows(action?: string): Promise<AuditItem[]> {
  const r = await api.query("audit.list", { limit: 500, ...(action ? { action } : {}) });
  expect(r.status, r.text.slice(0, 300)).toBe(200);
  return (r.data as { items: AuditItem[] }).items;
}

test("a database nobody can write to refuses the action, and the action does not happen", async () => {
  const startedAt = inspect(NAME, "{{.State.StartedAt}}");
  const lock = await lockDatabase("IMMEDIATE");
  let reply;
  try {
    reply = await api.mutate("containers.restart", { env: "local", id: NAME, timeout: 1 });
  } finally {
    await lock.release();
  }
  expect(reply.status).toBe(503);
  expect(reply.error?.message).toBe("The action was not done: its audit record could not be written (database is locked).");
  expect(inspect(NAME, "{{.State.StartedAt}}")).toBe(startedAt);
  expect(inspect(NAME, "{{.State.Running}}")).toBe("true");
  // Nothing claims it happened: no restart row at all.
  expect((await auditRows("container.restart")).filter((a) => a.targetId === NAME || a.targetName === NAME)).toEqual([]);
});

test("a database locked even for reading refuses the action too", async () => {
  const startedAt = inspect(NAME, "{{.State.StartedAt}}");
  const lock = await lockDatabase("EXCLUSIVE");
  let reply;
  try {
    reply = await api.mutate("containers.restart", { env: "local", id: NAME, timeout: 1 });
  } finally {
    await lock.release();
  }
  expect(reply.status).toBeGreaterThanOrEqual(400);
  expect(reply.text).not.toMatch(/"ok"\s*:\s*true/);
  expect(inspect(NAME, "{{.State.StartedAt}}")).toBe(startedAt);
  const rows = (await auditRows("container.restart")).filter((a) => a.targetId === NAME || a.targetName === NAME);
  expect(rows.filter((a) => a.outcome === "ok")).toEqual([]);
});

test("with the database free, the row is pending during the action and ok after it", async () => {
  const startedAt = inspect(NAME, "{{.State.StartedAt}}");
  const restart = api.mutate("containers.restart", { env: "local", id: NAME, timeout: 3 });
  // The stop waits 3 s for a process that ignores SIGTERM: the row is there, pending, meanwhile.
  let pendingId = 0;
  await expect
    .poll(
      async () => {
        const row = (await auditRows("container.restart")).find((a) => a.targetId === NAME && a.outcome === "pending");
        pendingId = row?.id ?? 0;
        return pendingId;
      },
      { timeout: 3_000, intervals: [100] },
    )
    .toBeGreaterThan(0);
  const reply = await restart;
  expect(reply.status, reply.text.slice(0, 300)).toBe(200);
  expect(inspect(NAME, "{{.State.StartedAt}}")).not.toBe(startedAt);
  const done = (await auditRows("container.restart")).find((a) => a.id === pendingId);
  expect(done).toMatchObject({ outcome: "ok", targetName: NAME });
});

test("huge inputs leave bounded rows, valid JSON details and a first audit page under the cap", async () => {
  // Under the 1 MB body cap, so the call reaches the procedure and its audit row.
  const huge = "a".repeat(300_000);
  const many = Array.from({ length: 50 }, () => "b".repeat(2_000));
  for (let i = 0; i < 30; i++) {
    // Refused (the id is no container id), but audited: its columns must come out bounded.
    const r = await api.mutate("containers.restart", { env: "local", id: `${huge}${i}`, note: huge, many });
    expect(r.status).toBe(400);
  }
  const first = await api.query("audit.list", { limit: 500 });
  expect(first.status).toBe(200);
  expect(Buffer.byteLength(first.text)).toBeLessThan(300 * 1024);
  const items = (first.data as { items: AuditItem[] }).items;
  const mine = items.filter((a) => a.action === "container.restart" && a.targetId?.startsWith("aaaa"));
  expect(mine.length).toBeGreaterThan(0);
  for (const a of mine) {
    expect(a.targetId!.length).toBeLessThanOrEqual(256);
    expect(a.outcome).toBe("error");
    expect((a.error ?? "").length).toBeLessThanOrEqual(2000);
    expect(a.detailsTruncated).toBe(true);
  }
  // One row's whole details: capped, and still JSON.
  const one = await api.query("audit.details", { id: mine[0]!.id });
  expect(one.status).toBe(200);
  const details = (one.data as { details: string }).details;
  expect(details.length).toBeLessThanOrEqual(8192);
  expect(JSON.parse(details)).toMatchObject({ truncated: true });
});
