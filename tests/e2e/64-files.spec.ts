/**
 * Files in the browser: a volume browsed without an agent (list, download a file
 * with its content checked, upload, new folder, rename, delete), and a
 * container's Files tab (list /etc, download a file, content checked against the
 * container's own).
 */
import fs from "node:fs";
import { expect, test } from "@playwright/test";
import tarStream from "tar-stream";
import { docker, dockerQuiet, signIn } from "./helpers";

const VOLUME = "e2e-files-vol";
const CONTAINER = "e2e-files-box";
const HELPERS = ["ps", "-aq", "--filter", `label=io.berth.volume=${VOLUME}`];

function removeHelpers(): void {
  const ids = docker(...HELPERS).split("\n").filter(Boolean);
  if (ids.length) dockerQuiet("rm", "-f", ...ids);
}

test.afterAll(() => {
  dockerQuiet("rm", "-f", CONTAINER);
  // The dashboard's runtime keeps a helper for a short while after the last use: it goes with the volume.
  removeHelpers();
  dockerQuiet("volume", "rm", "-f", VOLUME);
});

test("browse a volume: download a file, upload one, new folder, rename, delete", async ({ page }) => {
  dockerQuiet("volume", "rm", "-f", VOLUME);
  docker("volume", "create", VOLUME);
  docker("run", "--rm", "-v", `${VOLUME}:/data`, "busybox", "sh", "-c", "mkdir -p /data/notes && echo 'hello from the volume' > /data/notes/hello.txt");

  await signIn(page, `/e/local/volumes/${VOLUME}/files`);
  await expect(page.getByRole("heading", { name: `Files of volume ${VOLUME}` })).toBeVisible();
  const files = page.getByRole("table", { name: "Files" });
  await files.getByRole("button", { name: "Open notes" }).click();
  await expect(page.getByRole("navigation", { name: "Path" })).toContainText("notes");
  await expect(files.getByRole("row", { name: /hello\.txt/ })).toContainText("22 B");

  const [download] = await Promise.all([page.waitForEvent("download"), files.getByRole("link", { name: "Download hello.txt" }).click()]);
  expect(download.suggestedFilename()).toBe("hello.txt");
  expect(fs.readFileSync((await download.path())!, "utf8")).toBe("hello from the volume\n");

  // Upload: the file lands in the folder shown, byte for byte.
  await page.getByLabel("Upload file").setInputFiles({ name: "upload.txt", mimeType: "text/plain", buffer: Buffer.from("uploaded through Berth\n") });
  await expect(page.getByRole("status").filter({ hasText: "Uploaded upload.txt" })).toBeVisible();
  await expect(files.getByRole("row", { name: /upload\.txt/ })).toBeVisible();
  expect(docker("run", "--rm", "-v", `${VOLUME}:/data`, "busybox", "cat", "/data/notes/upload.txt")).toBe("uploaded through Berth");

  await page.getByRole("button", { name: "New folder" }).click();
  const mkdir = page.getByRole("dialog", { name: "New folder" });
  await mkdir.getByLabel("Folder name").fill("archive");
  await expect(mkdir.getByTestId("cli")).toHaveText(`docker run --rm -v ${VOLUME}:/volume busybox mkdir -p /volume/notes/archive`);
  await mkdir.getByRole("button", { name: "Create" }).click();
  await expect(files.getByRole("button", { name: "Open archive" })).toBeVisible();

  await files.getByRole("button", { name: "Rename upload.txt" }).click();
  const rename = page.getByRole("dialog", { name: "Rename upload.txt" });
  await rename.getByLabel("New name").fill("renamed.txt");
  await rename.getByRole("button", { name: "Rename" }).click();
  await expect(files.getByRole("row", { name: /renamed\.txt/ })).toBeVisible();
  await expect(files.getByRole("row", { name: /upload\.txt/ })).toHaveCount(0);

  // Renaming onto an existing name is refused with the reason.
  await files.getByRole("button", { name: "Rename renamed.txt" }).click();
  await page.getByRole("dialog", { name: "Rename renamed.txt" }).getByLabel("New name").fill("hello.txt");
  await page.getByRole("dialog", { name: "Rename renamed.txt" }).getByRole("button", { name: "Rename" }).click();
  await expect(page.getByRole("dialog", { name: "Rename renamed.txt" }).getByRole("alert")).toContainText("already exists");
  await page.getByRole("dialog", { name: "Rename renamed.txt" }).getByRole("button", { name: "Cancel" }).click();

  await files.getByRole("button", { name: "Delete archive" }).click();
  await page.getByRole("dialog", { name: "Delete archive" }).getByRole("button", { name: "Delete" }).click();
  await expect(files.getByRole("button", { name: "Open archive" })).toHaveCount(0);
  expect(docker("run", "--rm", "-v", `${VOLUME}:/data`, "busybox", "ls", "/data/notes").split("\n").sort()).toEqual(["hello.txt", "renamed.txt"]);

  // Just browsed, its helper container still mounts it: Remove releases the helper first, so the volume goes at once.
  await page.goto("/e/local/volumes");
  const row = page.locator(`tr[data-volume="${VOLUME}"]`);
  await row.getByRole("button", { name: `Remove volume ${VOLUME}` }).click();
  await page.getByRole("dialog", { name: `Remove volume ${VOLUME}` }).getByRole("button", { name: "Remove" }).click();
  await expect(row).toBeHidden();
  expect(docker("volume", "ls", "-q", "--filter", `name=^${VOLUME}$`)).toBe("");
});

test("a container's Files tab lists /etc and downloads a file", async ({ page }) => {
  dockerQuiet("rm", "-f", CONTAINER);
  docker("run", "-d", "--name", CONTAINER, "busybox", "sh", "-c", "echo 'files tab check' > /etc/berth-e2e.txt; sleep 600");
  await expect.poll(() => docker("exec", CONTAINER, "cat", "/etc/berth-e2e.txt"), { timeout: 10_000 }).toBe("files tab check");

  await signIn(page, `/e/local/containers/${CONTAINER}/files`);
  const files = page.getByRole("table", { name: "Files" });
  await files.getByRole("button", { name: "Open etc" }).click();
  await expect(files.getByRole("row", { name: /passwd/ })).toBeVisible();
  await expect(page.getByTestId("files-cli")).toHaveText(`docker cp ${CONTAINER}:/etc -`);

  const [download] = await Promise.all([page.waitForEvent("download"), files.getByRole("link", { name: "Download berth-e2e.txt" }).click()]);
  expect(fs.readFileSync((await download.path())!, "utf8")).toBe("files tab check\n");
  const [passwd] = await Promise.all([page.waitForEvent("download"), files.getByRole("link", { name: "Download passwd" }).click()]);
  expect(fs.readFileSync((await passwd.path())!, "utf8")).toBe(`${docker("exec", CONTAINER, "cat", "/etc/passwd")}\n`);
  // A folder comes as a tar, as docker cp gives it.
  const [folder] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download folder" }).click()]);
  expect(folder.suggestedFilename()).toBe("etc.tar");
  expect(fs.readFileSync((await folder.path())!).subarray(0, 4).toString()).toBe("etc/");

  // Through the route itself: a bad path names the field, a hostile tar is refused with its entry named and writes nothing, another origin is refused.
  const base = `/api/e/local/containers/${CONTAINER}/files`;
  const bad = await page.request.get(`${base}?path=${encodeURIComponent("/etc/../root")}`);
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error).toMatchObject({ field: "path" });
  const pack = tarStream.pack();
  pack.entry({ name: "../../etc/evil", mode: 0o644 }, "evil");
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  docker("exec", CONTAINER, "mkdir", "-p", "/tmp/drop");
  const hostile = await page.request.post(`${base}?path=/tmp/drop`, { data: Buffer.concat(chunks), headers: { "content-type": "application/x-tar" } });
  expect(hostile.status()).toBe(400);
  expect((await hostile.json()).error).toMatchObject({ field: "archive", message: expect.stringContaining('"../../etc/evil"') });
  expect(docker("exec", CONTAINER, "ls", "-A", "/tmp/drop")).toBe("");
  expect(docker("exec", CONTAINER, "sh", "-c", "test -e /etc/evil && echo present || echo absent")).toBe("absent");
  const foreign = await page.request.post(`${base}?path=/tmp&name=x.txt`, { data: "x", headers: { origin: "http://evil.example" } });
  expect(foreign.status()).toBe(403);
});
