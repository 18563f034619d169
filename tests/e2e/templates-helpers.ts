/** Shared steps of the template specs (74–77): open a template's deploy form, fill its ports, run the preflight, read the audit. */
import { expect, type Page } from "@playwright/test";

/** From the Templates page, the deploy form of the template titled `title`, found with Search like a person would. */
export async function openDeploy(page: Page, title: string) {
  await page.goto("/e/local/templates");
  await expect(page.getByRole("heading", { name: "App templates" })).toBeVisible();
  await page.getByRole("searchbox", { name: "Search" }).fill(title);
  await page.getByRole("link", { name: `Deploy ${title}`, exact: true }).click();
  await expect(page.getByRole("heading", { name: `Deploy ${title}` })).toBeVisible();
  return page.getByRole("form", { name: `Deploy ${title}` });
}

/** Sets port row `n` (1-based) to publish `containerPort` on 127.0.0.1:hostPort. */
export async function publish(page: Page, n: number, containerPort: number, hostPort: number) {
  const row = page.getByRole("group", { name: `Port ${n}` });
  await expect(row.getByLabel("Container port")).toHaveValue(String(containerPort));
  await row.getByLabel("Host IP").fill("127.0.0.1");
  await row.getByLabel("Host port").fill(String(hostPort));
}

/** Check, then the preflight's summary line once it answered. */
export async function runPreflight(page: Page) {
  await page.getByRole("button", { name: "Check", exact: true }).click();
  const checks = page.getByRole("list", { name: "Preflight checks" });
  await expect(checks).toBeVisible({ timeout: 60_000 });
  return checks;
}

export interface AuditRow {
  action: string;
  outcome: string;
  targetName: string | null;
  username: string | null;
  details: string | null;
}

export async function auditRows(page: Page, action: string): Promise<AuditRow[]> {
  const r = await page.request.get(`/api/trpc/audit.list?input=${encodeURIComponent(JSON.stringify({ json: { action, limit: 50 } }))}`);
  expect(r.status()).toBe(200);
  return ((await r.json()) as { result: { data: { json: { items: AuditRow[] } } } }).result.data.json.items;
}

/** GETs `url` until it answers (a server in a fresh container may need a moment), returning the body. */
export async function fetchText(url: string, timeoutMs = 20_000): Promise<{ status: number; body: string }> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const r = await fetch(url);
      return { status: r.status, body: await r.text() };
    } catch (err) {
      last = err;
      await new Promise((res) => setTimeout(res, 300));
    }
  }
  throw new Error(`${url} did not answer: ${String(last)}`);
}
