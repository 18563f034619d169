/**
 * On a throwaway Berth: a database write-locked by another process and a
 * runtime that does not answer (SIGSTOP) each make /api/health answer 503
 * naming the part that is down, and a locked database is a clear 503 for
 * tRPC calls too, not Prisma's text.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { startBerth, type StartedBerth } from "../support/start-berth";
import { ADMIN } from "./env";

test.describe.configure({ mode: "serial", timeout: 120_000 });

let berth: StartedBerth;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  const dir = fs.mkdtempSync(path.join(process.env.BERTH_TEST_DIR!, "health-"));
  berth = await startBerth({ dir });
  const res = await fetch(`${berth.url}/api/trpc/setup.createAdmin`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ json: { setupToken: berth.token, username: ADMIN.username, password: ADMIN.password, confirmPassword: ADMIN.password } }),
  });
  expect(res.status).toBe(200);
});

test.afterAll(async () => {
  await berth?.stop();
});

async function health(): Promise<{ status: number; ms: number; body: Record<string, { ok?: boolean; reason?: string } | string> }> {
  for (let attempt = 0; ; attempt++) {
    const started = Date.now();
    try {
      const res = await fetch(`${berth.url}/api/health`);
      return { status: res.status, ms: Date.now() - started, body: await res.json() };
    } catch (err) {
      // A kept-alive socket the server closed just as fetch reused it (its keep-alive timers
      // fire late while a locked database holds the event loop): the request never arrived.
      if (attempt > 0) throw err;
    }
  }
}

/** Holds SQLite's exclusive lock on the Berth's database from another process until killed. */
async function lockDatabase(): Promise<ChildProcess> {
  const script = `const D=require("better-sqlite3");const db=new D(process.argv[1]);db.exec("BEGIN EXCLUSIVE");console.log("locked");setInterval(()=>{},1000);`;
  const child = spawn(process.execPath, ["-e", script, path.join(berth.dataDir, "berth.db")], { cwd: process.cwd(), stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d) => String(d).includes("locked") && resolve());
    child.once("exit", (code) => reject(new Error(`locker exited (${code})`)));
  });
  return child;
}

test("a database locked by another process: health says so at once, tRPC answers a clear 503", async ({ browser }) => {
  const context = await browser.newContext({ baseURL: berth.url });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Username").fill(ADMIN.username);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/login/);

  const locker = await lockDatabase();
  try {
    const h = await health();
    expect(h.status).toBe(503);
    expect(h.ms).toBeLessThan(3_000);
    expect(h.body.status).toBe("degraded");
    expect(h.body.database).toMatchObject({ ok: false, reason: expect.stringContaining("locked by another process") });
    expect(h.body.runtime).toEqual({ ok: true });
    expect(h.body.engine).toMatchObject({ reachable: true });

    const started = Date.now();
    const res = await page.request.get("/api/trpc/session.me");
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(res.status()).toBe(503);
    const text = await res.text();
    expect(JSON.parse(text).error.json.message).toMatch(/^the database is locked by another process/);
    expect(text).not.toMatch(/invocation|prisma|SQLITE_BUSY/i);
  } finally {
    locker.kill("SIGKILL");
  }
  await expect.poll(async () => (await health()).status, { timeout: 10_000 }).toBe(200);
  await context.close();
});

test("a runtime that does not answer: health says so within its deadline, and recovers", async () => {
  test.setTimeout(120_000);
  const pid = Number(fs.readFileSync(path.join(berth.dataDir, "runtime.pid"), "utf8"));
  process.kill(pid, "SIGSTOP");
  try {
    const h = await health();
    expect(h.status).toBe(503);
    expect(h.ms).toBeLessThan(5_000);
    expect(h.body.status).toBe("degraded");
    expect(h.body.runtime).toMatchObject({ ok: false, reason: expect.stringMatching(/did not answer|not answer|unresponsive/) });
    expect(h.body.database).toEqual({ ok: true });
    // The live engine status says why too, once the events subscription's heartbeat goes unanswered: not "being restarted".
    await expect
      .poll(async () => ((await health()).body.engine as { reason?: string } | undefined)?.reason, { timeout: 45_000, intervals: [1_000] })
      .toMatch(/^Berth runtime is not answering/);
  } finally {
    process.kill(pid, "SIGCONT");
  }
  await expect.poll(async () => (await health()).body.status, { timeout: 10_000 }).toBe("ok");
});
