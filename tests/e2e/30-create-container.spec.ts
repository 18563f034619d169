import net from "node:net";
import { expect, type Page, test } from "@playwright/test";
import { docker, dockerQuiet, freePort, inspect, signIn } from "./helpers";

const NAME = "e2e-create";
const VOLUME = "e2e-create-data";
const PASTED = "e2e-pasted";
const NOSTART = "e2e-nostart";

test.afterAll(() => {
  dockerQuiet("rm", "-f", NAME, PASTED, `${NAME}-copy`, NOSTART);
  dockerQuiet("volume", "rm", "-f", VOLUME);
});

const section = (page: Page, title: string) => page.getByRole("group", { name: title, exact: true });
async function open(page: Page, title: string) {
  const s = section(page, title);
  if ((await s.getAttribute("open")) === null) await s.locator("summary").click();
  return s;
}

test("the create form: port, named volume, env var, restart policy; the CLI sees exactly that", async ({ page }) => {
  const port = await freePort();
  await signIn(page, "/e/local/containers");
  await page.getByRole("link", { name: "Add container" }).click();
  await expect(page).toHaveURL(/\/containers\/new$/);
  await expect(page.getByRole("heading", { name: "Create container" })).toBeVisible();

  const general = section(page, "General");
  await general.getByLabel("Name", { exact: true }).fill(NAME);
  await general.getByLabel("Image", { exact: true }).fill("nginx");
  // The image's own defaults are shown, read from the engine.
  await expect(page.getByTestId("image-exposed")).toHaveText("Exposed by the image: 80/tcp");
  await expect(page.getByTestId("image-command")).toContainText("nginx -g");

  const ports = section(page, "Ports");
  await ports.getByRole("button", { name: "Add port mapping" }).click();
  const mapping = ports.getByRole("group", { name: "Port mapping 1" });
  await mapping.getByLabel("Host IP").fill("127.0.0.1");
  await mapping.getByLabel("Host port or range").fill(String(port));
  await mapping.getByLabel("Container port or range").fill("80");

  const storage = await open(page, "Volumes & mounts");
  await storage.getByRole("button", { name: "Add volume" }).click();
  const volume = storage.getByRole("group", { name: "Volume 1" });
  await volume.getByLabel("Type").selectOption("named");
  await volume.getByLabel("Source (volume name or host path)").fill(VOLUME);
  await volume.getByLabel("Container path").fill("/data");

  const env = section(page, "Environment & labels");
  await env.getByRole("button", { name: "Add variable" }).click();
  const variable = env.getByRole("group", { name: "Variable 1" });
  await variable.getByLabel("Name").fill("GREETING");
  await variable.getByLabel("Value").fill("hello e2e");

  const restart = section(page, "Restart policy");
  await restart.getByLabel("Restart policy").selectOption("on-failure");
  await restart.getByLabel("Maximum retries").fill("3");

  // The live preview says what will run, as it is filled.
  await expect(page.getByTestId("command-preview")).toHaveText(
    [
      "docker run -d",
      `--name ${NAME}`,
      "-e 'GREETING=hello e2e'",
      "--restart on-failure:3",
      `-p 127.0.0.1:${port}:80`,
      `-v ${VOLUME}:/data`,
      "nginx",
    ].join(" \\\n  "),
  );
  await page.screenshot({ path: "/tmp/shot-create-form.png", fullPage: true });

  await page.getByRole("button", { name: "Create", exact: true }).click();
  // The new container's page opens.
  await expect(page).toHaveURL(/\/containers\/[0-9a-f]{64}$/);
  expect(page.url()).toMatch(new RegExp(`/containers/${inspect(NAME, "{{.Id}}")}$`));

  expect(inspect(NAME, "{{.State.Running}}")).toBe("true");
  expect(inspect(NAME, "{{json .HostConfig.PortBindings}}")).toBe(`{"80/tcp":[{"HostIp":"127.0.0.1","HostPort":"${port}"}]}`);
  expect(inspect(NAME, "{{json .HostConfig.Binds}}")).toBe(`["${VOLUME}:/data"]`);
  expect(inspect(NAME, "{{range .Mounts}}{{.Type}} {{.Name}} {{.Destination}} {{.RW}}{{end}}")).toBe(`volume ${VOLUME} /data true`);
  expect(inspect(NAME, "{{.HostConfig.RestartPolicy.Name}}:{{.HostConfig.RestartPolicy.MaximumRetryCount}}")).toBe("on-failure:3");
  const envList = JSON.parse(inspect(NAME, "{{json .Config.Env}}")) as string[];
  expect(envList).toContain("GREETING=hello e2e");
  expect(inspect(NAME, "{{.HostConfig.NetworkMode}}")).toBe("default");
  // It answers on the published port.
  const res = await fetch(`http://127.0.0.1:${port}/`);
  expect(await res.text()).toContain("Welcome to nginx!");
});

test("paste a docker run command: the form is filled, the flags it cannot map are listed by name", async ({ page }) => {
  await signIn(page, "/e/local/containers/new");
  await page.getByLabel("docker run command").fill(
    `docker run -d --name ${PASTED} --storage-opt size=1G --bogus-flag \\\n  -p 127.0.0.1:18089:80 -e "A=one two" --restart always nginx`,
  );
  await page.getByRole("button", { name: "Fill form" }).click();
  await expect(page.getByTestId("unknown-flags")).toContainText("--storage-opt");
  await expect(page.getByTestId("unknown-flags")).toContainText("--bogus-flag");
  await expect(page.getByRole("list", { name: "Errors in the command" })).toContainText("unknown flag: --bogus-flag");

  await expect(section(page, "General").getByLabel("Name", { exact: true })).toHaveValue(PASTED);
  await expect(section(page, "General").getByLabel("Image", { exact: true })).toHaveValue("nginx");
  const mapping = section(page, "Ports").getByRole("group", { name: "Port mapping 1" });
  await expect(mapping.getByLabel("Host IP")).toHaveValue("127.0.0.1");
  await expect(mapping.getByLabel("Host port or range")).toHaveValue("18089");
  await expect(section(page, "Environment & labels").getByRole("group", { name: "Variable 1" }).getByLabel("Value")).toHaveValue("one two");
  await expect(section(page, "Restart policy").getByLabel("Restart policy")).toHaveValue("always");
  const preview = page.getByTestId("command-preview");
  await expect(preview).toContainText("--restart always");
  await expect(preview).toContainText(`--name ${PASTED}`);

  // The preview follows the form.
  await section(page, "General").getByLabel("Name", { exact: true }).fill(`${PASTED}-2`);
  await expect(preview).toContainText(`--name ${PASTED}-2`);
  await page.getByLabel("Create only (do not start)").check();
  await expect(preview).toContainText("docker create");
});

test("errors name their field before Docker is called, and Docker's name the object", async ({ page }) => {
  await signIn(page, "/e/local/containers/new");
  const general = section(page, "General");
  await general.getByLabel("Name", { exact: true }).fill("x");
  await general.getByLabel("Image", { exact: true }).fill("busybox");
  await expect(general).toContainText("Docker refuses this name");
  const resources = await open(page, "Resources");
  await resources.getByLabel("Memory", { exact: true }).fill("12x");
  await expect(resources).toContainText('memory: invalid size "12x"');
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await expect(page.getByTestId("form-errors")).toContainText("memory");
  await page.screenshot({ path: "/tmp/shot-create-errors.png", fullPage: true });

  // A host port a running container publishes: named on its field, from the live list.
  const heldPort = inspect(NAME, '{{(index (index .HostConfig.PortBindings "80/tcp") 0).HostPort}}');
  const ports = section(page, "Ports");
  await ports.getByRole("button", { name: "Add port mapping" }).click();
  const mapping = ports.getByRole("group", { name: "Port mapping 1" });
  await mapping.getByLabel("Host port or range").fill(heldPort);
  await mapping.getByLabel("Container port or range").fill("80");
  await expect(mapping).toContainText(`host port ${heldPort}/tcp is already allocated by container ${NAME}`);
  await mapping.getByRole("button", { name: "Remove" }).click();

  // A name already in use: Docker's conflict, with a link to the container that has it.
  await resources.getByLabel("Memory", { exact: true }).fill("");
  await general.getByLabel("Name", { exact: true }).fill(NAME);
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await expect(page.getByTestId("create-error")).toContainText(`name "${NAME}" is already in use by container`);
  const id = docker("inspect", "-f", "{{.Id}}", NAME);
  await expect(page.getByRole("link", { name: "Open the container that has this name" })).toHaveAttribute("href", `/e/local/containers/${id}`);
});

test("duplicate: /e/<env>/containers/new?from=<id> is pre-filled, with a name that does not collide", async ({ page }) => {
  const id = docker("inspect", "-f", "{{.Id}}", NAME);
  await signIn(page, `/e/local/containers/new?from=${id}`);
  await expect(page.getByRole("heading", { name: "Duplicate container" })).toBeVisible();
  await expect(section(page, "General").getByLabel("Name", { exact: true })).toHaveValue(`${NAME}-copy`);
  const preview = page.getByTestId("command-preview");
  await expect(preview).toContainText("--restart on-failure:3");
  await expect(preview).toContainText(`-v ${VOLUME}:/data`);
  await expect(preview).toContainText("-e 'GREETING=hello e2e'");

  // The command that recreates it (what RunCommand shows), through the dashboard's API.
  const res = await page.request.get(`/api/trpc/containerCreate.runCommand?input=${encodeURIComponent(JSON.stringify({ json: { env: "local", id } }))}`);
  expect(res.ok()).toBe(true);
  const { command } = ((await res.json()) as { result: { data: { json: { command: string } } } }).result.data.json;
  expect(command).toMatch(new RegExp(`^docker run -d --name ${NAME} -e 'GREETING=hello e2e' --restart on-failure:3 -p 127\\.0\\.0\\.1:\\d+:80 -v ${VOLUME}:/data nginx$`));
});

test("created but not started: both steps shown, with Open and Remove", async ({ page }) => {
  // A host port held outside Docker: only the start can find out.
  const port = await freePort();
  const holder = net.createServer().listen(port, "127.0.0.1");
  await new Promise((r) => holder.once("listening", r));
  try {
    await signIn(page, "/e/local/containers/new");
    await page.getByLabel("docker run command").fill(`docker run -d --name ${NOSTART} -p 127.0.0.1:${port}:80 nginx`);
    await page.getByRole("button", { name: "Fill form" }).click();
    await page.getByRole("button", { name: "Create", exact: true }).click();
    const error = page.getByTestId("create-error");
    await expect(error).toContainText(`container ${NOSTART} (`);
    await expect(error).toContainText("was created but did not start");
    const id = docker("inspect", "-f", "{{.Id}}", NOSTART);
    expect(inspect(NOSTART, "{{.State.Status}}")).toBe("created");
    await expect(error.getByRole("link", { name: "Open the created container" })).toHaveAttribute("href", `/e/local/containers/${id}`);
    await error.getByRole("button", { name: "Remove it" }).click();
    await expect(error).toBeHidden();
    expect(docker("ps", "-aq", "--filter", `name=^${NOSTART}$`)).toBe("");
  } finally {
    holder.close();
  }
});

test("environment: a .env file and KEY=value lines become -e flags", async ({ page }) => {
  await signIn(page, "/e/local/containers/new");
  await section(page, "General").getByLabel("Image", { exact: true }).fill("busybox");
  const env = section(page, "Environment & labels");
  await env.getByLabel("Load a .env file").setInputFiles({
    name: "app.env",
    mimeType: "text/plain",
    buffer: Buffer.from("# settings\nMODE=prod\n\nGREETING=hi there\n"),
  });
  await expect(env).toContainText("Loaded 2 variables from app.env.");
  await expect(env.getByRole("group", { name: "Variable 2" }).getByLabel("Value")).toHaveValue("hi there");
  const preview = page.getByTestId("command-preview");
  await expect(preview).toHaveText("docker run -d \\\n  -e MODE=prod \\\n  -e 'GREETING=hi there' \\\n  busybox");

  await env.getByLabel("Edit as KEY=value lines").check();
  const box = env.getByLabel("Environment variables (KEY=value lines)");
  await expect(box).toHaveValue("MODE=prod\nGREETING=hi there");
  await box.fill("MODE=dev\nEXTRA=1");
  await expect(preview).toHaveText("docker run -d \\\n  -e MODE=dev \\\n  -e EXTRA=1 \\\n  busybox");
});
