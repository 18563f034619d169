import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { docker, dockerQuiet, freePort, inspect, row, signIn } from "./helpers";

const NAME = "e2e-page";
const IMAGE = "e2e-committed";

test.afterAll(() => {
  dockerQuiet("rm", "-f", NAME, `${NAME}-renamed`);
  dockerQuiet("rmi", "-f", `${IMAGE}:v1`);
});

test("the container page: overview, inspect, processes, changes, update, commit, export, recreate", async ({ page }) => {
  const port = await freePort();
  docker("run", "-d", "--name", NAME, "--stop-timeout", "1", "-p", `127.0.0.1:${port}:80`, "-e", "GREETING=hello e2e", "-l", "berth.e2e=page", "nginx");
  const firstId = inspect(NAME, "{{.Id}}");
  const tab = (name: string) => page.getByRole("navigation", { name: "Container views" }).getByRole("link", { name, exact: true });

  await signIn(page, "/e/local/containers");
  await row(page, NAME).getByRole("link", { name: NAME }).click();
  await expect(page).toHaveURL(new RegExp(`/e/local/containers/${firstId}$`));
  await expect(page.getByRole("heading", { name: NAME })).toBeVisible();

  // Overview
  await expect(page.getByTestId("state")).toHaveText("running");
  await expect(page.getByText("GREETING=hello e2e", { exact: true })).toBeVisible();
  await expect(page.getByText("berth.e2e=page", { exact: true })).toBeVisible();
  // The docker run command that recreates it (app/_components/run-command.tsx) is on the overview too.
  await expect(page.getByTestId("run-command")).toContainText(`--name ${NAME}`);
  await expect(page.getByRole("link", { name: `127.0.0.1:${port}→80/tcp` })).toHaveAttribute("href", `http://127.0.0.1:${port}`);
  await expect(page.getByRole("list", { name: "Networks" })).toContainText("bridge");
  await expect(page.getByTestId("restart-count")).toHaveText("0");

  // Inspect: tree and raw JSON
  await tab("Inspect").click();
  await expect(page.getByTestId("inspect-tree")).toContainText("HostConfig");
  await page.getByRole("button", { name: "Raw JSON" }).click();
  await expect(page.getByTestId("inspect-raw")).toContainText(`"Id": "${firstId}"`);

  // Processes, with ps arguments
  await tab("Processes").click();
  await expect(page.getByRole("table", { name: "Processes" })).toContainText("nginx");
  await page.getByLabel("ps arguments").fill("-o pid,comm");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page.getByRole("table", { name: "Processes" }).getByRole("columnheader", { name: "COMMAND" })).toBeVisible();

  // Changes: nginx writes its pid file
  await tab("Changes").click();
  await expect(page.getByRole("region", { name: "Changes" })).toContainText(/added|changed|No changes/);

  // Update memory, checked with the docker CLI
  await page.getByRole("button", { name: "Update" }).click();
  const update = page.getByRole("dialog", { name: `Update ${NAME}` });
  await update.getByLabel("Memory", { exact: true }).fill("64m");
  await expect(update.getByTestId("cli")).toHaveText(`docker update --memory 64m --memory-swap 128m ${NAME}`);
  await update.getByRole("button", { name: "Update" }).click();
  await expect(page.getByRole("status")).toContainText(`Updated ${NAME}`);
  expect(inspect(NAME, "{{.HostConfig.Memory}}")).toBe(String(64 * 1024 * 1024));
  await tab("Overview").click();
  await expect(page.locator('[data-limit="Memory"]')).toHaveText("64.0 MiB");

  // Commit with a CMD change
  await page.getByRole("button", { name: "Commit" }).click();
  const commit = page.getByRole("dialog", { name: `Commit ${NAME}` });
  await commit.getByLabel("Repository").fill(IMAGE);
  await commit.getByLabel("Tag").fill("v1");
  await commit.getByLabel("Changes").fill('CMD ["nginx", "-g", "daemon off;"]');
  await expect(commit.getByTestId("cli")).toContainText(`docker commit --change 'CMD ["nginx", "-g", "daemon off;"]' ${NAME} ${IMAGE}:v1`);
  await commit.getByRole("button", { name: "Commit" }).click();
  await expect(page.getByRole("status")).toContainText(`Committed ${NAME} to ${IMAGE}:v1`);
  expect(docker("image", "inspect", "-f", "{{json .Config.Cmd}}", `${IMAGE}:v1`)).toBe('["nginx","-g","daemon off;"]');

  // Export: a streamed tar download
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`${NAME}.tar`);
  const file = await download.path();
  expect(fs.statSync(file).size).toBeGreaterThan(1024);
  expect(fs.readFileSync(file).subarray(257, 262).toString()).toBe("ustar");

  // Recreate, pulling the image: same name, new id, still running, limits kept
  await page.getByRole("button", { name: "Recreate" }).click();
  const recreate = page.getByRole("dialog", { name: `Recreate ${NAME}` });
  await recreate.getByLabel(/Pull the image/).check();
  await expect(recreate.getByTestId("cli")).toContainText("docker pull nginx");
  await recreate.getByRole("button", { name: "Recreate" }).click();
  await expect(page).not.toHaveURL(new RegExp(`/containers/${firstId}$`), { timeout: 20_000 });
  const secondId = inspect(NAME, "{{.Id}}");
  expect(secondId).not.toBe(firstId);
  await expect(page).toHaveURL(new RegExp(`/e/local/containers/${secondId}$`));
  await expect(page.getByTestId("state")).toHaveText("running");
  expect(inspect(NAME, "{{.HostConfig.Memory}}")).toBe(String(64 * 1024 * 1024));
  expect(inspect(NAME, "{{json .Config.Env}}")).toContain("GREETING=hello e2e");
  expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toContain("Welcome to nginx!");

  // Rename and Kill, each showing its CLI equivalent
  await page.getByRole("button", { name: "Rename" }).click();
  const rename = page.getByRole("dialog", { name: `Rename ${NAME}` });
  await rename.getByLabel("New name").fill(`${NAME}-renamed`);
  await expect(rename.getByTestId("cli")).toHaveText(`docker rename ${NAME} ${NAME}-renamed`);
  await rename.getByRole("button", { name: "Rename" }).click();
  await expect(page.getByRole("heading", { name: `${NAME}-renamed` })).toBeVisible();
  expect(inspect(secondId, "{{.Name}}")).toBe(`/${NAME}-renamed`);

  await page.getByRole("button", { name: "Kill" }).click();
  const kill = page.getByRole("dialog", { name: `Kill ${NAME}-renamed` });
  await kill.getByLabel("Signal").fill("SIGTERM");
  await expect(kill.getByTestId("cli")).toHaveText(`docker kill --signal SIGTERM ${NAME}-renamed`);
  await kill.getByRole("button", { name: "Kill" }).click();
  // Live: the page follows the engine's events without reload.
  await expect(page.getByTestId("state")).toHaveText("exited", { timeout: 10_000 });

  // Every one of these is in the audit history, naming the container.
  await page.getByRole("link", { name: "Audit", exact: true }).click();
  const table = page.getByRole("table", { name: "Audit entries" });
  for (const action of ["container.update", "container.commit", "container.export", "container.recreate", "container.rename", "container.kill"]) {
    await expect(table.locator("tr", { hasText: action }).filter({ hasText: NAME }).first()).toBeVisible();
  }
});

test("export needs a signed-in user", async ({ request }) => {
  const res = await request.get(`/api/e/local/containers/${NAME}/export`);
  expect(res.status()).toBe(401);
});
