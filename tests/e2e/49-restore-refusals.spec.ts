/**
 * The restore upload as an attacker meets it, on a fresh Berth of its own: no or
 * a wrong setup token, another origin, a declared size over the cap, a hostile
 * archive, an encrypted backup without its password and a file that is no
 * backup are each refused with a message naming the problem, leaving no temp
 * file; a restore racing "Create administrator" lets exactly one of them win.
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import zlib from "node:zlib";
import { buffer } from "node:stream/consumers";
import Database from "better-sqlite3";
import tar from "tar-stream";
import { expect, test } from "@playwright/test";
import { startBerth, type StartedBerth } from "../support/start-berth";
import { signIn } from "./helpers";

test.describe.configure({ mode: "serial", timeout: 240_000 });

async function hostileArchive(): Promise<Buffer> {
  const pack = tar.pack();
  pack.entry({ name: "db/berth.db", size: 1 }, Buffer.from("x"));
  pack.entry({ name: "files/../../escaped", size: 1 }, Buffer.from("x"));
  pack.finalize();
  return zlib.gzipSync(await buffer(pack));
}

test("the restore upload refuses what it must, by name; a restore racing Create administrator: exactly one wins", async ({ page }) => {
  await signIn(page, "/");
  const plain = await page.request.get("/api/backup");
  expect(plain.status()).toBe(200);
  const backup = await plain.body();
  const encrypted = await page.request.post("/api/backup", { form: { password: "a password of the test" } });
  expect(encrypted.status()).toBe(200);
  const encryptedBody = await encrypted.body();
  // A password that is too short is named.
  const short = await page.request.post("/api/backup", { form: { password: "short" } });
  expect(short.status()).toBe(400);
  expect(await short.text()).toContain("password: at least 8 characters");

  const dir = fs.mkdtempSync(path.join(process.env.BERTH_TEST_DIR!, "restore-refusals-"));
  let berth: StartedBerth | undefined;
  try {
    berth = await startBerth({ dir });
    const url = `${berth.url}/api/setup/restore`;
    const send = (body: Buffer, headers: Record<string, string> = {}) =>
      fetch(url, { method: "POST", headers: { Origin: berth!.url, "X-Berth-Setup-Token": berth!.token, ...headers }, body: new Uint8Array(body) });
    const error = async (res: Response) => ((await res.json()) as { error: { field?: string; message: string } }).error;

    let res: Response = await send(backup, { "X-Berth-Setup-Token": "" });
    expect(res.status).toBe(400);
    expect(await error(res)).toMatchObject({ field: "setupToken", message: expect.stringContaining("Setup token is required") });
    res = await send(backup, { "X-Berth-Setup-Token": "not-the-token-at-all" });
    expect(res.status).toBe(403);
    expect((await error(res)).message).toContain("setup token is wrong");
    res = await send(backup, { Origin: "https://evil.example" });
    expect(res.status).toBe(403);
    // A declared 3 GB is refused on its headers, before a byte of the body is read.
    const tooLarge = await new Promise<{ status?: number; body: string }>((resolve, reject) => {
      const req = http.request(url, { method: "POST", headers: { Origin: berth!.url, "X-Berth-Setup-Token": berth!.token, "Content-Length": String(3 * 1024 ** 3) } }, (r) => {
        let body = "";
        r.on("data", (c: Buffer) => (body += c.toString()));
        r.on("end", () => resolve({ status: r.statusCode, body }));
        r.on("error", () => resolve({ status: r.statusCode, body }));
      });
      req.on("error", reject);
      req.write(Buffer.alloc(1024));
    });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body).toContain("The backup file is too large (max 2 GB)");
    res = await send(await hostileArchive());
    expect(res.status).toBe(400);
    expect(await error(res)).toMatchObject({ field: "file", message: expect.stringContaining('"files/../../escaped" leads outside the backup') });
    res = await send(encryptedBody);
    expect(res.status).toBe(400);
    expect(await error(res)).toMatchObject({ field: "password", message: "This backup is encrypted: enter its backup password." });
    res = await send(Buffer.from("hello, this is not a backup"));
    expect(res.status).toBe(400);
    expect((await error(res)).message).toContain("not a Berth backup");
    expect(fs.existsSync(path.join(dir, "escaped"))).toBe(false);
    expect(fs.readdirSync(berth.dataDir).filter((n) => n.startsWith(".restore"))).toEqual([]);

    // The race: a restore and a Create administrator at once.
    const create = fetch(`${berth.url}/api/trpc/setup.createAdmin`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: berth.url },
      body: JSON.stringify({ json: { setupToken: berth.token, username: "racer", password: "a long racing password 42", confirmPassword: "a long racing password 42" } }),
    });
    const [restored, created] = await Promise.all([send(backup), create]);
    expect([restored.status, created.status].filter((s) => s === 200)).toHaveLength(1);
    const db = new Database(path.join(berth.dataDir, "berth.db"), { readonly: true });
    const users = db.prepare(`SELECT username FROM "User"`).pluck().all() as string[];
    db.close();
    if (restored.status === 200) expect(users).not.toContain("racer");
    else {
      expect(users).toEqual(["racer"]);
      expect((await error(restored)).message).toContain("an administrator exists already");
    }
  } finally {
    await berth?.stop();
  }
});

test("a signed-in user who is not an administrator may not download a backup", async ({ page, browser }) => {
  const who = { username: "e2e-backup-user", password: "e2e backup user password 49" };
  await signIn(page, "/");
  const created = await page.request.post("/api/trpc/users.create", { data: { json: { ...who, role: "user" } } });
  expect(created.status()).toBe(200);
  const id = ((await created.json()) as { result: { data: { json: { id: string } } } }).result.data.json.id;
  const ctx = await browser.newContext();
  try {
    const other = await ctx.newPage();
    await other.goto("/");
    await expect(other).toHaveURL(/\/login/);
    await other.getByLabel("Username").fill(who.username);
    await other.getByLabel("Password").fill(who.password);
    await other.getByRole("button", { name: "Sign in" }).click();
    await expect(other).not.toHaveURL(/\/login/);
    for (const res of [await other.request.get("/api/backup"), await other.request.post("/api/backup", { form: { password: "a password of the test" } })]) {
      expect(res.status()).toBe(403);
      expect(res.headers()["content-disposition"]).toBeUndefined();
    }
  } finally {
    await ctx.close();
    await page.request.post("/api/trpc/users.delete", { data: { json: { id } } });
  }
});
