/**
 * The audit history's hash chain, through the Audit page: actions are sealed
 * into the chain and Verify says so; an entry altered directly in SQLite is
 * named by Verify, and once put back the chain verifies again. Filters narrow
 * the list on the server; Export CSV / JSON stream the filtered rows.
 * Every change to the shared database is undone before the spec ends.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { expect, test, type Page } from "@playwright/test";
import { docker, dockerQuiet, row, signIn } from "./helpers";
import { e2eDir } from "./env";

const NAME = `e2e-chain-${process.pid}`;

test.describe.configure({ mode: "serial" });
test.afterAll(() => dockerQuiet("rm", "-f", NAME));

/** The shared e2e Berth's database, opened for one statement by another process (as an attacker with file access would). */
function sql<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(path.join(e2eDir(), "data", "berth.db"), { fileMustExist: true, timeout: 5000 });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

async function verify(page: Page) {
  await page.getByRole("button", { name: "Verify", exact: true }).click();
  const status = page.getByRole("status", { name: "Verification result" });
  await expect(status).not.toBeEmpty();
  return status;
}

const table = (page: Page) => page.getByRole("table", { name: "Audit entries" });

test("actions are sealed into a chain Verify checks; an entry altered in SQLite is named, and put back it verifies", async ({ page }) => {
  docker("create", "--name", NAME, "busybox", "sleep", "300");
  await signIn(page, "/e/local/containers");
  await row(page, NAME).getByRole("button", { name: "Start", exact: true }).click();
  await expect(row(page, NAME).getByTestId("state")).toHaveText("running");

  await page.getByRole("link", { name: "Audit", exact: true }).click();
  // A setting change is an audited action too: the retention, set and set back.
  await page.locator("summary", { hasText: "Retention" }).click();
  const days = page.getByLabel("Keep entries for (days)");
  await days.fill("30");
  await page.getByRole("button", { name: "Save retention" }).click();
  await expect(page.getByText("Retention: 30 days")).toBeVisible();
  await days.fill("365");
  await page.getByRole("button", { name: "Save retention" }).click();
  await expect(page.getByText("Retention: 365 days")).toBeVisible();
  await expect(table(page).locator("tr", { hasText: "Audit retention" }).first()).toBeVisible();

  await expect(await verify(page)).toHaveText(/^Chain verified: \d+ entries$/);
  // Every page load asked for a WebSocket ticket: none of them is an entry.
  expect(sql((db) => db.prepare("SELECT count(*) AS n FROM AuditEntry WHERE action = 'ws.ticket'").get())).toEqual({ n: 0 });

  // The start's entry, sealed once the action ended.
  let entry: { id: number; sourceIp: string } | undefined;
  await expect
    .poll(() => {
      entry = sql((db) =>
        db.prepare("SELECT id, sourceIp FROM AuditEntry WHERE action = 'container.start' AND targetName = ? AND seq IS NOT NULL ORDER BY id DESC LIMIT 1").get(NAME),
      ) as typeof entry;
      return entry?.id ?? 0;
    })
    .toBeGreaterThan(0);
  const { id, sourceIp } = entry!;
  try {
    sql((db) => db.prepare("UPDATE AuditEntry SET sourceIp = '203.0.113.66' WHERE id = ?").run(id));
    const status = await verify(page);
    await expect(status).toContainText(`Chain broken at entry ${id} `);
    await expect(status).toContainText("altered");
  } finally {
    sql((db) => db.prepare("UPDATE AuditEntry SET sourceIp = ? WHERE id = ?").run(sourceIp, id));
  }
  await expect(await verify(page)).toHaveText(/^Chain verified: \d+ entries$/);
});

test("filters by action, target, outcome and time on the server, and name a bad field", async ({ page }) => {
  await signIn(page, "/audit");
  await page.getByLabel("Filter by action").fill("container.start");
  await page.getByLabel("Filter by target").fill(NAME);
  const rows = table(page).locator("tbody tr");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("container.start");
  await expect(rows.first()).toContainText(NAME);

  await page.getByLabel("Filter by outcome").selectOption("denied");
  await expect(page.getByText("No entries match.")).toBeVisible();
  await page.getByLabel("Filter by outcome").selectOption("ok");
  await expect(rows).toHaveCount(1);
  // A window in the future holds nothing.
  await page.getByLabel("From time").fill("2099-01-01T00:00");
  await expect(page.getByText("No entries match.")).toBeVisible();
  // An end before the start is refused, naming the field.
  await page.getByLabel("To time").fill("2098-01-01T00:00");
  await expect(page.getByRole("alert").filter({ hasText: "before" })).toHaveText("to: must not be before from");
  await expect(page.getByLabel("To time")).toHaveAttribute("aria-invalid", "true");

  await page.getByRole("button", { name: "Clear filters" }).click();
  await page.getByLabel("Filter by user").fill("no-such-user-anywhere");
  await expect(page.getByText("No entries match.")).toBeVisible();
});

test("Export CSV and JSON stream the filtered entries, audited; bad parameters are named", async ({ page }) => {
  await signIn(page, "/audit");
  await page.getByLabel("Filter by target").fill(NAME);
  // The links carry the filter once it has settled.
  await expect(page.getByRole("link", { name: "Export CSV" })).toHaveAttribute("href", new RegExp(`target=${NAME}`));
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^berth-audit-.*\.csv$/);
  const csv = fs.readFileSync((await download.path())!, "utf8");
  const lines = csv.split("\r\n").filter(Boolean);
  expect(lines[0]).toBe("id,at,seq,userId,username,sourceIp,userAgent,teamContext,action,environmentId,targetType,targetId,targetName,outcome,error,durationMs,details,prevHash,hash");
  expect(lines.some((l) => l.includes("container.start") && l.includes(NAME) && /,ok,/.test(l))).toBe(true);
  expect(lines.slice(1).every((l) => l.includes(NAME))).toBe(true);

  const json = await page.request.get(`/api/audit/export?format=json&action=container.start&target=${encodeURIComponent(NAME)}`);
  expect(json.status()).toBe(200);
  expect(json.headers()["content-disposition"]).toMatch(/attachment; filename="berth-audit-.*\.json"/);
  const entries = (await json.json()) as { action: string; targetName: string; hash: string; seq: number }[];
  expect(entries.length).toBeGreaterThan(0);
  for (const e of entries) expect(e).toMatchObject({ action: "container.start", targetName: NAME, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });

  for (const [query, field] of [
    ["format=xml", "format"],
    ["format=csv&from=yesterday", "from"],
    ["format=csv&outcome=maybe", "outcome"],
    ["format=csv&user=" + "u".repeat(65), "user"],
    ["format=csv&sneaky=1", "sneaky"],
  ] as const) {
    const r = await page.request.get(`/api/audit/export?${query}`);
    expect(r.status(), query).toBe(400);
    expect(((await r.json()) as { error: { field: string } }).error.field, query).toBe(field);
  }

  // Each export is itself on record, completed with how many entries went out.
  const last = sql((db) => db.prepare("SELECT outcome, details FROM AuditEntry WHERE action = 'audit.export' AND seq IS NOT NULL ORDER BY id DESC LIMIT 1").get()) as { outcome: string; details: string };
  expect(last.outcome).toBe("ok");
  expect(JSON.parse(last.details)).toMatchObject({ format: "json", rows: entries.length });
  await expect(await verify(page)).toHaveText(/^Chain verified: \d+ entries$/);
});
