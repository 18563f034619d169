/**
 * Password encryption of a backup, as a stream: AES-256-GCM in 64 KiB chunks
 * (the STREAM construction: each chunk's nonce is a random prefix, its index and
 * a "last chunk" flag), the key from scrypt(password, random salt). Memory stays
 * at one chunk whatever the archive's size; a chunk reordered, dropped, altered,
 * or the end cut off fails authentication.
 *
 * File layout (`.berth-backup`):
 *   header: "BERTHBK1" | log2(N) u8 | r u8 | p u8 | salt 16 | nonce prefix 7     (34 bytes, also every chunk's AAD)
 *   chunks: plaintext length u32 BE | ciphertext | GCM tag 16
 */
import crypto from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";

export const MAGIC = Buffer.from("BERTHBK1");
export const HEADER_BYTES = MAGIC.length + 3 + 16 + 7;
export const CHUNK_BYTES = 64 * 1024;
const TAG_BYTES = 16;
/** scrypt cost: N = 2^15, r = 8 (32 MiB, about 100 ms), as OWASP suggests. */
const LOG_N = 15;
const R = 8;
const P = 1;

export const DECRYPT_FAILED = "wrong password or damaged backup";

/** A backup that cannot be read: the message is shown as is. */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackupError";
  }
}

function deriveKey(password: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    crypto.scrypt(password.normalize("NFC"), salt, 32, { N: 2 ** logN, r, p, maxmem: 256 * 2 ** logN * r + (1 << 20) }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

function nonce(prefix: Buffer, index: number, last: boolean): Buffer {
  const n = Buffer.alloc(12);
  prefix.copy(n, 0);
  n.writeUInt32BE(index, 7);
  n[11] = last ? 1 : 0;
  return n;
}

/** Whether a file starts like an encrypted backup. */
export function isEncrypted(head: Buffer): boolean {
  return head.length >= MAGIC.length && head.subarray(0, MAGIC.length).equals(MAGIC);
}

/** Encrypts what is written into it; the key is derived before the first byte goes out. */
export function encryptStream(password: string): Transform {
  const salt = crypto.randomBytes(16);
  const prefix = crypto.randomBytes(7);
  const header = Buffer.concat([MAGIC, Buffer.from([LOG_N, R, P]), salt, prefix]);
  const keyPromise = deriveKey(password, salt, LOG_N, R, P);
  let key: Buffer | undefined;
  let pending: Buffer = Buffer.alloc(0);
  let index = 0;

  const seal = (plain: Buffer, last: boolean): Buffer => {
    const cipher = crypto.createCipheriv("aes-256-gcm", key!, nonce(prefix, index++, last));
    cipher.setAAD(header);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(plain.length);
    return Buffer.concat([len, body, cipher.getAuthTag()]);
  };

  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      const go = () => {
        pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
        // Keep at least one byte back: the last chunk must be sealed as last, in flush.
        while (pending.length > CHUNK_BYTES) {
          this.push(seal(pending.subarray(0, CHUNK_BYTES), false));
          pending = pending.subarray(CHUNK_BYTES);
        }
        done();
      };
      if (key) return go();
      keyPromise.then((k) => {
        key = k;
        this.push(header);
        go();
      }, done);
    },
    flush(done: TransformCallback) {
      keyPromise.then((k) => {
        if (!key) {
          key = k;
          this.push(header);
        }
        this.push(seal(pending, true));
        done();
      }, done);
    },
  });
}

/**
 * Decrypts an encrypted backup. Any authentication failure, a bad header or a
 * missing last chunk errors with "wrong password or damaged backup".
 */
export function decryptStream(password: string): Transform {
  let buf: Buffer = Buffer.alloc(0);
  let header: Buffer | undefined;
  let prefix: Buffer | undefined;
  let key: Buffer | undefined;
  let index = 0;
  let finished = false;
  const fail = () => new BackupError(DECRYPT_FAILED);

  /** Opens every complete chunk in `buf`. */
  const drain = (push: (b: Buffer) => void) => {
    while (buf.length >= 4) {
      const len = buf.readUInt32BE(0);
      if (len > CHUNK_BYTES || finished) throw fail();
      const total = 4 + len + TAG_BYTES;
      if (buf.length < total) return;
      const body = buf.subarray(4, 4 + len);
      const tag = buf.subarray(4 + len, total);
      // A short chunk can only be the last; a full one may be either (the plaintext's size can be a multiple of the chunk).
      const candidates = len < CHUNK_BYTES ? [true] : [false, true];
      let plain: Buffer | undefined;
      for (const last of candidates) {
        try {
          const d = crypto.createDecipheriv("aes-256-gcm", key!, nonce(prefix!, index, last));
          d.setAAD(header!);
          d.setAuthTag(tag);
          plain = Buffer.concat([d.update(body), d.final()]);
          finished = last;
          break;
        } catch {
          // not this flag, or not authentic
        }
      }
      if (!plain) throw fail();
      index++;
      buf = buf.subarray(total);
      push(plain);
    }
  };

  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      if (!header) {
        if (buf.length < HEADER_BYTES) return done();
        header = Buffer.from(buf.subarray(0, HEADER_BYTES));
        if (!isEncrypted(header)) return done(fail());
        const [logN, r, p] = [header[8]!, header[9]!, header[10]!];
        // Bounded, so a crafted header cannot make scrypt take gigabytes or minutes.
        if (logN < 10 || logN > 20 || r < 1 || r > 16 || p < 1 || p > 4) return done(fail());
        prefix = header.subarray(27, 34);
        buf = buf.subarray(HEADER_BYTES);
        deriveKey(password, header.subarray(11, 27), logN, r, p).then((k) => {
          key = k;
          try {
            drain((b) => this.push(b));
            done();
          } catch (err) {
            done(err as Error);
          }
        }, () => done(fail()));
        return;
      }
      try {
        drain((b) => this.push(b));
        done();
      } catch (err) {
        done(err as Error);
      }
    },
    flush(done: TransformCallback) {
      // Cut short: no header, a partial chunk, or no chunk marked last.
      done(!key || buf.length || !finished ? fail() : undefined);
    },
  });
}
