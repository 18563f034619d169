import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { ADMIN, setupTokenFile } from "./env";

test("first run: every page leads to setup; a wrong token is refused, the right one creates the administrator", async ({ page }) => {
  await page.goto("/containers");
  await expect(page).toHaveURL(/\/setup$/);

  await page.getByLabel("Setup token").fill("not-the-token-not-the-token");
  await page.getByLabel("Username").fill(ADMIN.username);
  await page.getByLabel("Password", { exact: true }).fill(ADMIN.password);
  await page.getByLabel("Confirm password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Create administrator" }).click();
  await expect(page.locator("form").getByRole("alert")).toContainText("setup token is wrong");
  await expect(page).toHaveURL(/\/setup$/);

  await page.getByLabel("Setup token").fill(fs.readFileSync(setupTokenFile(), "utf8").trim());
  await page.getByRole("button", { name: "Create administrator" }).click();
  await expect(page).toHaveURL(/\/e\/local$/);
  await expect(page.getByRole("heading", { name: "Local environment" })).toBeVisible();
  await expect(page.getByTestId("engine-status")).toHaveText("Reachable");
  await expect(page.getByTestId("engine-api-version")).not.toBeEmpty();

  // After setup the page is gone, and the token is void.
  await page.goto("/setup");
  await expect(page).not.toHaveURL(/\/setup/);
  const replay = await page.request.post("/api/trpc/setup.createAdmin", {
    data: { json: { setupToken: fs.readFileSync(setupTokenFile(), "utf8").trim(), username: "second", password: "another long password", confirmPassword: "another long password" } },
  });
  expect(replay.status()).toBe(404);
});

test("health endpoint answers without sign-in", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body.status).toBe("ok");
  expect(body.engine.reachable).toBe(true);
  expect(body.engine.apiVersion).toMatch(/^1\.\d+$/);
});
