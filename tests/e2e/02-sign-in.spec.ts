import { expect, test } from "@playwright/test";
import { ADMIN } from "./env";

test("sign-in: a wrong password gets one generic message, the right one gets in; sign out", async ({ page }) => {
  await page.goto("/e/local/containers");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fe%2Flocal%2Fcontainers/);

  await page.getByLabel("Username").fill(ADMIN.username);
  await page.getByLabel("Password").fill("wrong password, surely");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("form").getByRole("alert")).toHaveText("Wrong username or password.");

  // An unknown user gets the very same message.
  await page.getByLabel("Username").fill("nobody-here");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("form").getByRole("alert")).toHaveText("Wrong username or password.");

  await page.getByLabel("Username").fill(ADMIN.username);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/e\/local\/containers$/);
  await expect(page.getByRole("heading", { name: "Containers" })).toBeVisible();

  await page.getByLabel("User menu").click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/login/);
});

test("tRPC refuses signed-out calls", async ({ request }) => {
  const res = await request.get("/api/trpc/containers.list");
  expect(res.status()).toBe(401);
});
