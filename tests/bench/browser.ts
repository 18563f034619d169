/**
 * A real page for the measures that need one: Debian's Chromium driven by
 * Playwright, signed in through the login form as a person would.
 */
import { chromium, type Browser, type Page } from "@playwright/test";
import { ADMIN, type Berth } from "./berth";

export async function openBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.BERTH_CHROMIUM ?? "/usr/bin/chromium", args: ["--no-sandbox"] });
}

/** A signed-in page; returns it with the environment the dashboard led it to. */
export async function signedInPage(browser: Browser, berth: Berth): Promise<{ page: Page; env: string }> {
  const page = await browser.newPage({ baseURL: berth.url, viewport: { width: 1400, height: 900 } });
  await page.goto("/");
  await page.waitForURL(/\/login/);
  await page.getByLabel("Username").fill(ADMIN.username);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  // `/` leads to the default environment's pages.
  await page.waitForURL(/\/e\/[^/]+/, { timeout: 30_000 });
  const env = /\/e\/([^/?#]+)/.exec(page.url())![1]!;
  return { page, env };
}
