/**
 * The schema side of a backup: which migration a database file is at, whether
 * this Berth knows it, and bringing an older one up to date with the same
 * `prisma migrate deploy` the start command runs.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { BackupError } from "./encryption";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export function berthVersion(): string {
  try {
    return String((JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { version?: string }).version ?? "unknown");
  } catch {
    return "unknown";
  }
}

/** This Berth's migrations, oldest first. */
export function knownMigrations(): string[] {
  return fs
    .readdirSync(path.join(root, "prisma", "migrations"), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

function appliedMigrations(dbFile: string): string[] {
  let db: Database.Database | undefined;
  try {
    db = new Database(dbFile, { fileMustExist: true, timeout: 5000 });
    return (
      db.prepare("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name").all() as {
        migration_name: string;
      }[]
    ).map((r) => r.migration_name);
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (e.code === "SQLITE_NOTADB" || e.code === "SQLITE_CORRUPT") throw new BackupError("The backup's database is damaged (not a SQLite database).");
    if (/no such table: _prisma_migrations/.test(e.message ?? "")) throw new BackupError("The backup's database is not a Berth database (it has no migrations).");
    throw new BackupError(`The backup's database cannot be read: ${e.message ?? String(err)}`);
  } finally {
    db?.close();
  }
}

/** This Berth's migrations a database file lacks. */
export function pendingMigrations(dbFile: string): string[] {
  const applied = new Set(appliedMigrations(dbFile));
  return knownMigrations().filter((m) => !applied.has(m));
}

/** The latest migration applied to a database file ("" when none). */
export function latestMigration(dbFile: string): string {
  return appliedMigrations(dbFile).at(-1) ?? "";
}

/**
 * Checks a restored database before it is used: not corrupt, a Berth database, and
 * not from a newer Berth (its migrations must all be known here).
 */
export function checkRestoredDatabase(dbFile: string): void {
  const db = new Database(dbFile, { fileMustExist: true, timeout: 5000 });
  try {
    const check = db.pragma("quick_check(1)", { simple: true });
    if (check !== "ok") throw new BackupError(`The backup's database is damaged (${String(check)}).`);
  } catch (err) {
    if (err instanceof BackupError) throw err;
    throw new BackupError(`The backup's database is damaged (${(err as Error).message}).`);
  } finally {
    db.close();
  }
  const known = new Set(knownMigrations());
  const unknown = appliedMigrations(dbFile).filter((m) => !known.has(m));
  if (unknown.length) {
    throw new BackupError(`The backup was made by a newer Berth (its database has migration ${unknown.join(", ")}, unknown here): update Berth first.`);
  }
}

/** Applies this Berth's pending migrations to `dbFile` (a backup from an older Berth). */
export async function migrate(dbFile: string): Promise<void> {
  const args = ["--no-install", "prisma", "migrate", "deploy"];
  const child = spawn("npx", args, { cwd: root, env: { ...process.env, DATABASE_URL: `file:${dbFile}` }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (c: Buffer) => (output = (output + c.toString()).slice(-4000)));
  child.stderr.on("data", (c: Buffer) => (output = (output + c.toString()).slice(-4000)));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", resolve);
  });
  if (code !== 0) throw new BackupError(`Migrating the backup's database failed:\n${output.trim()}`);
}
