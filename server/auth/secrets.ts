import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * A secret kept in the data directory (mode 0600), created on first start.
 * Written to a temp file and linked into place so two starts cannot disagree.
 */
export function ensureSecretFile(dataDir: string, name: string, bytes = 32): string {
  const file = path.join(dataDir, name);
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, crypto.randomBytes(bytes).toString("base64url"), { mode: 0o600 });
  try {
    fs.linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  return fs.readFileSync(file, "utf8").trim();
}
