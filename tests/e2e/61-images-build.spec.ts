/**
 * Images in the browser: a build from the Dockerfile editor streams its output
 * line by line while it runs (a line shows before the step that prints it has
 * finished), then the built image opens with its Cmd and History; the images
 * list flags Unused and Dangling images and filters by them; Remove can untag
 * one tag and keep the image; Save downloads a tar; Run opens the create form
 * with the image.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { docker, dockerQuiet, signIn } from "./helpers";

const STAMP = Date.now().toString(36);
const BUILT = `e2e-build-${STAMP}`;
const DANG = `e2e-dang-${STAMP}`;
const TWO = `e2e-two-${STAMP}`;
const USER = `e2e-img-user-${STAMP}`;
const FILES = `e2e-files-${STAMP}`;
const LOADED = `e2e-loaded-${STAMP}`;
const IMPORTED = `e2e-imported-${STAMP}`;
const EXPORTED = `e2e-exported-${STAMP}`;

/** `docker build` from a Dockerfile on stdin (no context), classic builder. */
function buildCli(tag: string, dockerfile: string): void {
  execFileSync("docker", ["build", "-q", "-t", tag, "-"], { input: dockerfile, env: { ...process.env, DOCKER_BUILDKIT: "0" }, stdio: ["pipe", "pipe", "pipe"] });
}

test.afterAll(() => {
  dockerQuiet("rm", "-f", USER, EXPORTED);
  for (const ref of [`${BUILT}:v1`, `${BUILT}:extra`, `${DANG}:v1`, `${TWO}:a`, `${TWO}:b`, `${FILES}:v1`, `${LOADED}:v1`, `${IMPORTED}:v1`]) dockerQuiet("rmi", "-f", ref);
  dockerQuiet("image", "prune", "-f");
});

test("a build from the editor streams its output while it runs, then the image opens with Cmd and History", async ({ page }) => {
  await signIn(page, "/e/local/images/build");
  await expect(page.getByRole("heading", { name: "Build image" })).toBeVisible();
  const editor = page.getByRole("textbox", { name: "Dockerfile", exact: true });
  await expect(editor).toBeVisible();
  // Highlighted by the Dockerfile mode: the instruction is a token of its own.
  await expect(page.getByTestId("dockerfile-editor").locator(".cm-line span").first()).toHaveText("FROM");
  // The printed words differ from the RUN line's text (shown in the output too): $((…)) is computed by the shell.
  await editor.fill(`FROM busybox\nRUN echo early-$((20+1))-${STAMP} && sleep 4 && echo late-$((40+2))-${STAMP}\nCMD ["ls", "-a"]\n`);
  await page.getByLabel("Tags").fill(`${BUILT}:v1 ${BUILT}:extra`);
  await page.getByRole("button", { name: "Build", exact: true }).click();

  const task = page.locator(".task-progress");
  const output = task.getByLabel("Output");
  // Streamed: the RUN step's first line is here while the step is still sleeping.
  await expect(output).toContainText(`early-21-${STAMP}`, { timeout: 15_000 });
  await expect(task).toHaveAttribute("data-state", "running");
  await expect(output).not.toContainText(`late-42-${STAMP}`);
  await expect(output).toContainText(`late-42-${STAMP}`, { timeout: 15_000 });
  await expect(task).toHaveAttribute("data-state", "succeeded");
  await expect(output).toContainText("Step 1/3 : FROM busybox");

  await page.getByRole("link", { name: "Open the image" }).click();
  await expect(page.getByRole("heading", { name: new RegExp(`Image ${BUILT}:`) })).toBeVisible();
  const facts = page.getByLabel("Image facts");
  await expect(facts).toContainText('["ls","-a"]');
  await expect(facts).toContainText(`${BUILT}:v1`);
  await expect(facts).toContainText(`${BUILT}:extra`);
  const history = page.getByRole("table", { name: "History" });
  await expect(history).toContainText(`echo early-$((20+1))-${STAMP}`);
  await expect(history).toContainText("CMD");

  // Save downloads one tar with the image in it.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Save" }).click()]);
  const tar = fs.readFileSync((await download.path())!);
  expect(tar.includes(Buffer.from("manifest.json"))).toBe(true);
  expect(tar.includes(Buffer.from(`${BUILT}:`))).toBe(true);

  // Run opens the create form with this image.
  await page.getByRole("link", { name: "Run" }).click();
  await expect(page).toHaveURL(/\/containers\/new\?image=/);
  await expect(page.getByLabel("Image", { exact: true })).toHaveValue(/e2e-build-/);
});

test("a refused build names the field; uploads need a session and the page's own origin", async ({ page, playwright }) => {
  await signIn(page, "/e/local/images/build");
  await page.getByLabel("Dockerfile path").fill("../Dockerfile");
  await page.getByRole("button", { name: "Build", exact: true }).click();
  await expect(page.getByText("Dockerfile path: must stay inside the build context")).toBeVisible();
  // The server refuses it too (a request made without the page's checks).
  const r = await page.request.post("/api/e/local/images/build?dockerfile=..%2Fx", { headers: { "content-type": "application/x-tar" }, data: Buffer.alloc(1024) });
  expect(r.status()).toBe(400);
  expect((await r.json()).error).toMatchObject({ field: "dockerfile" });
  // Another site's page cannot make the browser build (Origin), and nobody signed out can.
  const foreign = await page.request.post("/api/e/local/images/build", { headers: { "content-type": "application/x-tar", origin: "https://evil.example" }, data: Buffer.alloc(1024) });
  expect(foreign.status()).toBe(403);
  const anon = await playwright.request.newContext({ baseURL: new URL(page.url()).origin });
  expect((await anon.post("/api/e/local/images/load", { headers: { "content-type": "application/x-tar" }, data: Buffer.alloc(1024) })).status()).toBe(401);
  expect((await anon.get("/api/e/local/images/save?names=busybox")).status()).toBe(401);
  await anon.dispose();
});

test("the images list shows Unused and Dangling badges, filters by them, and untags one tag", async ({ page }) => {
  buildCli(`${DANG}:v1`, `FROM busybox\nLABEL e2e="one-${STAMP}"\n`);
  const dangling = docker("image", "inspect", "-f", "{{.Id}}", `${DANG}:v1`);
  buildCli(`${DANG}:v1`, `FROM busybox\nLABEL e2e="two-${STAMP}"\n`);
  buildCli(`${TWO}:a`, `FROM busybox\nLABEL e2e="two-tags-${STAMP}"\n`);
  docker("tag", `${TWO}:a`, `${TWO}:b`);
  docker("create", "--name", USER, `${DANG}:v1`, "true");

  await signIn(page, "/e/local/images");
  await expect(page.getByRole("heading", { name: "Images" })).toBeVisible();
  const table = page.getByRole("table", { name: "Images" });
  const used = table.locator(`tr[data-image="${DANG}:v1"]`);
  await expect(used).toContainText(USER);
  await expect(used.locator(".badge")).toHaveCount(0);
  const two = table.locator(`tr[data-image="${TWO}:a"]`);
  await expect(two).toContainText(`${TWO}:b`);
  await expect(two.locator(".badge-unused")).toHaveText("Unused");
  const short = dangling.replace("sha256:", "").slice(0, 12);
  const old = table.locator("tr", { hasText: short });
  await expect(old.locator(".badge-dangling")).toHaveText("Dangling");
  await expect(old.locator(".badge-unused")).toHaveText("Unused");

  await page.getByLabel("Usage").selectOption("dangling");
  await expect(old).toBeVisible();
  await expect(used).toHaveCount(0);
  await expect(two).toHaveCount(0);
  await page.getByLabel("Usage").selectOption("used");
  await expect(used).toBeVisible();
  await expect(old).toHaveCount(0);
  await page.getByLabel("Usage").selectOption("all");
  await page.getByLabel("Filter by name").fill(TWO);
  await expect(two).toBeVisible();
  await expect(used).toHaveCount(0);

  // Remove → untag one of two tags: the image stays, with the other tag.
  await two.getByRole("button", { name: `Remove ${TWO}:a` }).click();
  const dialog = page.getByRole("dialog", { name: `Remove image ${TWO}:a` });
  await dialog.getByLabel(`Untag ${TWO}:a only`).check();
  await expect(dialog.getByTestId("cli")).toHaveText(`docker rmi ${TWO}:a`);
  await dialog.getByRole("button", { name: "Untag" }).click();
  await expect(dialog).toBeHidden();
  await expect(table.locator(`tr[data-image="${TWO}:b"]`)).toBeVisible();
  expect(docker("images", "-q", `${TWO}:b`)).not.toBe("");
  expect(docker("images", "-q", `${TWO}:a`)).toBe("");
});

test("a build from the editor with an uploaded file COPYs it into the image", async ({ page }) => {
  await signIn(page, "/e/local/images/build");
  await page.getByRole("textbox", { name: "Dockerfile", exact: true }).fill('FROM busybox\nCOPY hello.txt /hello.txt\nCMD ["cat", "/hello.txt"]\n');
  await page.getByLabel("Files to add to the context").setInputFiles({ name: "hello.txt", mimeType: "text/plain", buffer: Buffer.from(`hello from a file ${STAMP}\n`) });
  await page.getByLabel("Tags").fill(`${FILES}:v1`);
  await page.getByRole("button", { name: "Build", exact: true }).click();
  await expect(page.locator(".task-progress")).toHaveAttribute("data-state", "succeeded", { timeout: 30_000 });
  expect(docker("run", "--rm", `${FILES}:v1`)).toBe(`hello from a file ${STAMP}`);
});

test("Load takes a docker save tar and Import a filesystem tar with changes; both are audited", async ({ page }) => {
  buildCli(`${LOADED}:v1`, `FROM busybox\nLABEL e2e="loaded-${STAMP}"\n`);
  const id = docker("image", "inspect", "-f", "{{.Id}}", `${LOADED}:v1`);
  const saved = execFileSync("docker", ["save", `${LOADED}:v1`], { maxBuffer: 64 << 20 });
  docker("rmi", `${LOADED}:v1`);

  await signIn(page, "/e/local/images/load");
  await page.getByLabel("Image archive (tar from docker save)").setInputFiles({ name: "saved.tar", mimeType: "application/x-tar", buffer: saved });
  await expect(page.getByTestId("cli")).toHaveText("docker load -i saved.tar");
  await page.getByRole("button", { name: "Load", exact: true }).click();
  await expect(page.getByRole("form", { name: "Load images" }).getByRole("status")).toContainText(`Loaded: ${LOADED}:v1`);
  expect(docker("image", "inspect", "-f", "{{.Id}}", `${LOADED}:v1`)).toBe(id);

  docker("run", "--name", EXPORTED, "busybox", "sh", "-c", `echo exported-${STAMP} > /marker`);
  const exported = execFileSync("docker", ["export", EXPORTED], { maxBuffer: 64 << 20 });
  await page.goto("/e/local/images/import");
  await page.getByLabel("Filesystem archive (tar, e.g. from docker export)").setInputFiles({ name: "fs.tar", mimeType: "application/x-tar", buffer: exported });
  await page.getByLabel("Repository").fill(IMPORTED);
  await page.getByLabel("Tag").fill("v1");
  await page.getByLabel("Changes").fill('CMD ["sh"]\nRUN rm -rf /');
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByText("line 2: docker import takes")).toBeVisible();
  await page.getByLabel("Changes").fill('CMD ["sh"]');
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByRole("form", { name: "Import image" }).getByRole("status")).toContainText(`Imported: ${IMPORTED}:v1`);
  expect(docker("run", "--rm", `${IMPORTED}:v1`, "sh", "-c", "cat /marker")).toBe(`exported-${STAMP}`);
  expect(docker("image", "inspect", "-f", "{{json .Config.Cmd}}", `${IMPORTED}:v1`)).toBe('["sh"]');

  // Each upload is in the audit history, completed with its outcome.
  const rows = async (action: string) => {
    const r = await page.request.get(`/api/trpc/audit.list?input=${encodeURIComponent(JSON.stringify({ json: { action, limit: 50 } }))}`);
    expect(r.status()).toBe(200);
    return ((await r.json()) as { result: { data: { json: { items: { outcome: string; targetName: string | null; username: string | null }[] } } } }).result.data.json.items;
  };
  const loads = await rows("image.load");
  expect(loads.some((r) => r.outcome === "ok" && r.targetName === `${IMPORTED}:v1` && r.username === "admin")).toBe(true);
  expect(loads.some((r) => r.outcome === "ok" && r.targetName === "docker load")).toBe(true);
  const builds = await rows("image.build");
  expect(builds.some((r) => r.outcome === "ok" && r.targetName === `${FILES}:v1`)).toBe(true);
  expect((await rows("image.save")).some((r) => r.outcome === "ok" && r.targetName?.startsWith(`${BUILT}:`))).toBe(true);
});

test("images selected in the list are saved into one tar, as docker save a b", async ({ page }) => {
  await signIn(page, "/e/local/images");
  const table = page.getByRole("table", { name: "Images" });
  await expect(table).toBeVisible();
  // A row by one of its tags (an image pulled through the test registry has that name as well).
  const rowOf = (tag: string) => table.getByRole("row").filter({ has: page.getByText(tag, { exact: true }) });
  await rowOf("busybox:latest").getByRole("checkbox").check();
  await rowOf("nginx:latest").getByRole("checkbox").check();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Save 2 images" }).click()]);
  const tar = fs.readFileSync((await download.path())!);
  // The engine's manifest.json names every image saved, with the tag it was asked for.
  const at = tar.indexOf(Buffer.from('[{"Config"'));
  expect(at).toBeGreaterThan(-1);
  const manifest = JSON.parse(tar.subarray(at, tar.indexOf(0, at)).toString("utf8")) as { RepoTags: string[] }[];
  const tags = manifest.map((m) => m.RepoTags.join(" "));
  expect(tags).toHaveLength(2);
  expect(tags.some((t) => /(^|\/)busybox:latest$/.test(t))).toBe(true);
  expect(tags.some((t) => /(^|\/)nginx:latest$/.test(t))).toBe(true);
  await page.getByRole("button", { name: "Clear selection" }).click();
  await expect(page.getByRole("link", { name: /^Save \d/ })).toHaveCount(0);
});
