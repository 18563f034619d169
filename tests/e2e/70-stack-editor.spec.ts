/**
 * The stack editor checks as you type: invalid YAML, an unknown key and a
 * missing required variable each show a problem naming the line and the key;
 * Convert docker run puts a service into the file; Preview shows a value
 * interpolated from the .env.
 */
import net from "node:net";
import { expect, test } from "@playwright/test";
import { freePort, signIn } from "./helpers";
import { composeEditor } from "./stacks-helpers";

test("the editor names line and key of each problem, converts docker run, previews the .env", async ({ page }) => {
  await signIn(page, "/e/local/stacks/new");
  await expect(page.getByRole("heading", { name: "Add stack" })).toBeVisible();
  await page.getByLabel("Name", { exact: true }).fill(`e2e-editor-${process.pid}`);
  const editor = composeEditor(page);
  const problems = page.getByRole("list", { name: "Problems" });
  const deploy = page.getByRole("button", { name: "Deploy the stack" });

  // The example file is valid.
  await expect(page.getByRole("status", { name: "Check" })).toHaveText(/The file is valid: 1 service/, { timeout: 30_000 }); // the first check compiles the schema

  // Invalid YAML: a key indented out of line, on line 4.
  await editor.fill("services:\n  web:\n    image: nginx\n   bad: 1\n");
  await expect(problems).toContainText("line 4");
  await expect(deploy).toBeDisabled();
  // The problem is marked in the editor too (CodeMirror's lint marker on the line).
  await expect(page.locator(".cm-lintRange-error").first()).toBeVisible();

  // An unknown key: names line and key path.
  await editor.fill("services:\n  web:\n    image: nginx\n    volumez:\n      - data:/data\n");
  await expect(problems.getByRole("listitem")).toHaveCount(1);
  await expect(problems).toContainText('line 4, services.web.volumez: unknown key "volumez"');
  // Clicking a problem puts the cursor on its line.
  await problems.getByRole("button", { name: /^line 4, services\.web\.volumez/ }).click();
  await expect(editor).toBeFocused();
  await expect(page.locator(".cm-activeLine")).toHaveText("    volumez:");

  // A required variable the .env does not set.
  await editor.fill("services:\n  web:\n    image: nginx\n    environment:\n      GREETING: ${GREETING:?set GREETING in .env}\n");
  await expect(problems).toContainText("line 5, services.web.environment.GREETING: variable GREETING is required: set GREETING in .env");
  await expect(page.getByRole("table", { name: "Variables" }).locator('tr[data-variable="GREETING"]')).toContainText("not set");

  // Set in .env: the problem goes, and the preview shows the value.
  await page.getByLabel(".env", { exact: true }).fill("GREETING=hello-from-dotenv\n");
  await expect(page.getByRole("status", { name: "Check" })).toHaveText(/The file is valid: 1 service/);
  await expect(problems).toHaveCount(0);
  await expect(page.getByRole("table", { name: "Variables" }).locator('tr[data-variable="GREETING"]')).toContainText("set");
  await page.getByRole("tab", { name: "Preview" }).click();
  await expect(page.getByLabel("Interpolated compose file")).toContainText("GREETING: hello-from-dotenv");
  await page.getByRole("tab", { name: "compose.yaml" }).click();

  // Convert docker run: the service goes under services:, beside web.
  const port = await freePort();
  await page.getByRole("button", { name: "Convert docker run" }).click();
  const dialog = page.getByRole("dialog", { name: "Convert docker run" });
  await dialog.getByLabel("docker run command").fill(`docker run -d -p 127.0.0.1:${port}:80 nginx`);
  await dialog.getByRole("button", { name: "Convert", exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("status", { name: "Converted from docker run" })).toContainText("Service nginx added");
  await expect(editor).toContainText(`127.0.0.1:${port}:80`);
  await expect(editor).toContainText("GREETING: ${GREETING:?set GREETING in .env}");
  await expect(page.getByRole("status", { name: "Check" })).toHaveText(/The file is valid: 2 services/);
  await page.getByRole("tab", { name: "Preview" }).click();
  const preview = page.getByLabel("Interpolated compose file");
  await expect(preview).toContainText("nginx:");
  await expect(preview).toContainText(`127.0.0.1:${port}:80`);

  // A command that is not docker run says so, naming the field.
  await page.getByRole("button", { name: "Convert docker run" }).click();
  await dialog.getByLabel("docker run command").fill("docker run -p notaport nginx");
  await dialog.getByRole("button", { name: "Convert", exact: true }).click();
  await expect(dialog.getByRole("alert")).toContainText("command:");
});

test("a failed preflight blocks the deploy until Deploy anyway (override) is ticked", async ({ page }) => {
  // A host port taken by something else: the preflight's port check fails.
  const taken = net.createServer().listen(0, "127.0.0.1");
  await new Promise((r) => taken.once("listening", r));
  const port = (taken.address() as net.AddressInfo).port;
  try {
    await signIn(page, "/e/local/stacks/new");
    await page.getByLabel("Name", { exact: true }).fill(`e2e-preflight-${process.pid}`);
    await composeEditor(page).fill(`services:\n  web:\n    image: nginx\n    ports:\n      - "127.0.0.1:${port}:80"\n`);
    await expect(page.getByRole("status", { name: "Check" })).toHaveText(/The file is valid: 1 service/, { timeout: 30_000 });
    const deploy = page.getByRole("button", { name: "Deploy the stack" });
    await deploy.click();
    const checks = page.getByRole("list", { name: "Preflight checks" });
    await expect(checks).toBeVisible({ timeout: 60_000 });
    await expect(checks.locator('[data-status="fail"]').first()).toContainText(String(port));
    await expect(deploy).toBeDisabled();
    await page.getByLabel("Deploy anyway (override)").check();
    await expect(deploy).toBeEnabled();
  } finally {
    taken.close();
  }
});
