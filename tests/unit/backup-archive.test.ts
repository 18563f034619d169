/**
 * Backups: the encryption round trip (and what tampering, a wrong password or a
 * cut-off file give), the manifest, and hostile archives refused by name before
 * anything is written outside the staging folder.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import zlib from "node:zlib";
import Database from "better-sqlite3";
import tar from "tar-stream";
import { afterEach, describe, expect, it } from "vitest";
import { createBackup, dataFiles } from "../../server/backup/create";
import { CHUNK_BYTES, decryptStream, encryptStream, HEADER_BYTES } from "../../server/backup/encryption";
import { checkEntry, excludedPath, parseManifest } from "../../server/backup/format";
import { extractBackup } from "../../server/backup/read";

const tmpDirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "berth-backup-test-"));
  tmpDirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of tmpDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const encrypt = (plain: Buffer, password: string) => buffer(Readable.from([plain]).pipe(encryptStream(password)));
const decrypt = (cipher: Buffer, password: string) => buffer(Readable.from([cipher]).pipe(decryptStream(password)));

describe("encryption", () => {
  for (const size of [0, 1, CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 1, 3 * CHUNK_BYTES + 17]) {
    it(`round-trips ${size} bytes`, async () => {
      const plain = crypto.randomBytes(size);
      const cipher = await encrypt(plain, "s3cret pass");
      expect(cipher.subarray(0, 8).toString()).toBe("BERTHBK1");
      expect(cipher.includes(plain.subarray(0, Math.min(size, 64))) && size >= 16).toBe(false);
      expect((await decrypt(cipher, "s3cret pass")).equals(plain)).toBe(true);
    });
  }

  it("a wrong password, a flipped byte, a cut-off end or a dropped chunk say 'wrong password or damaged backup'", async () => {
    const plain = crypto.randomBytes(2 * CHUNK_BYTES + 100);
    const cipher = await encrypt(plain, "right password");
    await expect(decrypt(cipher, "wrong password")).rejects.toThrow("wrong password or damaged backup");
    const flipped = Buffer.from(cipher);
    flipped[HEADER_BYTES + 4 + 1000]! ^= 1;
    await expect(decrypt(flipped, "right password")).rejects.toThrow("wrong password or damaged backup");
    // Cut at a chunk boundary: every remaining chunk is authentic, but the last one is missing.
    const firstChunk = HEADER_BYTES + 4 + CHUNK_BYTES + 16;
    await expect(decrypt(cipher.subarray(0, firstChunk), "right password")).rejects.toThrow("wrong password or damaged backup");
    const dropped = Buffer.concat([cipher.subarray(0, HEADER_BYTES), cipher.subarray(firstChunk)]);
    await expect(decrypt(dropped, "right password")).rejects.toThrow("wrong password or damaged backup");
    const header = Buffer.from(cipher);
    header[20]! ^= 1; // the salt: another key
    await expect(decrypt(header, "right password")).rejects.toThrow("wrong password or damaged backup");
  });
});

describe("names and manifest", () => {
  it("refuses .., absolute paths, links, devices and foreign names, naming the entry", () => {
    expect(checkEntry("files/session.secret", "file")).toBe("file");
    expect(checkEntry("files/stacks", "directory")).toBe("dir");
    expect(() => checkEntry("files/../../etc/passwd", "file")).toThrow(/"files\/..\/..\/etc\/passwd" leads outside the backup/);
    expect(() => checkEntry("/etc/passwd", "file")).toThrow(/"\/etc\/passwd" is an absolute path/);
    expect(() => checkEntry("files/link", "symlink")).toThrow(/"files\/link" is a symbolic link/);
    expect(() => checkEntry("files/hard", "link")).toThrow(/is a hard link/);
    expect(() => checkEntry("files/dev", "block-device")).toThrow(/is a block-device, not a file/);
    expect(() => checkEntry("other/file", "file")).toThrow(/not part of a Berth backup/);
    expect(() => checkEntry("files/runtime.key", "file")).toThrow(/belongs to one installation/);
    expect(() => checkEntry("files/./x", "file")).toThrow(/not a plain relative path/);
  });

  it("leaves out the live database files, per-install files and, unless asked, the history", () => {
    expect(excludedPath("berth.db-wal", true)).toBe(true);
    expect(excludedPath("runtime.sock", true)).toBe(true);
    expect(excludedPath("session.secret", false)).toBe(false);
    expect(excludedPath("logs/history/a.log", false)).toBe(true);
    expect(excludedPath("logs/history/a.log", true)).toBe(false);
    expect(excludedPath("stats/history.db-wal", true)).toBe(true);
  });

  it("names the bad field of a manifest", () => {
    expect(() => parseManifest("{")).toThrow("manifest.json is not JSON");
    expect(() => parseManifest(JSON.stringify({ format: 1, berthVersion: "1", migration: "m", createdAt: "2026-01-01T00:00:00Z", includesHistory: false, files: [{ path: "db/berth.db", size: 1, sha256: "zz" }] }))).toThrow(
      /files\.0\.sha256: must be a hex SHA-256/,
    );
    expect(() => parseManifest(JSON.stringify({ format: 2 }))).toThrow(/format/);
  });
});

/** A data directory with a small Berth-like database and a few files. */
function fakeDataDir(): { dataDir: string; dbFile: string } {
  const dataDir = tmp();
  const dbFile = path.join(dataDir, "berth.db");
  const db = new Database(dbFile);
  db.exec(`CREATE TABLE _prisma_migrations (id TEXT, migration_name TEXT, finished_at TEXT, rolled_back_at TEXT);
    INSERT INTO _prisma_migrations VALUES ('1', '20261123000000_init', '2026-01-01', NULL);
    CREATE TABLE "User" (id TEXT PRIMARY KEY, username TEXT); INSERT INTO "User" VALUES ('u1', 'admin');`);
  db.close();
  fs.writeFileSync(path.join(dataDir, "session.secret"), "secret-value");
  fs.writeFileSync(path.join(dataDir, "runtime.key"), "per-install");
  fs.mkdirSync(path.join(dataDir, "console-recordings"));
  fs.writeFileSync(path.join(dataDir, "console-recordings", "7.cast"), "{}\n");
  fs.mkdirSync(path.join(dataDir, "logs", "history"), { recursive: true });
  fs.writeFileSync(path.join(dataDir, "logs", "history", "x.log"), "line\n");
  fs.symlinkSync("/etc/passwd", path.join(dataDir, "passwd-link"));
  return { dataDir, dbFile };
}

async function backupTo(file: string, opts: { password?: string; includeHistory?: boolean }, dir = fakeDataDir()) {
  const b = await createBackup({ dataDir: dir.dataDir, dbFile: dir.dbFile, includeHistory: !!opts.includeHistory, password: opts.password });
  await Promise.all([fs.promises.writeFile(file, b.stream), b.done]);
  return { ...dir, fileName: b.fileName, manifest: await b.done };
}

describe("a backup written and read back", () => {
  it("holds the snapshot, the secrets and recordings with their hashes; no per-install key, link or history; no temp files left", async () => {
    const out = path.join(tmp(), "b.tar.gz");
    const { manifest, dataDir, fileName } = await backupTo(out, {});
    expect(fileName).toMatch(/^berth-backup-.*\.tar\.gz$/);
    expect(manifest.migration).toBe("20261123000000_init");
    expect(manifest.files.map((f) => f.path)).toEqual(["db/berth.db", "files/console-recordings/7.cast", "files/session.secret"]);
    expect(fs.readdirSync(dataDir).filter((n) => n.startsWith(".backup-"))).toEqual([]);
    const stage = path.join(tmp(), "stage");
    const read = await extractBackup(out, stage);
    expect(fs.readFileSync(path.join(stage, "files", "session.secret"), "utf8")).toBe("secret-value");
    const db = new Database(path.join(stage, "db", "berth.db"), { readonly: true });
    expect(db.prepare('SELECT username FROM "User"').pluck().get()).toBe("admin");
    db.close();
    expect(read.manifest.files).toEqual(manifest.files);
    expect(dataFiles(dataDir, true)).toContain("logs/history/x.log");
  });

  it("encrypted: read back with the password; without it, or with another, refused clearly", async () => {
    const out = path.join(tmp(), "b.berth-backup");
    const { fileName } = await backupTo(out, { password: "backup password", includeHistory: true });
    expect(fileName).toMatch(/\.berth-backup$/);
    await expect(extractBackup(out, path.join(tmp(), "s1"))).rejects.toThrow("This backup is encrypted: enter its backup password.");
    await expect(extractBackup(out, path.join(tmp(), "s2"), "not it")).rejects.toThrow("wrong password or damaged backup");
    const ok = await extractBackup(out, path.join(tmp(), "s3"), "backup password");
    expect(ok.manifest.files.map((f) => f.path)).toContain("files/logs/history/x.log");
  });

  it("a tampered byte is refused: in the gzip stream, or in a file whose hash the manifest holds", async () => {
    const out = path.join(tmp(), "b.tar.gz");
    await backupTo(out, {});
    const bytes = fs.readFileSync(out);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x40;
    fs.writeFileSync(out, bytes);
    await expect(extractBackup(out, path.join(tmp(), "s"))).rejects.toThrow(/The backup is damaged|invalid|refused/);

    // Re-packed with one file changed and the gzip made valid again: only the manifest can tell.
    const good = path.join(tmp(), "g.tar.gz");
    await backupTo(good, {});
    const entries = await readTar(fs.readFileSync(good));
    entries.find((e) => e.name === "files/session.secret")!.body = Buffer.from("secret-valuf");
    fs.writeFileSync(good, await writeTar(entries));
    await expect(extractBackup(good, path.join(tmp(), "s2"))).rejects.toThrow('"files/session.secret" does not match its SHA-256 in the manifest');
  });

  for (const [what, entry, message] of [
    ["a .. entry", { name: "files/../../escaped", body: Buffer.from("x") }, /leads outside the backup/],
    ["an absolute path", { name: "/tmp/berth-escaped", body: Buffer.from("x") }, /is an absolute path/],
    ["a symbolic link", { name: "files/evil", type: "symlink" as const, linkname: "/etc/passwd" }, /is a symbolic link/],
  ] as const) {
    it(`refuses an archive with ${what}, writing nothing outside the staging folder`, async () => {
      const dir = tmp();
      const file = path.join(dir, "hostile.tar.gz");
      fs.writeFileSync(file, await writeTar([{ name: "db/berth.db", body: Buffer.from("x") }, entry]));
      await expect(extractBackup(file, path.join(dir, "stage"))).rejects.toThrow(message);
      expect(fs.existsSync(path.join(dir, "escaped"))).toBe(false);
      expect(fs.existsSync("/tmp/berth-escaped")).toBe(false);
    });
  }

  it("a download stopped midway stops the backup and leaves no temp files", async () => {
    const dir = fakeDataDir();
    fs.writeFileSync(path.join(dir.dataDir, "console-recordings", "big.cast"), crypto.randomBytes(8 << 20));
    const b = await createBackup({ dataDir: dir.dataDir, dbFile: dir.dbFile, includeHistory: false });
    await new Promise<void>((resolve) => b.stream.once("data", () => resolve()));
    b.stream.destroy();
    await expect(b.done).rejects.toThrow();
    expect(fs.readdirSync(dir.dataDir).filter((n) => n.startsWith(".backup-"))).toEqual([]);
  });

  it("refuses a file that is not a backup", async () => {
    const file = path.join(tmp(), "x.tar.gz");
    fs.writeFileSync(file, "hello, not a backup");
    await expect(extractBackup(file, path.join(tmp(), "s"))).rejects.toThrow("This file is not a Berth backup");
  });
});

interface TarEntry {
  name: string;
  body?: Buffer;
  type?: "file" | "symlink";
  linkname?: string;
}

async function readTar(gz: Buffer): Promise<TarEntry[]> {
  const out: TarEntry[] = [];
  const ex = tar.extract();
  ex.on("entry", (h, stream, next) => {
    void buffer(stream).then((body) => {
      out.push({ name: h.name, body });
      next();
    });
  });
  await new Promise<void>((resolve, reject) => {
    ex.on("finish", resolve).on("error", reject);
    ex.end(zlib.gunzipSync(gz));
  });
  return out;
}

async function writeTar(entries: TarEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const e of entries) {
    if (e.type === "symlink") pack.entry({ name: e.name, type: "symlink", linkname: e.linkname });
    else pack.entry({ name: e.name, size: e.body!.length }, e.body!);
  }
  pack.finalize();
  return zlib.gzipSync(await buffer(pack));
}
