/**
 * Writes a backup as a stream while Berth runs: the database through SQLite's
 * online backup API (a consistent snapshot, taken a few pages at a time so the
 * dashboard keeps writing meanwhile), the data directory's other files read up to
 * the size they had when listed, a manifest of sizes and SHA-256 last; gzipped,
 * and encrypted when a password is given. Snapshots go to a temp folder in the
 * data directory, removed when the stream ends however it ends.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { PassThrough, type Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";
import Database from "better-sqlite3";
import tar from "tar-stream";
import { encryptStream } from "./encryption";
import { berthVersion, latestMigration } from "./migrations";
import { backupFileName, DB_ENTRY, excludedPath, FILES_PREFIX, FORMAT_VERSION, type Manifest, MANIFEST } from "./format";

export interface BackupOptions {
  dataDir: string;
  /** The live database file (DATABASE_URL's, or berth.db in the data directory). */
  dbFile: string;
  includeHistory: boolean;
  password?: string;
}

export interface Backup {
  stream: Readable;
  fileName: string;
  /** Resolves when the archive is fully written (or rejects with why it stopped). */
  done: Promise<Manifest>;
}

interface Source {
  /** The name in the archive. */
  name: string;
  file: string;
  size: number;
  mtime: Date;
}

const SQLITE_HEADER = Buffer.from("SQLite format 3\0");

function isSqlite(file: string): boolean {
  const head = Buffer.alloc(16);
  const fd = fs.openSync(file, "r");
  try {
    return fs.readSync(fd, head, 0, 16, 0) === 16 && head.equals(SQLITE_HEADER);
  } finally {
    fs.closeSync(fd);
  }
}

/** A consistent copy of a live SQLite file (other processes keep writing meanwhile). */
async function snapshot(file: string, to: string): Promise<void> {
  const src = new Database(file, { readonly: true, fileMustExist: true, timeout: 5000 });
  try {
    await src.backup(to);
  } finally {
    src.close();
  }
}

/** Every regular file of the data directory a backup holds, as posix paths relative to it. */
export function dataFiles(dataDir: string, includeHistory: boolean): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const d of fs.readdirSync(path.join(dataDir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${d.name}` : d.name;
      // Folders are walked whatever their name; their files are judged one by one.
      if (d.isDirectory()) {
        if (!excludedPath(`${r}/x`, includeHistory)) walk(r);
      } else if (d.isFile() && !excludedPath(r, includeHistory)) {
        out.push(r);
      }
      // Symbolic links, sockets and devices are never followed nor kept.
    }
  };
  walk("");
  return out.sort();
}

/** Counts and hashes what passes through. */
function measure() {
  const hash = crypto.createHash("sha256");
  let size = 0;
  const t = new Transform({
    transform(chunk: Buffer, _e, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  return { t, result: () => ({ size, sha256: hash.digest("hex") }) };
}

async function addFile(pack: tar.Pack, src: Source, reading: { current?: Readable }): Promise<{ size: number; sha256: string }> {
  const header = { name: src.name, size: src.size, mode: 0o600, mtime: src.mtime, type: "file" as const };
  if (src.size === 0) {
    pack.entry(header, Buffer.alloc(0));
    return { size: 0, sha256: crypto.createHash("sha256").digest("hex") };
  }
  const m = measure();
  const entry = pack.entry(header);
  // Up to the size it had when listed: a file that grows meanwhile (a recording) is cut there.
  const read = (reading.current = fs.createReadStream(src.file, { start: 0, end: src.size - 1 }));
  await pipeline(read, m.t, entry);
  const r = m.result();
  if (r.size !== src.size) throw new Error(`${src.name} shrank while it was backed up; try again`);
  return r;
}

export async function createBackup(opts: BackupOptions): Promise<Backup> {
  const tmp = fs.mkdtempSync(path.join(opts.dataDir, ".backup-"));
  const cleanup = () => fs.rmSync(tmp, { recursive: true, force: true });
  const createdAt = new Date();
  const out = new PassThrough();
  let sources: Source[];
  let migration: string;
  try {
    const dbCopy = path.join(tmp, "berth.db");
    await snapshot(opts.dbFile, dbCopy);
    migration = latestMigration(dbCopy);
    const stat = (file: string) => fs.statSync(file);
    sources = [{ name: DB_ENTRY, file: dbCopy, size: stat(dbCopy).size, mtime: createdAt }];
    let n = 0;
    for (const rel of dataFiles(opts.dataDir, opts.includeHistory)) {
      let file = path.join(opts.dataDir, rel);
      // Another process's live database (the runtime's stats history): copied as a snapshot, never torn.
      if (rel.endsWith(".db") && isSqlite(file)) {
        const copy = path.join(tmp, `db-${n++}.db`);
        await snapshot(file, copy);
        file = copy;
      }
      const s = stat(file);
      sources.push({ name: FILES_PREFIX + rel, file, size: s.size, mtime: s.mtime });
    }
  } catch (err) {
    cleanup();
    throw err;
  }

  const pack = tar.pack();
  const gzip = zlib.createGzip({ level: 6 });
  const tail = opts.password ? encryptStream(opts.password) : undefined;
  const piped = tail ? pipeline(pack, gzip, tail, out) : pipeline(pack, gzip, out);
  piped.catch(() => undefined);
  const reading: { current?: Readable } = {};

  const write = async (): Promise<Manifest> => {
    const files: Manifest["files"] = [];
    for (const src of sources) files.push({ path: src.name, ...(await addFile(pack, src, reading)) });
    const manifest: Manifest = { format: FORMAT_VERSION, berthVersion: berthVersion(), migration, createdAt: createdAt.toISOString(), includesHistory: opts.includeHistory, files };
    const body = Buffer.from(JSON.stringify(manifest, null, 2));
    pack.entry({ name: MANIFEST, size: body.length, mode: 0o600, mtime: createdAt }, body);
    pack.finalize();
    await piped;
    return manifest;
  };
  const done = write().finally(cleanup);
  done.catch((err: Error) => out.destroy(err));
  // Nobody reads any more (the browser went away): stop writing.
  out.on("close", () => {
    if (out.readableEnded) return;
    const stop = new Error("the download was stopped");
    reading.current?.destroy(stop);
    pack.destroy(stop);
  });
  return { stream: out, fileName: backupFileName(createdAt, !!opts.password), done };
}
