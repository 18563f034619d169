/**
 * A real SQLite database for unit tests, migrated exactly as `prisma migrate
 * deploy` would, and made the one server/db.ts opens next (import server
 * modules after calling this).
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

export function useMigratedDatabase(file: string, opts: { wal?: boolean } = {}): void {
  const sqlite = new Database(file);
  const migrations = path.resolve(import.meta.dirname, "../../prisma/migrations");
  for (const d of fs.readdirSync(migrations).filter((x) => fs.existsSync(path.join(migrations, x, "migration.sql"))).sort()) {
    sqlite.exec(fs.readFileSync(path.join(migrations, d, "migration.sql"), "utf8"));
  }
  // Thousands of writes in one test: a journal not flushed per write keeps it a unit test's length.
  if (opts.wal) sqlite.pragma("journal_mode = WAL");
  sqlite.close();
  process.env.DATABASE_URL = `file:${file}`;
  delete (globalThis as { __berthDb?: unknown }).__berthDb;
}
