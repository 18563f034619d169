/**
 * One-click Nginx from the browser: the Nginx template published on a chosen
 * 127.0.0.1 port; the Open link points there and nginx's page answers. Also
 * the other ways to an nginx: a custom template (written, deployed, edited,
 * deleted) and a template source (a Portainer v2 list in a file).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { docker, dockerQuiet, freePort, inspect, signIn } from "./helpers";
import { fetchText, openDeploy, publish, runPreflight } from "./templates-helpers";

const NAME = `e2e-tpl-nginx-${process.pid}`;

test.afterAll(() => dockerQuiet("rm", "-f", NAME));

test("one-click Nginx: deployed on 127.0.0.1:<port>, Open answers with nginx's page", async ({ page }) => {
  const port = await freePort();
  await signIn(page, "/e/local/templates");
  const card = page.getByRole("article", { name: "Nginx", exact: true });
  await expect(card).toContainText("Container");
  await expect(card).toContainText("Built-in");

  const form = await openDeploy(page, "Nginx");
  await form.getByLabel("Name", { exact: true }).fill(NAME);
  // The template publishes 80 on a host port the person picks; the host IP is empty (all addresses) unless set.
  await expect(page.getByRole("group", { name: "Port 1" }).getByLabel("Host IP")).toHaveValue("");
  await publish(page, 1, 80, port);
  // Deploy waits for a preflight of these values.
  await expect(form.getByRole("button", { name: "Deploy", exact: true })).toBeDisabled();
  const checks = await runPreflight(page);
  await expect(form.getByRole("status").filter({ hasText: /^Preflight passed/ })).toBeVisible();
  await expect(checks.locator('[data-status="fail"]')).toHaveCount(0);
  await form.getByRole("button", { name: "Deploy", exact: true }).click();

  const url = `http://127.0.0.1:${port}`;
  const open = page.getByRole("link", { name: `Open ${url}`, exact: true });
  await expect(open).toBeVisible({ timeout: 60_000 });
  await expect(open).toHaveAttribute("href", url);
  expect(inspect(NAME, "{{.Config.Image}}")).toBe("nginx:latest");
  expect(inspect(NAME, '{{json .HostConfig.PortBindings}}')).toBe(JSON.stringify({ "80/tcp": [{ HostIp: "127.0.0.1", HostPort: String(port) }] }));

  const answer = await fetchText((await open.getAttribute("href"))!);
  expect(answer.status).toBe(200);
  expect(answer.body).toContain("Welcome to nginx!");
});

const CUSTOM = `e2e-ct-${process.pid}`;
const SOURCE_TITLE = `E2E source nginx ${process.pid}`;

test.afterAll(() => {
  const ids = docker("ps", "-aq", "--filter", `label=com.docker.compose.project=${CUSTOM}`).split("\n").filter(Boolean);
  if (ids.length) dockerQuiet("rm", "-f", ...ids);
  dockerQuiet("network", "rm", `${CUSTOM}_default`);
});

test("a custom template: written with a {{ PORT }} variable, deployed as a stack whose Open link answers, edited, deleted", async ({ page }) => {
  const port = await freePort();
  const title = `E2E custom nginx ${process.pid}`;
  await signIn(page, "/e/local/templates/custom/new");
  const form = page.getByRole("form", { name: "Custom template" });
  await form.getByLabel("Title", { exact: true }).fill(title);
  await form.getByLabel("Description", { exact: true }).fill("nginx from a custom template");
  await form.getByLabel("Categories", { exact: true }).fill("webserver, e2e");
  const editor = form.getByRole("textbox", { name: "Compose file" });
  await editor.click();
  await page.keyboard.press("Control+a");
  await page.keyboard.press("Delete");
  // CodeMirror indents after a colon: insert the text as one paste.
  await page.keyboard.insertText('services:\n  web:\n    image: nginx:latest\n    ports:\n      - "127.0.0.1:{{ PORT }}:80"\n');
  const v1 = form.getByRole("group", { name: "Variable 1" });
  await v1.getByLabel("Variable name").fill("PORT");
  await v1.getByLabel("Variable label").fill("Host port");
  await v1.getByLabel("Default value").fill("8080");
  await form.getByRole("button", { name: "Create template" }).click();

  await expect(page).toHaveURL(/\/templates\?tab=custom/);
  const card = page.getByRole("article", { name: title });
  await expect(card).toContainText("Custom");
  await expect(card).toContainText("Stack");
  await expect(card).toContainText("e2e");

  await card.getByRole("link", { name: `Deploy ${title}` }).click();
  const deploy = page.getByRole("form", { name: `Deploy ${title}` });
  await deploy.getByLabel("Name", { exact: true }).fill(CUSTOM);
  await expect(deploy.getByLabel("Host port")).toHaveValue("8080");
  await deploy.getByLabel("Host port").fill(String(port));
  await runPreflight(page);
  await deploy.getByRole("button", { name: "Deploy", exact: true }).click();
  await expect(page.getByRole("link", { name: `Stack ${CUSTOM}`, exact: true })).toBeVisible({ timeout: 90_000 });
  const open = page.getByRole("link", { name: `Open http://127.0.0.1:${port}`, exact: true });
  await expect(open).toBeVisible();
  expect((await fetchText(`http://127.0.0.1:${port}/`)).body).toContain("Welcome to nginx!");
  expect(inspect(`${CUSTOM}-web-1`, '{{index .Config.Labels "com.docker.compose.project"}}')).toBe(CUSTOM);

  // Edit: the owner changes the title; the list shows it.
  await page.goto("/e/local/templates?tab=custom");
  await page.getByRole("article", { name: title }).getByRole("link", { name: `Edit ${title}` }).click();
  const edit = page.getByRole("form", { name: "Custom template" });
  await expect(edit.getByRole("group", { name: "Variable 1" }).getByLabel("Variable name")).toHaveValue("PORT");
  await edit.getByLabel("Title", { exact: true }).fill(`${title} v2`);
  await edit.getByRole("button", { name: "Save template" }).click();
  await expect(page.getByRole("article", { name: `${title} v2` })).toBeVisible();

  // Delete.
  await page.getByRole("article", { name: `${title} v2` }).getByRole("link", { name: `Edit ${title} v2` }).click();
  await page.getByRole("button", { name: "Delete template" }).click();
  await page.getByRole("button", { name: "Confirm delete" }).click();
  await expect(page).toHaveURL(/\/templates\?tab=custom/);
  await expect(page.getByRole("article", { name: `${title} v2` })).toHaveCount(0);
});

test("a template source (a Portainer v2 file): added in Settings with its status, its templates listed as Source", async ({ page }) => {
  const file = path.join(process.env.BERTH_TEST_DIR ?? os.tmpdir(), `templates-v2-${process.pid}.json`);
  fs.writeFileSync(file, JSON.stringify({ version: "2", templates: [{ type: 1, title: SOURCE_TITLE, description: "nginx from a v2 list", categories: ["e2e"], image: "nginx:latest", ports: ["80/tcp"] }] }));
  await signIn(page, "/settings");
  const sources = page.getByRole("form", { name: "Template sources" });
  await sources.getByRole("button", { name: "Add source" }).click();
  await sources.getByLabel("Source 1 URL").fill(file);
  await sources.getByLabel("Source 1 name").fill("e2e list");
  await sources.getByRole("button", { name: "Save" }).click();
  await expect(sources.getByRole("status")).toHaveText("Saved");
  await expect(sources.getByRole("table", { name: "Template sources" })).toContainText("ok, v2, 1 template");
  // A list that cannot be read says why, and the others are still listed.
  await sources.getByRole("button", { name: "Add source" }).click();
  await sources.getByLabel("Source 2 URL").fill(`${file}.missing`);
  await sources.getByRole("button", { name: "Save" }).click();
  await expect(sources.getByRole("row").filter({ has: page.getByRole("textbox", { name: "Source 2 URL" }) }).locator(".error")).toBeVisible();

  await page.goto("/e/local/templates");
  await page.getByRole("combobox", { name: "Source" }).selectOption("source");
  const card = page.getByRole("article", { name: SOURCE_TITLE });
  await expect(card).toContainText("Source");
  await expect(page.getByRole("article", { name: "Nginx", exact: true })).toHaveCount(0);

  // Removed again: the list no longer shows it.
  await page.goto("/settings");
  await sources.getByRole("button", { name: "Remove source 2" }).click();
  await sources.getByRole("button", { name: "Remove source 1" }).click();
  await sources.getByRole("button", { name: "Save" }).click();
  await expect(sources).toContainText("No template sources.");
  await page.goto("/e/local/templates");
  await expect(page.getByRole("article", { name: "Nginx", exact: true })).toBeVisible();
  await expect(page.getByRole("article", { name: SOURCE_TITLE })).toHaveCount(0);
});
