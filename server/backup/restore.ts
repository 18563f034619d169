/**
 * Restores a backup into a data directory: extracted and proven whole first
 * (read.ts), the database checked and migrated to this Berth's schema in the
 * staging folder, and only then put in place.
 *
 * Two ways in:
 * - `live`: the setup page of a running Berth that has no user yet. The running
 *   dashboard keeps its database connection (server/db.ts): the restored rows are
 *   copied into the live file in one transaction on a connection of our own
 *   (ATTACH, then DELETE and INSERT … SELECT per table), which also re-checks that
 *   no user exists, so a restore and a racing "Create administrator" cannot both
 *   win (SQLite serialises the two writes). The schema is the same (migrated
 *   first), so the Prisma client goes on working with no restart. The log and stats
 *   history belong to the runtime, which has them open: the setup page leaves them.
 * - `offline`: the command line (server/bin/restore.ts), with Berth stopped: the
 *   migrated file replaces the database file, every file is put in place.
 *
 * AuditEntry rows are copied as they are (ids, sequence, hashes): the restored
 * chain verifies as it did; the caller appends the "backup.restore" entry.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { BackupError } from "./encryption";
import { DB_ENTRY, FILES_PREFIX, isHistoryPath, type Manifest } from "./format";
import { checkRestoredDatabase, knownMigrations, latestMigration, migrate, pendingMigrations } from "./migrations";
import { extractBackup } from "./read";

export const SETUP_DONE_RESTORE = "Restore is only possible before setup: an administrator exists already. Sign in instead.";

export interface RestoreOptions {
  archive: string;
  password?: string;
  dataDir: string;
  /** The database file (DATABASE_URL's, or berth.db in the data directory). */
  dbFile: string;
  mode: "live" | "offline";
  /** offline: replace a database that has users. */
  force?: boolean;
  /** live: runs the copy into the live database alone (no audit entry being sealed meanwhile). */
  exclusive?: <T>(fn: () => Promise<T>) => Promise<T>;
}

export interface RestoreResult {
  manifest: Manifest;
  users: number;
  files: number;
  /** History files left out (live restores leave the runtime's files alone). */
  skippedHistory: number;
  environments: number;
}

/** Files a live restore leaves as the running Berth has them. */
const LIVE_KEEPS = new Set(["session.secret"]);

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** How many users a database file has (0 when it has no User table yet). */
export function userCount(dbFile: string): number {
  if (!fs.existsSync(dbFile)) return 0;
  const db = new Database(dbFile, { readonly: true, fileMustExist: true, timeout: 5000 });
  try {
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name='User'").get();
    return table ? (db.prepare('SELECT count(*) AS n FROM "User"').get() as { n: number }).n : 0;
  } finally {
    db.close();
  }
}

function tablesOf(db: Database.Database, schema: string): string[] {
  return (
    db.prepare(`SELECT name FROM ${schema}.sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations' ORDER BY name`).all() as {
      name: string;
    }[]
  ).map((r) => r.name);
}

/**
 * Takes the write lock without ever waiting inside SQLite: better-sqlite3 waits
 * synchronously, and the transaction holding the lock may be this very process's
 * (a Prisma transaction between two awaits), which could then never finish.
 */
async function beginImmediate(db: Database.Database): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      return void db.exec("BEGIN IMMEDIATE");
    } catch (err) {
      if ((err as { code?: string }).code !== "SQLITE_BUSY" || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** Copies every row of `src` into the live `liveFile`, in one transaction that first checks no user exists. */
export async function copyIntoLive(src: string, liveFile: string): Promise<void> {
  const db = new Database(liveFile, { fileMustExist: true, timeout: 0 });
  try {
    // Rows arrive table by table; the references are checked once, before commit.
    db.pragma("foreign_keys = OFF");
    db.prepare("ATTACH DATABASE ? AS src").run(src);
    const live = tablesOf(db, "main");
    const restored = new Set(tablesOf(db, "src"));
    const missing = live.filter((t) => !restored.has(t));
    if (missing.length) throw new BackupError(`The backup's database lacks tables ${missing.join(", ")} after migration.`);
    await beginImmediate(db);
    // From here to COMMIT nothing awaits: the copy is one synchronous step of this process.
    try {
      if ((db.prepare('SELECT count(*) AS n FROM main."User"').get() as { n: number }).n > 0) throw new BackupError(SETUP_DONE_RESTORE);
      for (const t of live) {
        const cols = (db.prepare(`PRAGMA main.table_info(${q(t)})`).all() as { name: string }[]).map((c) => q(c.name)).join(", ");
        db.exec(`DELETE FROM main.${q(t)}`);
        db.exec(`INSERT INTO main.${q(t)} (${cols}) SELECT ${cols} FROM src.${q(t)}`);
      }
      // AUTOINCREMENT counters as the backup had them, so ids are never reused (audit ids are named in recordings).
      if (db.prepare("SELECT 1 FROM src.sqlite_master WHERE name='sqlite_sequence'").get()) {
        for (const row of db.prepare("SELECT name, seq FROM src.sqlite_sequence").all() as { name: string; seq: number }[]) {
          const cur = db.prepare("SELECT seq FROM main.sqlite_sequence WHERE name = ?").get(row.name) as { seq: number } | undefined;
          if (!cur) db.prepare("INSERT INTO main.sqlite_sequence (name, seq) VALUES (?, ?)").run(row.name, row.seq);
          else if (cur.seq < row.seq) db.prepare("UPDATE main.sqlite_sequence SET seq = ? WHERE name = ?").run(row.seq, row.name);
        }
      }
      const broken = db.pragma("foreign_key_check") as unknown[];
      if (broken.length) throw new BackupError(`The backup's database is inconsistent (${broken.length} rows refer to rows that do not exist).`);
      db.exec("COMMIT");
    } catch (err) {
      db.exec("ROLLBACK");
      throw err;
    }
  } finally {
    db.close();
  }
}

/** Puts the migrated database in place of a stopped Berth's (its journal files go: they belonged to the old one). */
function replaceDatabaseFile(src: string, dbFile: string): void {
  fs.mkdirSync(path.dirname(dbFile), { recursive: true, mode: 0o700 });
  const tmp = `${dbFile}.restoring-${crypto.randomBytes(4).toString("hex")}.tmp`;
  fs.copyFileSync(src, tmp);
  fs.chmodSync(tmp, 0o600);
  for (const side of ["-wal", "-shm", "-journal"]) fs.rmSync(dbFile + side, { force: true });
  fs.renameSync(tmp, dbFile);
}

function placeFile(from: string, to: string): void {
  fs.mkdirSync(path.dirname(to), { recursive: true, mode: 0o700 });
  const st = fs.lstatSync(to, { throwIfNoEntry: false });
  // Never through a link the data directory happens to hold.
  if (st && !st.isFile()) throw new BackupError(`Cannot restore ${to}: something other than a file is there.`);
  fs.renameSync(from, to);
}

export async function restoreBackup(opts: RestoreOptions): Promise<RestoreResult> {
  fs.mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  if (opts.mode === "offline" && !opts.force) {
    const n = userCount(opts.dbFile);
    if (n > 0) throw new BackupError(`The data directory already has ${n} user(s) in ${opts.dbFile}: restoring would replace them. Use --force to overwrite.`);
  }
  if (opts.mode === "live" && userCount(opts.dbFile) > 0) throw new BackupError(SETUP_DONE_RESTORE);
  const stage = path.join(opts.dataDir, `.restore-${crypto.randomBytes(6).toString("hex")}`);
  try {
    const { manifest } = await extractBackup(opts.archive, stage, opts.password);
    const db = path.join(stage, ...DB_ENTRY.split("/"));
    checkRestoredDatabase(db);
    const latest = knownMigrations().at(-1) ?? "";
    // A backup of this very schema needs nothing; an older one gets what `npm start` would apply.
    if (pendingMigrations(db).length) await migrate(db);
    if (latestMigration(db) !== latest) throw new BackupError(`The backup's database did not reach migration ${latest}.`);
    const users = userCount(db);
    const check = new Database(db, { readonly: true });
    let admins: number;
    let environments: number;
    try {
      admins = (check.prepare(`SELECT count(*) AS n FROM "User" WHERE role = 'admin'`).get() as { n: number }).n;
      environments = (check.prepare(`SELECT count(*) AS n FROM "Environment"`).get() as { n: number }).n;
    } finally {
      check.close();
    }
    if (admins === 0) throw new BackupError("The backup has no administrator: there would be nobody to sign in as.");

    if (opts.mode === "live") await (opts.exclusive ?? ((fn) => fn()))(() => copyIntoLive(db, opts.dbFile));
    else replaceDatabaseFile(db, opts.dbFile);

    let files = 0;
    let skippedHistory = 0;
    for (const f of manifest.files) {
      if (!f.path.startsWith(FILES_PREFIX)) continue;
      const rel = f.path.slice(FILES_PREFIX.length);
      if (opts.mode === "live" && isHistoryPath(rel)) {
        skippedHistory++;
        continue;
      }
      // The running dashboard signs sessions with its own secret, fixed at start (next-auth keeps it):
      // a restored one would only take over at the next start and sign everyone out then.
      if (opts.mode === "live" && LIVE_KEEPS.has(rel)) continue;
      placeFile(path.join(stage, ...f.path.split("/")), path.join(opts.dataDir, ...rel.split("/")));
      files++;
    }
    return { manifest, users, files, skippedHistory, environments };
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}
