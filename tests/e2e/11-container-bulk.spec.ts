import { expect, test } from "@playwright/test";
import { docker, dockerQuiet, inspect, row, signIn } from "./helpers";

const NAMES = ["e2e-bulk-a", "e2e-bulk-b", "e2e-bulk-c"];
const STACK = "e2ebulkstack";

test.afterAll(() => dockerQuiet("rm", "-f", ...NAMES));

test("bulk-stop three containers, each result reported; group by stack; columns on and off", async ({ page }) => {
  for (const n of NAMES) {
    docker("run", "-d", "--name", n, "--stop-timeout", "1", "-l", `com.docker.compose.project=${STACK}`, "busybox", "sleep", "300");
  }
  await signIn(page, "/e/local/containers");
  for (const n of NAMES) {
    await expect(row(page, n).getByTestId("state")).toHaveText("running");
    await row(page, n).getByLabel(`Select ${n}`).check();
  }
  const bar = page.getByRole("toolbar", { name: "Bulk actions" });
  await expect(bar).toContainText("3 selected");
  await expect(bar.getByRole("button", { name: "Stop" })).toHaveAttribute("title", `docker stop ${NAMES.join(" ")}`);
  await bar.getByRole("button", { name: "Stop" }).click();

  const results = page.getByRole("status", { name: "Bulk results" });
  await expect(results).toContainText("3 of 3 done", { timeout: 20_000 });
  for (const n of NAMES) {
    await expect(results.locator(`[data-result="${n}"]`)).toHaveText(`${n}: ok`);
    await expect(row(page, n).getByTestId("state")).toHaveText("exited");
    expect(inspect(n, "{{.State.Running}}")).toBe("false");
  }

  // Grouped by compose project.
  await page.locator("summary", { hasText: "Columns" }).click();
  await page.getByLabel("Group by stack").check();
  await expect(page.locator(`tr[data-stack="${STACK}"]`)).toContainText(`Stack ${STACK} (3)`);

  // A column off, remembered across a reload.
  await page.getByLabel("Image", { exact: true }).uncheck();
  await expect(page.getByRole("columnheader", { name: "Image" })).toBeHidden();
  await page.reload();
  await expect(row(page, NAMES[0])).toBeVisible();
  await expect(page.getByRole("columnheader", { name: "Image" })).toBeHidden();
  await expect(page.locator(`tr[data-stack="${STACK}"]`)).toBeVisible();
  await page.locator("summary", { hasText: "Columns" }).click();
  await page.getByLabel("Image", { exact: true }).check();
  await page.getByLabel("Group by stack").uncheck();
  await expect(page.getByRole("columnheader", { name: "Image" })).toBeVisible();
});
