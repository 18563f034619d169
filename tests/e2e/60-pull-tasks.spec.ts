/**
 * Pulling an image from the browser: the Pull image dialog shows the pull's
 * layers with their bars while it runs and how it ended; the Tasks panel lists
 * it with the administrator as the one who started it, and its detail has the
 * layers. A pull stuck on a registry that never answers is cancelled from the
 * Tasks panel; a Standard user sees and cancels only their own tasks; a search
 * of Docker Hub (unreachable here) says so quickly. The image pulled is one made
 * for this test (fresh layers pushed to the private registry and removed
 * locally), so every layer is really downloaded, through a proxy that slows the
 * registry to 2 MB/s so the download can be watched part-way.
 */
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { Transform } from "node:stream";
import { expect, test } from "@playwright/test";
import { type ServerFrame, serverFrameSchema } from "../../server/realtime/protocol";
import { signIn as authSignIn, Jar, type Client } from "../support/auth-client";
import { BerthApi } from "../support/berth-api";
import { baseUrl } from "./env";
import { docker, dockerQuiet, signIn } from "./helpers";
import { hubSocket } from "./hub-socket";

const REG = process.env.BERTH_TEST_REGISTRY ?? "";
const REPO = `e2e-pull/layers:${Date.now().toString(36)}`;
const IMAGE = `${REG}/${REPO}`;
let silent: net.Server | undefined;
let slow: net.Server | undefined;
let SLOW_IMAGE = "";
const held: net.Socket[] = [];

/** Passes bytes on at about `rate` bytes a second: the local registry is too fast to watch a download. */
class Throttle extends Transform {
  constructor(private readonly rate: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: () => void) {
    this.push(chunk);
    setTimeout(done, (chunk.length / this.rate) * 1000);
  }
}

/** The private registry behind a proxy on 127.0.0.1 (an insecure registry to the engine, as the registry itself is) that sends at 2 MB/s. */
async function slowRegistry(): Promise<string> {
  const [host, port] = REG.split(":");
  slow = net.createServer((client) => {
    const upstream = net.connect(Number(port), host);
    held.push(client, upstream);
    const end = () => (client.destroy(), upstream.destroy());
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
    client.pipe(upstream);
    upstream.pipe(new Throttle(2 << 20)).pipe(client);
  });
  await new Promise<void>((r) => slow!.listen(0, "127.0.0.1", r));
  return `127.0.0.1:${(slow.address() as net.AddressInfo).port}`;
}

test.beforeAll(() => {
  expect(REG, "BERTH_TEST_REGISTRY").not.toBe("");
  // Two layers of fresh random bytes: nothing the engine has already.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "berth-e2e-pull-"));
  fs.writeFileSync(path.join(dir, "a.bin"), crypto.randomBytes(6 << 20));
  fs.writeFileSync(path.join(dir, "b.bin"), crypto.randomBytes(3 << 20));
  fs.writeFileSync(path.join(dir, "Dockerfile"), "FROM scratch\nCOPY a.bin /a.bin\nCOPY b.bin /b.bin\n");
  execFileSync("docker", ["build", "-q", "-t", IMAGE, dir], { env: { ...process.env, DOCKER_BUILDKIT: "0" }, stdio: ["ignore", "pipe", "pipe"] });
  docker("push", IMAGE);
  docker("rmi", IMAGE);
  fs.rmSync(dir, { recursive: true, force: true });
});

test.afterAll(() => {
  dockerQuiet("rmi", "-f", IMAGE);
  dockerQuiet("rmi", "-f", SLOW_IMAGE);
  for (const s of held) s.destroy();
  silent?.close();
  slow?.close();
});

test("pull an image: per-layer bars live, then the Tasks panel lists it as started by admin, succeeded", async ({ page }) => {
  SLOW_IMAGE = `${await slowRegistry()}/${REPO}`;
  await signIn(page, "/e/local/images");
  await page.getByRole("button", { name: "Pull image" }).click();
  const dialog = page.getByRole("dialog", { name: "Pull image" });
  // A reference outside Docker's grammar is refused in the form, naming what is wrong.
  await dialog.getByLabel("Image").fill("../etc/passwd");
  await dialog.getByRole("button", { name: "Pull", exact: true }).click();
  await expect(dialog.getByText(/invalid reference format/)).toBeVisible();

  await dialog.getByLabel("Image").fill(SLOW_IMAGE);
  await expect(dialog.getByTestId("cli")).toHaveText(`docker pull ${SLOW_IMAGE}`);
  await dialog.getByRole("button", { name: "Pull", exact: true }).click();

  const progress = dialog.getByRole("region", { name: `Task Pull ${SLOW_IMAGE}` });
  await expect(progress).toBeVisible();
  // One row per layer, each with its bar.
  const layers = progress.getByRole("table", { name: "Layers" });
  await expect(layers.getByTestId("layer-row")).toHaveCount(2, { timeout: 20_000 });
  await expect(layers.getByRole("progressbar", { name: /^Layer / })).toHaveCount(2);
  // Watched while it downloads: a layer part-way, with its bytes, percentage and speed.
  const downloading = layers.getByTestId("layer-row").filter({ hasText: "Downloading" });
  await expect(downloading.first()).toContainText(/[KM]iB \/ \d+\.\d MiB · \d+%/, { timeout: 15_000 });
  const midway = Number(await downloading.first().getByRole("progressbar").getAttribute("value"));
  expect(midway).toBeGreaterThan(0);
  expect(midway).toBeLessThan(100);
  await expect(downloading.first()).toContainText(/\/s/);
  await expect(progress.getByRole("progressbar", { name: "Overall progress" })).toBeVisible();
  await expect(progress.getByTestId("task-state")).toHaveText("Running");
  await expect(progress.getByTestId("task-state")).toHaveText("Succeeded", { timeout: 30_000 });
  // Finished layers are full, with their sizes.
  for (const bar of await layers.getByRole("progressbar").all()) await expect(bar).toHaveAttribute("value", "100");
  await expect(layers).toContainText("Pull complete");
  await expect(layers).toContainText(/MiB/);
  const id = docker("image", "inspect", "-f", "{{.Id}}", SLOW_IMAGE);
  await expect(progress.getByTestId("task-result")).toContainText(id);
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(dialog).toBeHidden();

  await page.getByRole("button", { name: /^Tasks/ }).click();
  const panel = page.getByRole("dialog", { name: "Tasks" });
  const row = panel.getByTestId("task-row").filter({ hasText: `Pull ${SLOW_IMAGE}` });
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId("task-owner")).toHaveText("admin");
  await expect(row.getByTestId("task-state")).toHaveText("Succeeded");
  await expect(row.getByTestId("task-result")).toContainText(id);
  // Its detail: the layers again.
  await row.getByRole("button", { name: `Details of Pull ${SLOW_IMAGE}` }).click();
  await expect(panel.getByRole("table", { name: "Layers" }).getByTestId("layer-row")).toHaveCount(2);
  await panel.getByRole("button", { name: "Back to tasks" }).click();
  await expect(panel.getByTestId("task-row").first()).toBeVisible();
});

test("a pull stuck on a registry that never answers is cancelled from the Tasks panel", async ({ page }) => {
  silent = net.createServer((s) => held.push(s));
  await new Promise<void>((r) => silent!.listen(0, "127.0.0.1", r));
  const ref = `127.0.0.1:${(silent.address() as net.AddressInfo).port}/never/answers:1`;
  await signIn(page, "/e/local/images");
  await page.getByRole("button", { name: "Pull image" }).click();
  const dialog = page.getByRole("dialog", { name: "Pull image" });
  await dialog.getByLabel("Image").fill(ref);
  await dialog.getByRole("button", { name: "Pull", exact: true }).click();
  await expect(dialog.getByTestId("task-state")).toHaveText("Running");
  // Closing the dialog does not stop it: it goes on in the Tasks panel.
  await dialog.getByRole("button", { name: "Close" }).click();
  const button = page.getByRole("button", { name: /^Tasks \(\d+ running\)$/ });
  await expect(button).toBeVisible();
  await button.click();
  const panel = page.getByRole("dialog", { name: "Tasks" });
  const row = panel.getByTestId("task-row").filter({ hasText: `Pull ${ref}` });
  await expect(row.getByTestId("task-state")).toHaveText("Running");
  await row.getByRole("button", { name: `Cancel Pull ${ref}` }).click();
  await expect(row.getByTestId("task-state")).toHaveText("Cancelled");
  await expect(row).toContainText("cancelled");
  await expect(row.getByRole("button", { name: /^Cancel/ })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Tasks", exact: true })).toBeVisible();
});

test("a Standard user sees and cancels only the tasks they started; someone else's task is refused", async () => {
  const PASSWORD = "tasks-Long-passphrase-4417";
  const admin = await new BerthApi(baseUrl()).signIn();
  const created = await admin.mutate("users.create", { username: "tasks-standard", password: PASSWORD, role: "user" });
  expect(created.status, created.text).toBe(200);
  const userId = (created.data as { id: string }).id;
  try {
    expect((await admin.mutate("users.grant", { env: "local", userId, role: "standard" })).status).toBe(200);
    // The administrator's task, stuck on a silent registry.
    silent ??= net.createServer((s) => held.push(s)).listen(0, "127.0.0.1");
    await new Promise((r) => (silent!.listening ? r(undefined) : silent!.once("listening", r)));
    const ref = `127.0.0.1:${(silent.address() as net.AddressInfo).port}/admins/pull:2`;
    const started = await admin.mutate("imageTransfer.pull", { env: "local", reference: ref });
    expect(started.status, started.text).toBe(200);
    const adminTask = (started.data as { taskId: string }).taskId;

    const c: Client = { base: baseUrl(), jar: new Jar() };
    expect((await authSignIn(c, "tasks-standard", PASSWORD)).status).toBe(200);
    const user = await new BerthApi(baseUrl()).signIn(undefined, { username: "tasks-standard", password: PASSWORD });
    const mine = await user.mutate("imageTransfer.pull", { env: "local", reference: `${REG}/library/busybox:latest` });
    expect(mine.status, mine.text).toBe(200);
    const myTask = (mine.data as { taskId: string }).taskId;
    const list = (await user.query("tasks.list", { env: "local" })).data as { id: string; owner?: { name: string } }[];
    expect(list.map((t) => t.id)).toContain(myTask);
    expect(list.map((t) => t.id)).not.toContain(adminTask);
    expect(list.every((t) => t.owner?.name === "tasks-standard")).toBe(true);
    // The administrator sees both.
    const all = ((await admin.query("tasks.list", { env: "local" })).data as { id: string }[]).map((t) => t.id);
    expect(all).toEqual(expect.arrayContaining([myTask, adminTask]));
    // Cancel: not someone else's.
    const refused = await user.mutate("tasks.cancel", { env: "local", id: adminTask });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain("started by someone else");

    // The live channel: the list has only theirs; a detail of the administrator's task is refused.
    const frames: ServerFrame[] = [];
    const ws = await hubSocket(c, (data, isBinary) => {
      if (!isBinary) frames.push(serverFrameSchema.parse(JSON.parse(String(data))));
    });
    ws.send(JSON.stringify({ type: "subscribe", id: "list", channel: "tasks", env: "local", params: {} }));
    ws.send(JSON.stringify({ type: "subscribe", id: "other", channel: "tasks", env: "local", params: { id: adminTask } }));
    await expect.poll(() => frames.some((f) => f.type === "closed" && f.id === "other")).toBe(true);
    const listFrame = frames.find((f) => f.type === "frame" && f.id === "list");
    expect(listFrame).toBeDefined();
    const listed = listFrame!.type === "frame" && listFrame!.data.type === "tasks" ? listFrame!.data.tasks.map((t) => t.id) : [];
    expect(listed).toContain(myTask);
    expect(listed).not.toContain(adminTask);
    const other = frames.filter((f) => f.type === "frame" && f.id === "other").map((f) => (f as { data: unknown }).data);
    expect(other).toEqual([{ type: "error", code: "FORBIDDEN", field: "id", message: expect.stringContaining("started by someone else") }]);
    ws.close();
    expect((await admin.mutate("tasks.cancel", { env: "local", id: adminTask })).status).toBe(200);
  } finally {
    await admin.mutate("users.delete", { id: userId });
  }
});

test("searching Docker Hub from the pull dialog says quickly and clearly that it cannot be reached", async ({ page }) => {
  await signIn(page, "/e/local/images");
  await page.getByRole("button", { name: "Pull image" }).click();
  const dialog = page.getByRole("dialog", { name: "Pull image" });
  await dialog.getByText("Search Docker Hub").click();
  await dialog.getByLabel("Search term").fill("nginx");
  const t0 = Date.now();
  await dialog.getByRole("button", { name: "Search", exact: true }).click();
  await expect(dialog.getByRole("alert")).toContainText(/Docker Hub (cannot be reached|did not answer)/, { timeout: 20_000 });
  expect(Date.now() - t0).toBeLessThan(20_000);
  // The dialog still pulls: the search did not submit it.
  await expect(dialog.getByLabel("Image")).toHaveValue("");
  await expect(dialog.getByRole("button", { name: "Pull", exact: true })).toBeEnabled();
});
