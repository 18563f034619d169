import { expect, test } from "@playwright/test";
import { harness, signIn } from "./helpers";

test("engine stopped: every page says Engine unreachable; restarted: recovered without reload", async ({ page }) => {
  await signIn(page, "/");
  await expect(page.getByTestId("engine-status")).toHaveText("Reachable");
  const banner = page.getByTestId("engine-unreachable");
  await expect(banner).toBeHidden();

  harness("stop-engine");
  try {
    await expect(banner).toBeVisible({ timeout: 5_000 });
    await expect(banner).toContainText("Engine unreachable");
    // Another page says so too, instead of failing.
    await page.getByRole("link", { name: "Containers" }).click();
    await expect(page.getByTestId("engine-unreachable")).toBeVisible();
    const health = await (await page.request.get("/api/health")).json();
    expect(health.engine.reachable).toBe(false);
  } finally {
    harness("start-engine");
  }
  // Recovers by itself, within 5 s of the engine answering, without a reload.
  await expect(page.getByTestId("engine-unreachable")).toBeHidden({ timeout: 5_000 });
  await expect(page.getByRole("table", { name: "Containers" })).toBeVisible();
  await page.getByRole("link", { name: "Home" }).click();
  await expect(page.getByTestId("engine-status")).toHaveText("Reachable");
});
