/**
 * Restore against real, migrated SQLite files (no engine needed): a backup from
 * an older schema is migrated on the way in; a live restore copies every row,
 * audit chain columns included, into a running Berth's database file, and is
 * refused, changing nothing, once that database has a user.
 */
import crypto from "node:crypto";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { createBackup } from "../../server/backup/create";
import { knownMigrations } from "../../server/backup/migrations";
import { copyIntoLive, restoreBackup, SETUP_DONE_RESTORE } from "../../server/backup/restore";

const root = path.resolve(import.meta.dirname, "../..");
const base = fs.mkdtempSync(path.join(os.tmpdir(), "berth-restore-it-"));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));
const dir = (name: string) => fs.mkdirSync(path.join(base, name), { recursive: true }) as string;

/** A data directory whose database has exactly the first `count` migrations (all when undefined), as Prisma records them. */
function migratedDataDir(name: string, count?: number): string {
  const dataDir = dir(name);
  if (count === undefined) {
    const r = spawnSync("npx", ["--no-install", "prisma", "migrate", "deploy"], { cwd: root, env: { ...process.env, DATABASE_URL: `file:${path.join(dataDir, "berth.db")}` }, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    return dataDir;
  }
  const db = new Database(path.join(dataDir, "berth.db"));
  db.exec(`CREATE TABLE "_prisma_migrations" ("id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME, "migration_name" TEXT NOT NULL,
    "logs" TEXT, "rolled_back_at" DATETIME, "started_at" DATETIME NOT NULL DEFAULT current_timestamp, "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`);
  for (const m of knownMigrations().slice(0, count)) {
    const sql = fs.readFileSync(path.join(root, "prisma", "migrations", m, "migration.sql"), "utf8");
    db.exec(sql);
    db.prepare("INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, applied_steps_count) VALUES (?, ?, current_timestamp, ?, 1)").run(
      crypto.randomUUID(),
      crypto.createHash("sha256").update(sql).digest("hex"),
      m,
    );
  }
  db.close();
  return dataDir;
}

function rows(dbFile: string, sql: string): unknown[] {
  const db = new Database(dbFile, { readonly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

async function backupOf(dataDir: string, to: string): Promise<string> {
  const b = await createBackup({ dataDir, dbFile: path.join(dataDir, "berth.db"), includeHistory: false });
  await Promise.all([fs.promises.writeFile(to, b.stream), b.done]);
  return to;
}

// Each case runs `prisma migrate deploy` a few times: seconds each on a busy machine.
describe("restore", { timeout: 180_000 }, () => {
  it("migrates a backup from an older schema to this Berth's", async () => {
    const old = migratedDataDir("old", 1);
    const db = new Database(path.join(old, "berth.db"));
    db.prepare(`INSERT INTO "User" (id, username, passwordHash, role, updatedAt) VALUES ('u1', 'olduser', 'hash', 'admin', 0)`).run();
    db.close();
    const archive = await backupOf(old, path.join(base, "old.tar.gz"));
    const target = dir("old-target");
    const result = await restoreBackup({ archive, dataDir: target, dbFile: path.join(target, "berth.db"), mode: "offline" });
    expect(result.manifest.migration).toBe(knownMigrations()[0]);
    const applied = rows(path.join(target, "berth.db"), "SELECT migration_name AS m FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY m").map((r) => (r as { m: string }).m);
    expect(applied).toEqual(knownMigrations());
    // A column of the latest migration, with its default, on the old row.
    expect(rows(path.join(target, "berth.db"), `SELECT username, disabled FROM "User"`)).toEqual([{ username: "olduser", disabled: 0 }]);
  });

  it("live: copies every row (audit chain columns as they are) into a running Berth's empty database; refused once it has a user", async () => {
    const src = migratedDataDir("src");
    const s = new Database(path.join(src, "berth.db"));
    s.prepare(`INSERT INTO "User" (id, username, passwordHash, role, updatedAt) VALUES ('u1', 'admin', 'h1', 'admin', 0), ('u2', 'ops', 'h2', 'user', 0)`).run();
    const audit = s.prepare(`INSERT INTO "AuditEntry" (action, outcome, seq, prevHash, hash) VALUES (?, 'ok', ?, ?, ?)`);
    audit.run("user.manage", 1, "", "a".repeat(64));
    audit.run("team.manage", 2, "a".repeat(64), "b".repeat(64));
    s.close();
    const archive = await backupOf(src, path.join(base, "src.tar.gz"));

    const live = migratedDataDir("live");
    const l = new Database(path.join(live, "berth.db"));
    // What a fresh Berth has before setup: a failed setup attempt's entry.
    l.prepare(`INSERT INTO "AuditEntry" (action, outcome, seq, prevHash, hash) VALUES ('setup.create-admin', 'error', 1, '', ?)`).run("c".repeat(64));
    l.close();
    const result = await restoreBackup({ archive, dataDir: live, dbFile: path.join(live, "berth.db"), mode: "live" });
    expect(result.users).toBe(2);
    const q = `SELECT id, action, seq, prevHash, hash FROM "AuditEntry" ORDER BY id`;
    expect(rows(path.join(live, "berth.db"), q)).toEqual(rows(path.join(src, "berth.db"), q));
    expect(rows(path.join(live, "berth.db"), `SELECT username FROM "User" ORDER BY username`)).toEqual([{ username: "admin" }, { username: "ops" }]);

    // Now it has users: refused, and nothing changes.
    const before = rows(path.join(live, "berth.db"), q);
    await expect(restoreBackup({ archive, dataDir: live, dbFile: path.join(live, "berth.db"), mode: "live" })).rejects.toThrow(SETUP_DONE_RESTORE);
    await expect(copyIntoLive(path.join(src, "berth.db"), path.join(live, "berth.db"))).rejects.toThrow(SETUP_DONE_RESTORE);
    expect(rows(path.join(live, "berth.db"), q)).toEqual(before);
    expect(fs.readdirSync(live).filter((n) => n.startsWith(".restore-"))).toEqual([]);
  });
});
