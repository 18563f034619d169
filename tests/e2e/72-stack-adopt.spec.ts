/**
 * A project the compose CLI started shows in the Stacks list as CLI; Adopt
 * imports its file (the editor shows it) and Down removes every container and
 * network of it, checked with the docker CLI.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";
import { compose, composeEditor, projectContainers, projectNetworks, removeProject } from "./stacks-helpers";

const P = `e2e-adopt-${process.pid}`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "berth-adopt-"));
const file = path.join(dir, "compose.yaml");
const TEXT = `services:
  sleeper:
    image: busybox
    command: ["sleep", "3600"]
    stop_signal: SIGKILL
    labels:
      e2e.adopt: "${P}"
`;

test.afterAll(() => {
  removeProject(P);
  fs.rmSync(dir, { recursive: true, force: true });
});

test("a CLI project is listed as CLI, adopted, shown in the editor, and Down removes it", async ({ page }) => {
  test.setTimeout(180_000);
  fs.writeFileSync(file, TEXT);
  compose("-p", P, "-f", file, "up", "-d");
  expect(Object.keys(projectContainers(P))).toEqual(["sleeper"]);

  await signIn(page, "/e/local/stacks");
  await expect(page.getByRole("heading", { name: "Stacks" })).toBeVisible();
  const row = page.getByRole("table", { name: "Stacks" }).locator(`tr[data-stack="${P}"]`);
  await expect(row).toContainText("CLI");
  await expect(row.locator('[data-status="running"]')).toBeVisible();
  await expect(row).toContainText("1/1");

  // Before adoption the stack page says what is known: where the CLI ran, which file it read.
  await row.getByRole("link", { name: `Stack ${P}` }).click();
  await expect(page.getByText(file, { exact: true })).toBeVisible();
  await expect(page.getByRole("tab", { name: "Editor" })).toHaveCount(0);
  await page.getByRole("link", { name: "Stacks", exact: true }).first().click();

  await row.getByRole("button", { name: `Adopt stack ${P}` }).click();
  await expect(row).toContainText("Berth", { timeout: 30_000 });
  await expect(row.getByRole("button", { name: `Adopt stack ${P}` })).toHaveCount(0);

  await row.getByRole("link", { name: `Stack ${P}` }).click();
  await page.getByRole("tab", { name: "Editor" }).click();
  await expect(composeEditor(page)).toContainText('command: ["sleep", "3600"]');
  await expect(composeEditor(page)).toContainText(`e2e.adopt: "${P}"`);

  await page.getByRole("button", { name: "Down", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: `Down stack ${P}` });
  await dialog.getByRole("button", { name: "Down", exact: true }).click();
  await expect(dialog).toBeHidden({ timeout: 60_000 });
  expect(projectContainers(P)).toEqual({});
  expect(projectNetworks(P)).toEqual([]);
});
