/**
 * The Redis Cluster stack template with the subnet 10.231.38.0/24: six nodes
 * with their static IPs, `redis-cli cluster info` in a node reports
 * cluster_state:ok, and the compose CLI lists the six nodes of the project.
 */
import { execFileSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import { docker, dockerQuiet, inspect, signIn } from "./helpers";
import { openDeploy, runPreflight } from "./templates-helpers";

const NAME = `e2e-rc-${process.pid}`;
const NODES = [1, 2, 3, 4, 5, 6].map((n) => ({ container: `${NAME}-node-${n}-1`, ip: `10.231.38.${10 + n}` }));

test.describe.configure({ timeout: 180_000 });

// On a failure, what the page said (the report's artefacts go with the throwaway test folder).
test.afterEach(async ({ page }, info) => {
  if (info.status !== info.expectedStatus) console.log(`page text at failure:\n${(await page.locator("body").innerText().catch(() => "")).slice(0, 4000)}`);
});

test.afterAll(() => {
  const ids = docker("ps", "-aq", "--filter", `label=com.docker.compose.project=${NAME}`).split("\n").filter(Boolean);
  if (ids.length) dockerQuiet("rm", "-f", ...ids);
  dockerQuiet("network", "rm", `${NAME}_cluster`);
});

test("Redis Cluster: six nodes on 10.231.38.0/24 with static IPs, cluster_state:ok, docker-compose ps lists them", async ({ page }) => {
  await signIn(page, "/e/local/templates");
  const card = page.getByRole("article", { name: "Redis Cluster" });
  await expect(card).toContainText("Stack");
  const form = await openDeploy(page, "Redis Cluster");
  await form.getByLabel("Name", { exact: true }).fill(NAME);
  await form.getByLabel("Subnet prefix").fill("10.231.38");
  // A stack template's ports and volumes are its compose file's: no port rows.
  await expect(page.getByRole("group", { name: "Port 1" })).toHaveCount(0);
  await runPreflight(page);
  await expect(form.getByRole("status").filter({ hasText: /^Preflight passed/ })).toBeVisible();
  await form.getByRole("button", { name: "Deploy", exact: true }).click();

  // The task starts at once, or the form says why not (shown in the failure).
  const progress = page.getByRole("region", { name: `Task Deploy stack ${NAME}` });
  await expect(progress.or(form.getByRole("alert"))).toBeVisible({ timeout: 30_000 });
  expect(await form.getByRole("alert").allTextContents()).toEqual([]);
  await expect(progress).toBeVisible();
  const stackLink = page.getByRole("link", { name: `Stack ${NAME}`, exact: true });
  await expect(stackLink).toBeVisible({ timeout: 150_000 });
  await expect(stackLink).toHaveAttribute("href", `/e/local/stacks/${NAME}`);
  // Per-service progress: a row per service of the file.
  const layers = progress.getByRole("table", { name: "Layers" });
  for (const n of [1, 2, 3, 4, 5, 6]) await expect(layers.getByRole("row").filter({ hasText: `node-${n}` })).toHaveCount(1);

  const network = `${NAME}_cluster`;
  expect(docker("network", "inspect", "-f", "{{(index .IPAM.Config 0).Subnet}}", network)).toBe("10.231.38.0/24");
  for (const n of NODES) {
    expect(inspect(n.container, "{{.State.Running}}")).toBe("true");
    expect(inspect(n.container, `{{(index .NetworkSettings.Networks "${network}").IPAMConfig.IPv4Address}}`)).toBe(n.ip);
    expect(inspect(n.container, `{{(index .NetworkSettings.Networks "${network}").IPAddress}}`)).toBe(n.ip);
  }

  // The one-off init service joins the nodes once they are healthy: the cluster settles within seconds.
  await expect
    .poll(() => {
      try {
        return docker("exec", NODES[0].container, "redis-cli", "cluster", "info");
      } catch (err) {
        return String(err);
      }
    }, { timeout: 30_000, intervals: [1_000] })
    .toContain("cluster_state:ok");
  expect(docker("exec", NODES[0].container, "redis-cli", "cluster", "info")).toMatch(/cluster_known_nodes:6/);

  const configFiles = inspect(NODES[0].container, '{{index .Config.Labels "com.docker.compose.project.config_files"}}');
  expect(configFiles).not.toBe("");
  const ps = execFileSync("docker-compose", ["-p", NAME, "-f", configFiles.split(",")[0], "ps"], { encoding: "utf8", env: process.env });
  for (const n of NODES) expect(ps).toContain(n.container);
});
