/**
 * A stack's life through the UI, checked with the docker and docker-compose
 * CLIs: deploy nginx (published on 127.0.0.1) + redis (a named volume); the
 * compose CLI sees the project from Berth's file; an edit of one service
 * recreates only it; Versions diffs and rolls back; Down keeps the named volume
 * unless asked to remove it.
 */
import { expect, test } from "@playwright/test";
import { docker, freePort, signIn } from "./helpers";
import { fetchText } from "./templates-helpers";
import { compose, composeEditor, expectTaskSucceeded, projectContainers, projectNetworks, projectVolumes, removeProject } from "./stacks-helpers";

const NAME = `e2e-stack-${process.pid}`;
const fileWith = (port: number, greeting: string) => `services:
  web:
    image: nginx
    ports:
      - "127.0.0.1:${port}:80"
    environment:
      GREETING: ${greeting}
  cache:
    image: redis
    volumes:
      - data:/data
volumes:
  data:
`;
const envOf = (id: string) => JSON.parse(docker("inspect", "-f", "{{json .Config.Env}}", id)) as string[];

test.afterAll(() => removeProject(NAME));

test("deploy, update one service, diff and rollback, down keeping then removing the volume", async ({ page }) => {
  test.setTimeout(300_000);
  const port = await freePort();
  await signIn(page, "/e/local/stacks/new");
  await page.getByLabel("Name", { exact: true }).fill(NAME);
  await composeEditor(page).fill(fileWith(port, "one"));
  await expect(page.getByRole("status", { name: "Check" })).toHaveText(/The file is valid: 2 services/, { timeout: 30_000 }); // the first check compiles the schema
  await page.getByRole("button", { name: "Deploy the stack" }).click();
  await expect(page.getByRole("list", { name: "Preflight checks" })).toBeVisible({ timeout: 60_000 });
  await expectTaskSucceeded(page);
  await page.getByRole("link", { name: `Open the stack ${NAME}` }).click();
  await expect(page.getByRole("heading", { name: `Stack ${NAME}` })).toBeVisible();

  // nginx answers on the published port.
  const answer = await fetchText(`http://127.0.0.1:${port}`);
  expect(answer.body).toContain("Welcome to nginx!");

  // The compose CLI, given Berth's file (from the container's label), sees both services.
  const before = projectContainers(NAME);
  expect(Object.keys(before).sort()).toEqual(["cache", "web"]);
  const configFile = docker("inspect", "-f", '{{index .Config.Labels "com.docker.compose.project.config_files"}}', before.web[0]);
  expect(configFile).toMatch(new RegExp(`/stacks/${NAME}/compose\\.yaml$`));
  const ps = compose("-p", NAME, "-f", configFile, "ps");
  for (const id of [before.web[0], before.cache[0]]) expect(ps).toContain(docker("inspect", "-f", "{{.Name}}", id).replace(/^\//, ""));
  expect(envOf(before.web[0])).toContain("GREETING=one");

  // The services table shows both, with the published port.
  const services = page.getByRole("table", { name: "Services" });
  await expect(services.locator('tr[data-service="web"]')).toContainText(`${port}→80/tcp`);
  await expect(services.locator('tr[data-service="cache"]')).toContainText("running");

  // Edit web's environment and Update: only web is recreated.
  await page.getByRole("tab", { name: "Editor" }).click();
  await expect(composeEditor(page)).toContainText("GREETING: one");
  await composeEditor(page).fill(fileWith(port, "two"));
  await expect(page.getByRole("status", { name: "Check" })).toHaveText(/The file is valid: 2 services/);
  await page.getByRole("button", { name: "Update the stack" }).click();
  await expectTaskSucceeded(page);
  const after = projectContainers(NAME);
  expect(after.cache).toEqual(before.cache);
  expect(after.web).toHaveLength(1);
  expect(after.web[0]).not.toBe(before.web[0]);
  expect(envOf(after.web[0])).toContain("GREETING=two");

  // Versions: diff 1 → 2 shows the changed line, then roll back to 1.
  await page.getByRole("tab", { name: "Versions" }).click();
  const versions = page.getByRole("table", { name: "Versions" });
  await expect(versions.locator("tr[data-version]")).toHaveCount(2);
  await versions.getByRole("checkbox", { name: "Pick version 1" }).check();
  await versions.getByRole("checkbox", { name: "Pick version 2" }).check();
  await page.getByRole("button", { name: "Diff", exact: true }).click();
  const fileDiff = page.getByRole("region", { name: "compose.yaml changes" });
  await expect(fileDiff.locator('[data-op="remove"]')).toHaveText([/GREETING: one/]);
  await expect(fileDiff.locator('[data-op="add"]')).toHaveText([/GREETING: two/]);
  await versions.getByRole("button", { name: "Rollback to version 1" }).click();
  await page.getByRole("dialog", { name: "Rollback to version 1" }).getByRole("button", { name: "Rollback", exact: true }).click();
  await expectTaskSucceeded(page);
  const rolled = projectContainers(NAME);
  expect(envOf(rolled.web[0])).toContain("GREETING=one");
  await expect(versions.locator("tr[data-version]")).toHaveCount(3);

  // Down: containers and network go, the named volume stays.
  expect(projectVolumes(NAME)).toHaveLength(1);
  await page.getByRole("button", { name: "Down", exact: true }).click();
  let dialog = page.getByRole("dialog", { name: `Down stack ${NAME}` });
  await expect(dialog.getByTestId("cli")).toHaveText(`docker-compose -p ${NAME} down`);
  await dialog.getByRole("button", { name: "Down", exact: true }).click();
  await expect(dialog).toBeHidden({ timeout: 60_000 });
  expect(projectContainers(NAME)).toEqual({});
  expect(projectNetworks(NAME)).toEqual([]);
  expect(projectVolumes(NAME)).toHaveLength(1);

  // Down with "Remove named volumes" removes it.
  await page.getByRole("button", { name: "Down", exact: true }).click();
  dialog = page.getByRole("dialog", { name: `Down stack ${NAME}` });
  await dialog.getByLabel("Remove named volumes").check();
  await expect(dialog.getByTestId("cli")).toHaveText(`docker-compose -p ${NAME} down -v`);
  await dialog.getByRole("button", { name: "Down", exact: true }).click();
  await expect(dialog).toBeHidden({ timeout: 60_000 });
  expect(projectVolumes(NAME)).toEqual([]);
});
