/**
 * Is the database usable? Checked before anything else starts, so a corrupt or
 * unmigrated file stops Berth at once with a message naming the file, instead of
 * failing on the first page or sign-in with a runtime already running.
 *
 * The start script also runs it as a command (server/bin/database-check.ts) to
 * explain a failed migration.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** The SQLite file DATABASE_URL (or the data directory) points at. */
export function databaseFile(dataDir: string): string {
  const url = process.env.DATABASE_URL;
  return url?.startsWith("file:") ? path.resolve(url.slice("file:".length)) : path.join(dataDir, "berth.db");
}

/** Throws an Error whose message names the file and says what is wrong with it. */
export function checkDatabase(file: string, migrationsDir = path.join(root, "prisma", "migrations")): void {
  const fail = (what: string): never => {
    throw new Error(`the database ${file} ${what}`);
  };
  if (!fs.existsSync(file)) fail("does not exist: run `npx prisma migrate deploy` (npm start does)");
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { fileMustExist: true, timeout: 5000 });
    db.prepare("SELECT count(*) FROM sqlite_master").get();
    // One page of corruption is enough to fail later at random; quick_check reads every page once.
    const check = db.pragma("quick_check(1)", { simple: true });
    if (check !== "ok") fail(`is corrupt (${String(check)})`);
    const applied = new Set(
      (db.prepare("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL").all() as { migration_name: string }[])
        .map((r) => r.migration_name),
    );
    const expected = fs.readdirSync(migrationsDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    const missing = expected.filter((m) => !applied.has(m));
    if (missing.length) fail(`lacks migrations ${missing.join(", ")}: run \`npx prisma migrate deploy\` (npm start does)`);
  } catch (err) {
    if (err instanceof Error && err.message.startsWith(`the database ${file}`)) throw err;
    const e = err as { code?: string; message?: string };
    if (e.code === "SQLITE_NOTADB" || e.code === "SQLITE_CORRUPT") fail(`is corrupt (${e.message})`);
    if (e.code === "SQLITE_BUSY") fail("is locked by another process");
    if (/no such table: _prisma_migrations/.test(e.message ?? "")) fail("was never migrated: run `npx prisma migrate deploy` (npm start does)");
    fail(`cannot be used: ${e.message ?? String(err)}`);
  } finally {
    db?.close();
  }
}
