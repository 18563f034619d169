import { expect, test } from "@playwright/test";
import { docker, dockerQuiet, freePort, inspect, row, signIn } from "./helpers";

const LIVE = "e2e-live-web";
const UI = "e2e-ui-actions";

test.afterAll(() => {
  dockerQuiet("rm", "-f", LIVE, UI);
});

test("containers made and stopped with the docker CLI show up live, without reload", async ({ page }) => {
  await signIn(page, "/e/local/containers");
  await expect(page.getByRole("table", { name: "Containers" })).toBeVisible();

  const port = await freePort();
  docker("run", "-d", "--name", LIVE, "-p", `127.0.0.1:${port}:80`, "nginx");
  const r = row(page, LIVE);
  await expect(r).toBeVisible({ timeout: 2_000 });
  await expect(r.getByTestId("state")).toHaveText("running", { timeout: 2_000 });
  await expect(r.getByRole("link", { name: `${port}:80` })).toHaveAttribute("href", `http://127.0.0.1:${port}`);
  const page80 = await (await fetch(`http://127.0.0.1:${port}/`)).text();
  expect(page80).toContain("Welcome to nginx!");

  docker("stop", LIVE);
  await expect(r.getByTestId("state")).toHaveText("exited", { timeout: 2_000 });

  // Filters: by name, and by state.
  await page.getByLabel("Filter by name or image").fill("no-such-container-name");
  await expect(r).toBeHidden();
  await page.getByLabel("Filter by name or image").fill("");
  await page.getByLabel("State").selectOption("running");
  await expect(r).toBeHidden();
  await page.getByLabel("State").selectOption("all");
  await expect(r).toBeVisible();

  docker("rm", LIVE);
  await expect(r).toBeHidden({ timeout: 2_000 });
});

test("Start, Stop, Restart and Remove from the UI change the real container", async ({ page }) => {
  docker("create", "--name", UI, "nginx");
  await signIn(page, "/e/local/containers");
  const r = row(page, UI);
  await expect(r.getByTestId("state")).toHaveText("created");

  await r.getByRole("button", { name: "Start", exact: true }).click();
  await expect(r.getByTestId("state")).toHaveText("running");
  expect(inspect(UI, "{{.State.Running}}")).toBe("true");

  await r.getByRole("button", { name: "Stop" }).click();
  await expect(r.getByTestId("state")).toHaveText("exited");
  expect(inspect(UI, "{{.State.Status}}")).toBe("exited");

  const before = inspect(UI, "{{.State.StartedAt}}");
  await r.getByRole("button", { name: "Restart" }).click();
  await expect(r.getByTestId("state")).toHaveText("running");
  expect(inspect(UI, "{{.State.Running}}")).toBe("true");
  expect(inspect(UI, "{{.State.StartedAt}}")).not.toBe(before);

  // Removing a running container asks to confirm, with force.
  await r.getByRole("button", { name: "Remove" }).click();
  const dialog = page.getByRole("dialog", { name: `Remove ${UI}` });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("checkbox")).toBeChecked();
  await dialog.getByRole("button", { name: "Confirm remove" }).click();
  await expect(r).toBeHidden();
  expect(() => docker("inspect", UI)).toThrow();
});
