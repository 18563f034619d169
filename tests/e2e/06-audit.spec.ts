import { expect, test } from "@playwright/test";
import { docker, dockerQuiet, row, signIn } from "./helpers";

const NAME = "e2e-audited";

test.afterAll(() => dockerQuiet("rm", "-f", NAME));

test("actions, sign-ins and setup attempts are in the audit history", async ({ page }) => {
  docker("create", "--name", NAME, "busybox", "sleep", "300");
  await signIn(page, "/e/local/containers");
  await row(page, NAME).getByRole("button", { name: "Start", exact: true }).click();
  await expect(row(page, NAME).getByTestId("state")).toHaveText("running");

  // exact: container names are links now, and this one contains "audit".
  await page.getByRole("link", { name: "Audit", exact: true }).click();
  const table = page.getByRole("table", { name: "Audit entries" });
  const started = table.locator("tr", { hasText: "container.start" }).filter({ hasText: NAME });
  await expect(started.first()).toBeVisible();
  await expect(started.first()).toContainText("admin");
  await expect(started.first().getByRole("cell", { name: "ok", exact: true })).toBeVisible();
  await expect(started.first()).toContainText("127.0.0.1");

  await expect(table.locator("tr", { hasText: "setup.create-admin" }).filter({ hasText: "setup token is wrong" })).toHaveCount(1);
  await expect(table.locator("tr", { hasText: "setup.create-admin" }).filter({ has: page.getByRole("cell", { name: "ok", exact: true }) })).toHaveCount(1);
  await expect(table.locator("tr", { hasText: "auth.sign-in" }).filter({ hasText: "Wrong username or password" }).first()).toBeVisible();
});
