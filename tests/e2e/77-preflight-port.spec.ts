/**
 * A host port already taken by a container fails the template's preflight,
 * naming that container; Deploy stays disabled until the override is ticked,
 * and the server refuses a deploy without it.
 */
import { expect, test } from "@playwright/test";
import { docker, dockerQuiet, freePort, signIn, trpcMutate } from "./helpers";
import { openDeploy, publish, runPreflight } from "./templates-helpers";

const HOLDER = `e2e-pf-holder-${process.pid}`;
const NAME = `e2e-pf-nginx-${process.pid}`;

test.afterAll(() => dockerQuiet("rm", "-f", HOLDER, NAME));

test("a taken host port fails the preflight, names the container holding it, and Deploy waits for the override", async ({ page }) => {
  const port = await freePort();
  docker("run", "-d", "--name", HOLDER, "-p", `127.0.0.1:${port}:80`, "nginx");
  await signIn(page, "/e/local/templates");
  const form = await openDeploy(page, "Nginx");
  await form.getByLabel("Name", { exact: true }).fill(NAME);
  await publish(page, 1, 80, port);
  const checks = await runPreflight(page);

  await expect(form.getByRole("status").filter({ hasText: /^Preflight: \d+ checks? failed/ })).toBeVisible();
  const failed = checks.locator('[data-status="fail"]').filter({ hasText: String(port) });
  await expect(failed).toHaveCount(1);
  await expect(failed).toContainText(HOLDER);

  const deployButton = form.getByRole("button", { name: "Deploy", exact: true });
  await expect(deployButton).toBeDisabled();
  const override = form.getByLabel("Deploy anyway (override)");
  await override.check();
  await expect(deployButton).toBeEnabled();
  await override.uncheck();
  await expect(deployButton).toBeDisabled();
  // Changing the values asks for a new check: the old result and the override are gone.
  await override.check();
  await page.getByRole("group", { name: "Port 1" }).getByLabel("Host port").fill(String(port === 65535 ? port - 1 : port + 1));
  await expect(checks).toHaveCount(0);
  await expect(deployButton).toBeDisabled();
  await page.getByRole("group", { name: "Port 1" }).getByLabel("Host port").fill(String(port));

  // The server holds the same line: no override, no deploy.
  const tpl = (await form.getAttribute("data-template-id"))!;
  const r = await trpcMutate(page.request, "templates.deployContainer", {
    env: "local",
    id: tpl,
    values: { name: NAME, env: {}, ports: [`127.0.0.1:${port}:80/tcp`], volumes: [] },
    override: false,
  });
  expect(r.status()).toBe(400);
  expect(await r.text()).toMatch(/override/);
  expect(docker("ps", "-aq", "--filter", `name=^/${NAME}$`)).toBe("");
});
