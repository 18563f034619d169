/**
 * Tomcat and Elasticsearch through templates: docker inspect shows exactly the
 * template's env, ports, memory limit and named volume, and their ports answer
 * (the fixture images are small stand-ins: HTTP on 8080, and on 9200 with
 * Elasticsearch-shaped JSON). The Elasticsearch preflight reads
 * vm.max_map_count on the engine's host: when it is too low the fix is shown,
 * Deploy waits for the override, and the audit entry records the override.
 */
import { expect, test, type Page } from "@playwright/test";
import { docker, dockerQuiet, freePort, inspect, signIn } from "./helpers";
import { auditRows, fetchText, openDeploy, publish, runPreflight } from "./templates-helpers";

const TOMCAT = `e2e-tpl-tomcat-${process.pid}`;
const ES = `e2e-tpl-es-${process.pid}`;

test.describe.configure({ timeout: 120_000 });

test.afterAll(() => {
  let volumes: string[] = [];
  try {
    volumes = JSON.parse(inspect(ES, "{{json .Mounts}}")).filter((m: { Type: string }) => m.Type === "volume").map((m: { Name: string }) => m.Name);
  } catch {
    // not created
  }
  dockerQuiet("rm", "-f", TOMCAT, ES);
  for (const v of volumes) dockerQuiet("volume", "rm", v);
});

/** The variables the container has beyond its image's: what the template (and the form) set. */
function addedEnv(name: string, image: string): string[] {
  const own = JSON.parse(inspect(name, "{{json .Config.Env}}")) as string[];
  const base = new Set(JSON.parse(docker("image", "inspect", "-f", "{{json .Config.Env}}", image)) as string[]);
  return own.filter((e) => !base.has(e)).sort();
}

async function deploy(page: Page) {
  await page.getByRole("button", { name: "Deploy", exact: true }).click();
}

test("Tomcat through its template: image, port, env and restart policy as the template says; 8080 answers", async ({ page }) => {
  const port = await freePort();
  await signIn(page, "/e/local/templates");
  const form = await openDeploy(page, "Tomcat");
  await form.getByLabel("Name", { exact: true }).fill(TOMCAT);
  await publish(page, 1, 8080, port);
  await runPreflight(page);
  await expect(form.getByRole("status").filter({ hasText: /^Preflight passed/ })).toBeVisible();
  await deploy(page);
  await expect(page.getByRole("link", { name: `Open http://127.0.0.1:${port}`, exact: true })).toBeVisible({ timeout: 60_000 });

  expect(inspect(TOMCAT, "{{.Config.Image}}")).toBe("tomcat:9.0");
  expect(inspect(TOMCAT, "{{json .HostConfig.PortBindings}}")).toBe(JSON.stringify({ "8080/tcp": [{ HostIp: "127.0.0.1", HostPort: String(port) }] }));
  expect(addedEnv(TOMCAT, "tomcat:9.0")).toEqual([]);
  expect(inspect(TOMCAT, "{{.HostConfig.RestartPolicy.Name}}")).toBe("unless-stopped");
  const answer = await fetchText(`http://127.0.0.1:${port}/`);
  expect(answer.status).toBe(200);
});

test("Elasticsearch through its template: env, both ports, 1 GB memory limit, a named data volume; the vm.max_map_count check", async ({ page }) => {
  const http = await freePort();
  let transport = await freePort();
  while (transport === http) transport = await freePort();
  await signIn(page, "/e/local/templates");
  const form = await openDeploy(page, "Elasticsearch");
  await form.getByLabel("Name", { exact: true }).fill(ES);
  // The preset discovery.type is not shown; the Java heap is, with its default.
  await expect(form.getByLabel("Discovery type")).toHaveCount(0);
  await expect(form.getByLabel("Java heap options")).toHaveValue("-Xms256m -Xmx512m");
  await publish(page, 1, 9200, http);
  await publish(page, 2, 9300, transport);
  const volume = page.getByRole("group", { name: "Volume 1" });
  await expect(volume.getByLabel("Container path")).toHaveValue("/usr/share/elasticsearch/data");
  await expect(volume.getByLabel("Volume type")).toHaveValue("named");

  const checks = await runPreflight(page);
  const mapCount = checks.getByRole("listitem").filter({ hasText: "vm.max_map_count" });
  await expect(mapCount).toHaveCount(1);
  const status = await mapCount.getAttribute("data-status");
  const deployButton = form.getByRole("button", { name: "Deploy", exact: true });
  const anyFailed = (await checks.locator('[data-status="fail"]').count()) > 0;
  if (status === "fail") {
    await expect(mapCount).toContainText("sysctl -w vm.max_map_count=262144");
    await expect(mapCount.getByRole("button", { name: "Copy sysctl -w vm.max_map_count=262144", exact: true })).toBeVisible();
  }
  if (anyFailed) {
    await expect(deployButton).toBeDisabled();
    await form.getByLabel("Deploy anyway (override)").check();
  }
  await expect(deployButton).toBeEnabled();
  await deploy(page);
  await expect(page.getByRole("link", { name: `Open http://127.0.0.1:${http}`, exact: true })).toBeVisible({ timeout: 60_000 });

  expect(inspect(ES, "{{.Config.Image}}")).toBe("elasticsearch:7.6.2");
  expect(addedEnv(ES, "elasticsearch:7.6.2")).toEqual(["ES_JAVA_OPTS=-Xms256m -Xmx512m", "discovery.type=single-node"]);
  expect(JSON.parse(inspect(ES, "{{json .HostConfig.PortBindings}}"))).toEqual({
    "9200/tcp": [{ HostIp: "127.0.0.1", HostPort: String(http) }],
    "9300/tcp": [{ HostIp: "127.0.0.1", HostPort: String(transport) }],
  });
  expect(inspect(ES, "{{.HostConfig.Memory}}")).toBe(String(1024 * 1024 * 1024));
  const mounts = JSON.parse(inspect(ES, "{{json .Mounts}}")) as { Type: string; Name?: string; Destination: string }[];
  expect(mounts).toHaveLength(1);
  expect(mounts[0]).toMatchObject({ Type: "volume", Destination: "/usr/share/elasticsearch/data" });
  // A named volume (`<container>-<last path segment>`), not an anonymous one.
  expect(mounts[0].Name).toBe(`${ES}-data`);
  expect(docker("volume", "inspect", "-f", "{{.Name}}", `${ES}-data`)).toBe(`${ES}-data`);

  const answer = await fetchText(`http://127.0.0.1:${http}/`);
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.body)).toMatchObject({ version: { number: "7.6.2" } });

  // The deploy's audit entry: an override is recorded with the checks it overrode.
  const rows = (await auditRows(page, "container.create")).filter((r) => r.targetName === ES || r.details?.includes(ES));
  expect(rows.length).toBeGreaterThan(0);
  const entry = rows[0];
  expect(entry.outcome).toBe("ok");
  if (anyFailed) {
    expect(entry.details).toContain('"override":true');
    if (status === "fail") expect(entry.details).toContain("vm.max_map_count");
  } else {
    expect(entry.details ?? "").not.toContain('"override":true');
  }
});
