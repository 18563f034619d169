/**
 * Reads a backup into a staging folder and proves it whole before anything of
 * Berth's is touched: every entry's name and type checked as it arrives (no
 * absolute paths, no `..`, no links), decrypted with the password when it is
 * encrypted, every file's size and SHA-256 compared with the manifest.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";
import tar from "tar-stream";
import { BackupError, decryptStream, isEncrypted } from "./encryption";
import { checkAgainstManifest, checkEntry, type Manifest, MANIFEST, MANIFEST_MAX_BYTES, MAX_ENTRIES, parseManifest } from "./format";

/** Space left free on the data directory's disk whatever the backup says. */
const DISK_MARGIN = 64 << 20;

export interface Extracted {
  manifest: Manifest;
  /** The staging folder: `db/berth.db` and `files/…` as in the archive. */
  dir: string;
}

function head(file: string): Buffer {
  const b = Buffer.alloc(8);
  const fd = fs.openSync(file, "r");
  try {
    return b.subarray(0, fs.readSync(fd, b, 0, 8, 0));
  } finally {
    fs.closeSync(fd);
  }
}

function freeBytes(dir: string): number {
  try {
    const s = fs.statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** Writes one entry to `to`, hashing it; refuses to go past the disk's free space. */
function fileSink(to: string, budget: { left: number }) {
  const hash = crypto.createHash("sha256");
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _e, done) {
      size += chunk.length;
      budget.left -= chunk.length;
      if (budget.left < 0) return done(new BackupError("Not enough disk space in the data directory to restore this backup."));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  return { counter, out: fs.createWriteStream(to, { mode: 0o600, flags: "wx" }), result: () => ({ size, sha256: hash.digest("hex") }) };
}

/**
 * Extracts `archive` into `dir` (created, must not exist). Throws a BackupError
 * whose message says what is wrong; the caller removes `dir` either way.
 */
export async function extractBackup(archive: string, dir: string, password?: string): Promise<Extracted> {
  const first = head(archive);
  const encrypted = isEncrypted(first);
  if (encrypted && !password) throw new BackupError("This backup is encrypted: enter its backup password.");
  if (!encrypted && !(first[0] === 0x1f && first[1] === 0x8b)) {
    throw new BackupError("This file is not a Berth backup (neither a .tar.gz nor an encrypted .berth-backup).");
  }
  fs.mkdirSync(dir, { mode: 0o700 });
  const extracted = new Map<string, { size: number; sha256: string }>();
  const budget = { left: freeBytes(dir) - DISK_MARGIN };
  let manifestText: string | undefined;
  let entries = 0;

  const extract = tar.extract();
  extract.on("entry", (header, stream, next) => {
    const fail = (err: unknown) => {
      stream.resume();
      extract.destroy(err as Error);
    };
    try {
      if (++entries > MAX_ENTRIES) throw new BackupError(`The backup is refused: more than ${MAX_ENTRIES} entries.`);
      if (checkEntry(header.name, header.type) === "dir") {
        stream.resume();
        return void stream.once("end", () => next());
      }
      if (extracted.has(header.name) || (header.name === MANIFEST && manifestText !== undefined)) {
        throw new BackupError(`The backup is refused: entry ${JSON.stringify(header.name)} appears twice.`);
      }
      if (header.name === MANIFEST) {
        if ((header.size ?? 0) > MANIFEST_MAX_BYTES) throw new BackupError("The backup is refused: manifest.json is too large.");
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.once("error", fail);
        return void stream.once("end", () => {
          manifestText = Buffer.concat(chunks).toString("utf8");
          next();
        });
      }
      const to = path.join(dir, ...header.name.split("/"));
      fs.mkdirSync(path.dirname(to), { recursive: true, mode: 0o700 });
      const sink = fileSink(to, budget);
      pipeline(stream, sink.counter, sink.out).then(() => {
        extracted.set(header.name, sink.result());
        next();
      }, fail);
    } catch (err) {
      fail(err);
    }
  });

  const stages: (NodeJS.ReadableStream | NodeJS.WritableStream)[] = [fs.createReadStream(archive)];
  if (encrypted) stages.push(decryptStream(password!));
  stages.push(zlib.createGunzip(), extract);
  try {
    await pipeline(stages as unknown as [NodeJS.ReadableStream, ...NodeJS.WritableStream[]]);
  } catch (err) {
    if (err instanceof BackupError) throw err;
    const e = err as NodeJS.ErrnoException;
    if (e.code?.startsWith("Z_") || /unexpected end|incorrect header|invalid|checksum|gzip/i.test(e.message)) {
      throw new BackupError(encrypted ? "wrong password or damaged backup" : `The backup is damaged (${e.message}).`);
    }
    throw err;
  }
  if (manifestText === undefined) throw new BackupError("The backup is damaged: it has no manifest.json (it was cut short, or is not a Berth backup).");
  const manifest = parseManifest(manifestText);
  checkAgainstManifest(manifest, extracted);
  return { manifest, dir };
}
