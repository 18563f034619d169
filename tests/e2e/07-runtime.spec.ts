import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { e2eDir } from "./env";
import { signIn } from "./helpers";

const pidFile = () => path.join(e2eDir(), "data", "runtime.pid");

test("the runtime dies: the pages say so, the start command restarts it, the pages recover", async ({ page }) => {
  await signIn(page, "/");
  await expect(page.getByTestId("engine-status")).toHaveText("Reachable");
  const pid = Number(fs.readFileSync(pidFile(), "utf8"));
  process.kill(pid, "SIGKILL");

  // The runtime takes about a second to come back (Node start-up): long enough to be seen.
  await expect(page.getByTestId("engine-unreachable")).toContainText("runtime is not running", { timeout: 3_000 });
  await expect.poll(() => {
    try {
      return Number(fs.readFileSync(pidFile(), "utf8"));
    } catch {
      return 0;
    }
  }, { timeout: 10_000 }).not.toBe(pid);
  await expect(page.getByTestId("engine-unreachable")).toBeHidden({ timeout: 10_000 });
  await expect(page.getByTestId("engine-status")).toHaveText("Reachable");
  const health = await (await page.request.get("/api/health")).json();
  expect(health.engine.reachable).toBe(true);
});
