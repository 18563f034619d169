/**
 * The key the dashboard and the runtime share, and where the runtime listens.
 * Both processes call ensureRuntimeKey on the same data dir at start; whichever
 * comes first creates the key, and the other reads the same one. Imports nothing
 * from dockerode, so server/ may use it.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const KEY_FILE = "runtime.key";
const SOCKET_FILE = "runtime.sock";

export function runtimeKeyPath(dataDir: string): string {
  return path.join(path.resolve(dataDir), KEY_FILE);
}

export function runtimeSocketPath(dataDir: string): string {
  return path.join(path.resolve(dataDir), SOCKET_FILE);
}

/** Returns the shared key, creating `<dataDir>/runtime.key` (0600) if it does not exist yet. */
export function ensureRuntimeKey(dataDir: string): string {
  const dir = path.resolve(dataDir);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keyPath = path.join(dir, KEY_FILE);

  const existing = readKey(keyPath);
  if (existing !== undefined) return existing;

  // Write the whole key to a private temp file first, then link(2) it into place:
  // link fails with EEXIST when another process got there first, so racers never
  // overwrite each other (rename would) and nobody ever reads a half-written file.
  const key = randomBytes(32).toString("base64url");
  const tmp = path.join(dir, `.${KEY_FILE}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  const fd = fs.openSync(tmp, "wx", 0o600);
  try {
    fs.writeSync(fd, key + "\n");
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.linkSync(tmp, keyPath);
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    const winner = readKey(keyPath);
    if (winner === undefined) throw new Error(`${keyPath} exists but holds no key`);
    return winner;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

function readKey(keyPath: string): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(keyPath, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  const key = text.trim();
  if (!/^[A-Za-z0-9_-]{32,}$/.test(key)) {
    throw new Error(`${keyPath} is not a valid Berth runtime key (delete it to generate a new one)`);
  }
  // A key readable by others defeats the point; tighten it if someone loosened it.
  try {
    if ((fs.statSync(keyPath).mode & 0o077) !== 0) fs.chmodSync(keyPath, 0o600);
  } catch {
    // Not ours to change (another owner): the key still works.
  }
  return key;
}
