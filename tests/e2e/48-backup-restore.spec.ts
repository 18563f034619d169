/**
 * Backup and restore, end to end: an administrator downloads an encrypted backup
 * from Settings › Backup while Berth runs; a second Berth on a fresh data
 * directory and its own port restores it from its setup page (a wrong password
 * first, refused clearly), and then the same administrator signs in there, sees
 * the same users, and the audit chain verifies with a "backup.restore" entry on
 * top. The command-line restore fills another fresh directory the same way, and
 * refuses to overwrite one that has users.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { expect, test, type Browser } from "@playwright/test";
import { startBerth, type StartedBerth } from "../support/start-berth";
import { ADMIN, e2eDir } from "./env";
import { signIn } from "./helpers";

const root = path.resolve(import.meta.dirname, "../..");
const BACKUP_PASSWORD = "backup password for e2e";
test.describe.configure({ mode: "serial", timeout: 240_000 });

const sharedDb = () => path.join(e2eDir(), "data", "berth.db");

function usersOf(dbFile: string): string[] {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(`SELECT username || ':' || role AS u FROM "User" ORDER BY username`).pluck().all() as string[]);
  } finally {
    db.close();
  }
}

function sealedAudit(dbFile: string): { id: number; seq: number; hash: string; action: string }[] {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT id, seq, hash, action FROM "AuditEntry" WHERE seq IS NOT NULL ORDER BY seq').all() as never;
  } finally {
    db.close();
  }
}

let encrypted = "";
let plain = "";
let sourceUsers: string[] = [];
let sourceAudit: ReturnType<typeof sealedAudit> = [];

async function verifyIn(browser: Browser, baseURL: string) {
  const ctx = await browser.newContext({ baseURL });
  const page = await ctx.newPage();
  try {
    await signIn(page, "/audit");
    await expect(page.getByRole("heading", { name: "Audit history" })).toBeVisible();
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page.getByRole("status", { name: "Verification result" })).toContainText("Chain verified", { timeout: 30_000 });
  } finally {
    await ctx.close();
  }
}

test("an administrator downloads an encrypted backup from Settings › Backup, and a plain one over REST", async ({ page }) => {
  // Every entry sealed before the backup is in it, as it is now.
  sourceAudit = sealedAudit(sharedDb());
  await signIn(page, "/settings/backup");
  await expect(page.getByRole("heading", { name: "Backup" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Backup" })).toBeVisible();
  await page.getByLabel("Backup password (optional)").fill(BACKUP_PASSWORD);
  await page.getByLabel("Confirm backup password").fill(BACKUP_PASSWORD);
  await expect(page.getByLabel("Include log and stats history")).not.toBeChecked();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download backup" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^berth-backup-.*\.berth-backup$/);
  encrypted = path.join(e2eDir(), "backup-e2e.berth-backup");
  await download.saveAs(encrypted);
  expect(fs.readFileSync(encrypted).subarray(0, 8).toString()).toBe("BERTHBK1");

  const res = await page.request.get("/api/backup");
  expect(res.status()).toBe(200);
  expect(res.headers()["content-disposition"]).toMatch(/\.tar\.gz"$/);
  plain = path.join(e2eDir(), "backup-e2e.tar.gz");
  fs.writeFileSync(plain, await res.body());
  // A password never goes in the URL.
  expect((await page.request.get("/api/backup?password=x")).status()).toBe(400);

  sourceUsers = usersOf(sharedDb());
  expect(sourceUsers).toContain(`${ADMIN.username}:admin`);
});

test("signed out, the backup is refused", async ({ playwright, baseURL }) => {
  const anon = await playwright.request.newContext({ baseURL });
  expect((await anon.get("/api/backup")).status()).toBe(401);
  await anon.dispose();
});

test("a fresh Berth restores the backup from its setup page; the same administrator signs in, same users, the chain verifies", async ({ browser }) => {
  const dir = fs.mkdtempSync(path.join(process.env.BERTH_TEST_DIR!, "restore-ui-"));
  let second: StartedBerth | undefined;
  try {
    second = await startBerth({ dir });
    const ctx = await browser.newContext({ baseURL: second.url });
    const page = await ctx.newPage();
    await page.goto("/");
    await expect(page).toHaveURL(/\/setup$/);
    await page.getByRole("button", { name: "Restore from backup" }).click();
    await page.getByLabel("Setup token").fill(second.token);
    await page.getByLabel("Backup file").setInputFiles(encrypted);
    await page.getByLabel("Backup password").fill("not the password at all");
    await page.getByRole("button", { name: "Restore", exact: true }).click();
    await expect(page.locator("form").getByRole("alert")).toContainText("wrong password or damaged backup");

    await page.getByLabel("Backup password").fill(BACKUP_PASSWORD);
    await page.getByRole("button", { name: "Restore", exact: true }).click();
    await expect(page.locator("form").getByRole("status")).toContainText("Restored the backup", { timeout: 60_000 });
    await expect(page).toHaveURL(/\/login/, { timeout: 15_000 });
    await ctx.close();

    expect(usersOf(path.join(second.dataDir, "berth.db"))).toEqual(sourceUsers);
    // The entries sealed before the backup, as they were; then the backup's own (sealed "interrupted": open in the snapshot), the restore's.
    const restored = sealedAudit(path.join(second.dataDir, "berth.db"));
    expect(restored.slice(0, sourceAudit.length)).toEqual(sourceAudit);
    expect(restored.map((r) => r.action)).toContain("backup.restore");
    await verifyIn(browser, second.url);

    // Setup is over there: a second restore is refused.
    const again = await fetch(`${second.url}/api/setup/restore`, { method: "POST", headers: { "X-Berth-Setup-Token": second.token, Origin: second.url }, body: fs.readFileSync(plain) });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { message: string } }).error.message).toContain("an administrator exists already");
  } finally {
    await second?.stop();
  }
});

test("the command line restores into a fresh data directory, and refuses one that has users", async ({ browser }) => {
  const dir = fs.mkdtempSync(path.join(process.env.BERTH_TEST_DIR!, "restore-cli-"));
  const dataDir = path.join(dir, "data");
  const run = (...args: string[]) => spawnSync("npx", ["--no-install", "tsx", "server/bin/restore.ts", ...args], { cwd: root, encoding: "utf8" });
  const first = run(plain, "--data-dir", dataDir);
  expect(first.status, first.stderr).toBe(0);
  expect(first.stdout).toContain("Restored the backup");
  expect(usersOf(path.join(dataDir, "berth.db"))).toEqual(sourceUsers);
  const again = run(plain, "--data-dir", dataDir);
  expect(again.status).toBe(1);
  expect(again.stderr).toMatch(/already has \d+ user\(s\).*Use --force to overwrite/);
  const pwFile = path.join(dir, "pw");
  fs.writeFileSync(pwFile, "wrong one\n");
  const wrong = run(encrypted, "--data-dir", path.join(dir, "other"), "--password-file", pwFile);
  expect(wrong.status).toBe(1);
  expect(wrong.stderr).toContain("wrong password or damaged backup");

  let berth: StartedBerth | undefined;
  try {
    berth = await startBerth({ dir });
    await verifyIn(browser, berth.url);
  } finally {
    await berth?.stop();
  }
});
