/**
 * The stack page's controls against the engine: Stop and Start (with their
 * compose CLI lines), Scale a service, Restart one service, the links to the
 * containers and the project's logs, and Down forgetting the files takes the
 * stack out of the list.
 */
import { expect, test } from "@playwright/test";
import { docker, signIn, trpcMutate } from "./helpers";
import { expectTaskSucceeded, projectContainers, removeProject } from "./stacks-helpers";

const NAME = `e2e-stackpage-${process.pid}`;
const FILE = `services:
  app:
    image: busybox
    command: ["sleep", "3600"]
    stop_signal: SIGKILL
  side:
    image: busybox
    command: ["sleep", "3600"]
    stop_signal: SIGKILL
`;
const state = (id: string) => docker("inspect", "-f", "{{.State.Status}}", id);
const startedAt = (id: string) => docker("inspect", "-f", "{{.State.StartedAt}}", id);

test.afterAll(() => removeProject(NAME));

test("stop, start, scale, restart one service, links, and down forgetting the files", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, "/e/local/stacks");
  const created = await trpcMutate(page.request, "stacks.create", { env: "local", name: NAME, file: FILE, dotenv: "" });
  expect(created.status(), await created.text()).toBe(200);
  await expect.poll(() => Object.values(projectContainers(NAME)).flat().map(state).join(","), { timeout: 60_000 }).toBe("running,running");

  const row = page.getByRole("table", { name: "Stacks" }).locator(`tr[data-stack="${NAME}"]`);
  await expect(row).toContainText("Berth");
  await expect(row).toContainText("2/2");
  await expect(row.locator('[data-status="running"]')).toBeVisible();
  await row.getByRole("link", { name: `Stack ${NAME}` }).click();
  await expect(page.getByRole("heading", { name: `Stack ${NAME}` })).toBeVisible();
  await expect(page.getByText(`docker-compose -p ${NAME} stop`, { exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: `Logs of stack ${NAME}` })).toHaveAttribute("href", `/e/local/logs?project=${NAME}`);

  const [app] = projectContainers(NAME).app;
  const [side] = projectContainers(NAME).side;
  await page.getByRole("button", { name: "Stop", exact: true }).click();
  await expect.poll(() => [state(app), state(side)].join(","), { timeout: 30_000 }).toBe("exited,exited");
  await expect(page.getByRole("heading", { name: `Stack ${NAME}` }).locator('[data-status="stopped"]')).toBeVisible();
  await page.getByRole("button", { name: "Start", exact: true }).click();
  await expect.poll(() => [state(app), state(side)].join(","), { timeout: 30_000 }).toBe("running,running");
  await expect(page.getByRole("heading", { name: `Stack ${NAME}` }).locator('[data-status="running"]')).toBeVisible();

  // Restart one service: only its container restarts.
  const sideStarted = startedAt(side);
  const appStarted = startedAt(app);
  const services = page.getByRole("table", { name: "Services" });
  await services.getByRole("button", { name: "Restart service app" }).click();
  await expect.poll(() => startedAt(app), { timeout: 30_000 }).not.toBe(appStarted);
  expect(startedAt(side)).toBe(sideStarted);

  // A container links to its page.
  const appName = docker("inspect", "-f", "{{.Name}}", app).replace(/^\//, "");
  await expect(services.getByRole("link", { name: appName })).toHaveAttribute("href", `/e/local/containers/${app}`);

  // Scale app to 2.
  await services.getByLabel("Replicas of app").fill("2");
  await services.getByRole("button", { name: "Scale app" }).click();
  await expectTaskSucceeded(page);
  await expect.poll(() => projectContainers(NAME).app?.length ?? 0, { timeout: 30_000 }).toBe(2);
  expect(projectContainers(NAME).app).toContain(app);
  await expect(services.getByRole("list", { name: "Containers of app" }).getByRole("listitem")).toHaveCount(2);

  // Down, forgetting the files: the stack leaves the list.
  await page.getByRole("button", { name: "Down", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: `Down stack ${NAME}` });
  await dialog.getByLabel("Forget the stack's files").check();
  await dialog.getByRole("button", { name: "Down", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Stacks", exact: true })).toBeVisible({ timeout: 60_000 });
  expect(projectContainers(NAME)).toEqual({});
  await expect(page.getByRole("table", { name: "Stacks" }).locator(`tr[data-stack="${NAME}"]`)).toHaveCount(0);
});
