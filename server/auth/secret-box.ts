/**
 * Encryption at rest of secrets Berth must read back (TOTP secrets), with
 * AES-256-GCM under a key kept in the data directory (`totp.key`, 0600),
 * never in the database: a copy of berth.db alone does not give them away.
 *
 * Sealed form: `v1.<iv>.<tag>.<ciphertext>`, each base64url. The purpose is
 * bound as associated data, so a value sealed for one use does not open as another.
 */
import crypto from "node:crypto";
import { ensureSecretFile } from "./secrets";

const KEY_FILE = "totp.key";

/**
 * The data directory's key (created on first use); `dataDir` defaults to the
 * one server/main.ts settled. Read on each use, not cached: uses are rare
 * (enrolment, sign-in), and a restored backup brings its own key file.
 */
function key(dataDir = process.env.BERTH_DATA_DIR): Buffer {
  if (!dataDir) throw new Error("BERTH_DATA_DIR is not set: the encryption key lives in the data directory");
  const raw = Buffer.from(ensureSecretFile(dataDir, KEY_FILE, 32), "base64url");
  // Whatever the file holds, the cipher gets exactly 32 bytes.
  return raw.length === 32 ? raw : crypto.createHash("sha256").update(raw).digest();
}

export function seal(plain: string, purpose: string, dataDir?: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key(dataDir), iv);
  cipher.setAAD(Buffer.from(purpose));
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), body].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

/** The plain text, or null when the value is not ours, was altered, or was sealed under another key or purpose. */
export function open(sealed: string, purpose: string, dataDir?: string): string | null {
  const [v, iv, tag, body] = sealed.split(".");
  if (v !== "v1" || !iv || !tag || body === undefined) return null;
  try {
    const decipher = crypto.createDecipheriv("aes-256-gcm", key(dataDir), Buffer.from(iv, "base64url"), { authTagLength: 16 });
    decipher.setAAD(Buffer.from(purpose));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
