/**
 * What a backup archive holds and which names it may use. Pure: no database,
 * no data directory; shared by the writer (create.ts), the reader (read.ts) and
 * the unit tests.
 *
 * A backup is a gzipped tar (`.tar.gz`), or that tar encrypted (`.berth-backup`,
 * encryption.ts), holding:
 *   db/berth.db        a consistent snapshot of Berth's database
 *   files/<path>       the data directory's other files: keys and secrets, stack
 *                      files, custom templates, console recordings (and, when
 *                      asked, the log and stats history)
 *   manifest.json      last: the Berth version, the schema's latest migration,
 *                      when it was made, and every entry's size and SHA-256
 */
import path from "node:path";
import { z } from "zod";
import { BackupError } from "./encryption";

export const MANIFEST = "manifest.json";
export const DB_ENTRY = "db/berth.db";
export const FILES_PREFIX = "files/";
export const FORMAT_VERSION = 1;
/** A manifest is small (one line per file); a bigger one is not ours. */
export const MANIFEST_MAX_BYTES = 16 << 20;
export const MAX_ENTRIES = 200_000;

/** The data directory's own database files: the snapshot stands in for them. */
const DATABASE_FILES = /^berth\.db(-wal|-shm|-journal)?$/;
/**
 * Never backed up nor restored: the runtime's socket, pid file and shared key
 * belong to one installation's pair of processes (a new key is made on start),
 * and temp files of an unfinished backup or restore.
 */
const PER_INSTALL = new Set(["runtime.sock", "runtime.pid", "runtime.key"]);
/** Top-level folders of the log and stats history: big, and rebuilt over time; only with "Include log and stats history". */
export const HISTORY_DIRS = ["logs", "stats"];

/** Whether a data-directory path (posix, relative) is left out of backups and refused in restores. */
export function excludedPath(rel: string, withHistory: boolean): boolean {
  const top = rel.split("/", 1)[0]!;
  if (DATABASE_FILES.test(rel) || PER_INSTALL.has(rel)) return true;
  if (top.startsWith(".backup-") || top.startsWith(".restore-") || rel.endsWith(".tmp")) return true;
  // A SQLite side file is never copied: the snapshot of its database is.
  if (/\.db-(wal|shm|journal)$/.test(rel)) return true;
  return !withHistory && HISTORY_DIRS.includes(top) && rel.includes("/");
}

export function isHistoryPath(rel: string): boolean {
  return HISTORY_DIRS.includes(rel.split("/", 1)[0]!) && rel.includes("/");
}

/**
 * Checks an archive entry's name and type before anything is written; throws a
 * BackupError naming the entry. Only regular files (and folders, ignored) under
 * the known names; no absolute paths, no `..`, no links or devices.
 */
export function checkEntry(name: string, type: string | null | undefined): "file" | "dir" {
  const shown = JSON.stringify(name.slice(0, 200));
  if (name.includes("\0")) throw new BackupError(`The backup is refused: entry ${shown} has a NUL in its name.`);
  if (name.startsWith("/") || /^[a-zA-Z]:/.test(name) || name.includes("\\")) {
    throw new BackupError(`The backup is refused: entry ${shown} is an absolute path.`);
  }
  if (name.split("/").some((part) => part === "..")) throw new BackupError(`The backup is refused: entry ${shown} leads outside the backup ("..").`);
  const kind = type ?? "file";
  if (kind === "symlink" || kind === "link") throw new BackupError(`The backup is refused: entry ${shown} is a ${kind === "link" ? "hard link" : "symbolic link"}.`);
  if (kind === "directory") return "dir";
  if (kind !== "file") throw new BackupError(`The backup is refused: entry ${shown} is a ${kind}, not a file.`);
  const norm = path.posix.normalize(name);
  if (norm !== name || name.endsWith("/") || name.split("/").some((p) => p === "." || p === "")) {
    throw new BackupError(`The backup is refused: entry ${shown} is not a plain relative path.`);
  }
  if (name === MANIFEST || name === DB_ENTRY) return "file";
  if (!name.startsWith(FILES_PREFIX)) throw new BackupError(`The backup is refused: entry ${shown} is not part of a Berth backup.`);
  if (excludedPath(name.slice(FILES_PREFIX.length), true)) throw new BackupError(`The backup is refused: entry ${shown} may not be restored (it belongs to one installation).`);
  return "file";
}

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, "must be a hex SHA-256");

export const manifestSchema = z.object({
  format: z.literal(FORMAT_VERSION, { error: `format: this Berth reads backups of format ${FORMAT_VERSION}` }),
  berthVersion: z.string().max(64),
  /** The latest migration applied to the snapshot (a newer Berth's backup names one this Berth lacks). */
  migration: z.string().max(256),
  createdAt: z.iso.datetime(),
  includesHistory: z.boolean(),
  files: z
    .array(z.object({ path: z.string().min(1).max(4096), size: z.number().int().min(0), sha256 }))
    .max(MAX_ENTRIES),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestFile = Manifest["files"][number];

/** Parses manifest.json; throws a BackupError naming the bad field. */
export function parseManifest(text: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BackupError("The backup is damaged: manifest.json is not JSON.");
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BackupError(`The backup's manifest.json is invalid: ${issue.path.join(".") || "manifest"}: ${issue.message}`);
  }
  return parsed.data;
}

/**
 * Compares what was extracted with what the manifest lists: every listed file
 * present with its size and hash, nothing unlisted, the database among them.
 */
export function checkAgainstManifest(manifest: Manifest, extracted: Map<string, { size: number; sha256: string }>): void {
  const listed = new Set<string>();
  for (const f of manifest.files) {
    if (listed.has(f.path)) throw new BackupError(`The backup's manifest lists ${JSON.stringify(f.path)} twice.`);
    listed.add(f.path);
    const got = extracted.get(f.path);
    if (!got) throw new BackupError(`The backup is damaged: ${JSON.stringify(f.path)} is in the manifest but not in the archive.`);
    if (got.size !== f.size || got.sha256 !== f.sha256) {
      throw new BackupError(`The backup is damaged: ${JSON.stringify(f.path)} does not match its SHA-256 in the manifest.`);
    }
  }
  for (const name of extracted.keys()) {
    if (!listed.has(name)) throw new BackupError(`The backup is damaged: ${JSON.stringify(name)} is in the archive but not in the manifest.`);
  }
  if (!listed.has(DB_ENTRY)) throw new BackupError(`The backup holds no database (${DB_ENTRY}).`);
}

/** The file name offered for download, e.g. `berth-backup-2026-11-30T14-05-00Z.tar.gz`. */
export function backupFileName(at: Date, encrypted: boolean): string {
  const stamp = at.toISOString().replace(/\.\d+Z$/, "Z").replace(/:/g, "-");
  return `berth-backup-${stamp}${encrypted ? ".berth-backup" : ".tar.gz"}`;
}
