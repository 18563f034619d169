/**
 * Restores a backup into a data directory from the command line, with Berth
 * stopped:
 *
 *   npx tsx server/bin/restore.ts <backup file> [--password-file F] [--data-dir D] [--force]
 *
 * The data directory defaults to BERTH_DATA_DIR, else ./data (as `npm start`).
 * A data directory whose database has users is refused unless --force. The
 * backup is proven whole (manifest, SHA-256 of every file, no hostile entries)
 * and its database migrated to this Berth's schema before anything is replaced;
 * then a "backup.restore" entry is appended to the audit history. Start Berth
 * afterwards with `npm start`.
 */
import fs from "node:fs";
import path from "node:path";
import { BackupError } from "../backup/encryption";
import { restoreBackup } from "../backup/restore";
import { databaseFile } from "../database-check";
import { alive } from "../proc";

const USAGE = "usage: npx tsx server/bin/restore.ts <backup file> [--password-file F] [--data-dir D] [--force]";

function parseArgs(argv: string[]) {
  const out: { archive?: string; passwordFile?: string; dataDir?: string; force: boolean } = { force: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new BackupError(`${a} needs a value\n${USAGE}`);
      return v;
    };
    if (a === "--password-file") out.passwordFile = value();
    else if (a === "--data-dir") out.dataDir = value();
    else if (a === "--force") out.force = true;
    else if (a === "--help" || a === "-h") throw new BackupError(USAGE);
    else if (a.startsWith("-")) throw new BackupError(`unknown option ${a}\n${USAGE}`);
    else if (out.archive) throw new BackupError(`one backup file at a time\n${USAGE}`);
    else out.archive = a;
  }
  if (!out.archive) throw new BackupError(USAGE);
  return out;
}

/** A runtime started for this data directory still running means Berth is. */
function runningBerth(dataDir: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDir, "runtime.pid"), "utf8").trim());
    return pid > 0 && alive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const archive = path.resolve(args.archive!);
  if (!fs.existsSync(archive)) throw new BackupError(`${archive}: no such file`);
  const dataDir = path.resolve(args.dataDir ?? process.env.BERTH_DATA_DIR ?? "./data");
  process.env.BERTH_DATA_DIR = dataDir;
  if (args.dataDir) delete process.env.DATABASE_URL;
  const dbFile = databaseFile(dataDir);
  process.env.DATABASE_URL = `file:${dbFile}`;
  const pid = runningBerth(dataDir);
  if (pid && !args.force) throw new BackupError(`Berth is running on ${dataDir} (its runtime is process ${pid}): stop it first (or use --force).`);
  const password = args.passwordFile ? fs.readFileSync(args.passwordFile, "utf8").replace(/\r?\n$/, "") : process.env.BERTH_BACKUP_PASSWORD || undefined;

  const started = Date.now();
  const result = await restoreBackup({ archive, password, dataDir, dbFile, mode: "offline", force: args.force });
  // Imported now: the Prisma client opens DATABASE_URL when loaded.
  const { writeAudit } = await import("../audit");
  const { db } = await import("../db");
  const m = result.manifest;
  await writeAudit({
    action: "backup.restore",
    username: process.env.USER ?? null,
    sourceIp: "command line",
    outcome: "ok",
    target: { type: "backup", name: `backup of ${m.createdAt}` },
    details: { via: "command line", file: path.basename(archive), berthVersion: m.berthVersion, migration: m.migration, createdAt: m.createdAt, files: result.files, users: result.users, durationMs: Date.now() - started },
  });
  await db.$disconnect();
  console.log(`Restored the backup of ${m.createdAt} (Berth ${m.berthVersion}) into ${dataDir}: ${result.users} user(s), ${result.files} file(s).`);
  console.log("Start Berth with `npm start` (BERTH_DATA_DIR pointing at that directory).");
}

main().catch((err: unknown) => {
  console.error(err instanceof BackupError ? `restore: ${err.message}` : `restore failed: ${(err as Error)?.stack ?? String(err)}`);
  process.exit(1);
});
