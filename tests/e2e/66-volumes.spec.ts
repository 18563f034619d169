/**
 * Volumes in the browser: create one with a label, see it listed as Unused,
 * see it used once a container mounts it, remove it after.
 */
import { expect, test } from "@playwright/test";
import { docker, dockerQuiet, signIn } from "./helpers";

const VOL = "e2e-vol-notes";
const USER = "e2e-vol-user";

test.afterAll(() => {
  dockerQuiet("rm", "-f", USER);
  dockerQuiet("volume", "rm", "-f", VOL);
});

test("create a volume, see it Unused, then used, remove it", async ({ page }) => {
  await signIn(page, "/e/local/volumes");
  await expect(page.getByRole("heading", { name: "Volumes" })).toBeVisible();
  await page.getByRole("button", { name: "Create volume" }).click();
  const dialog = page.getByRole("dialog", { name: "Create volume" });
  await dialog.getByLabel("Name").fill("-bad");
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  await dialog.getByLabel("Name").fill(VOL);
  await dialog.getByLabel("Labels").fill("team=e2e");
  await expect(dialog.getByTestId("cli")).toHaveText(`docker volume create --label team=e2e ${VOL}`);
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog).toBeHidden();

  const row = page.locator(`tr[data-volume="${VOL}"]`);
  await expect(row).toBeVisible();
  await expect(row).toContainText("Unused");
  await expect(row).toContainText("local");
  expect(docker("volume", "inspect", "-f", "{{.Labels.team}}", VOL)).toBe("e2e");

  // A container mounting it: the list follows the engine's events.
  docker("run", "-d", "--name", USER, "-v", `${VOL}:/data`, "busybox", "sleep", "600");
  await expect(row).not.toContainText("Unused");
  await expect(row.getByRole("link", { name: USER })).toBeVisible();
  await expect(row.getByRole("link", { name: `Browse volume ${VOL}` })).toHaveAttribute("href", `/e/local/volumes/${VOL}/files`);

  // In use: Remove is refused with the container named.
  await row.getByRole("button", { name: `Remove volume ${VOL}` }).click();
  const confirm = page.getByRole("dialog", { name: `Remove volume ${VOL}` });
  await confirm.getByRole("button", { name: "Remove" }).click();
  await expect(confirm.getByRole("alert")).toContainText(USER);
  await confirm.getByRole("button", { name: "Cancel" }).click();

  docker("rm", "-f", USER);
  await expect(row).toContainText("Unused");
  await row.getByRole("button", { name: `Remove volume ${VOL}` }).click();
  await page.getByRole("dialog", { name: `Remove volume ${VOL}` }).getByRole("button", { name: "Remove" }).click();
  await expect(row).toBeHidden();
  expect(docker("volume", "ls", "-q", "--filter", `name=^${VOL}$`)).toBe("");
});
