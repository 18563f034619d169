/**
 * A streaming tar reader that reads headers exactly as the engine does (Go's
 * archive/tar, which Docker extracts uploads with), so what Berth checks is what
 * the engine writes. tar-stream's reader differs from Go on points an attacker
 * can use (a global PAX `path` applied to later entries, a PAX `size` ignored,
 * data assumed after a symlink header with a size), so headers are read here:
 *   - USTAR `prefix` only for USTAR/PAX headers (131 bytes for star), none for GNU;
 *   - PAX `x` records apply to the next entry only, a later `x` replaces an earlier
 *     one; `path`, `linkpath` and `size` override the header; GNU `L`/`K` override PAX;
 *   - `g` (global) headers are entries of their own (the engine skips them);
 *   - header-only types (links, devices, directories, FIFOs) carry no data whatever
 *     their size field says; data is padded to 512 bytes;
 *   - a header with a bad checksum, one zero block not followed by another, or a
 *     stream that stops inside a block is an error.
 * Memory is bounded: a block at a time, and PAX/GNU records up to MAX_META bytes.
 */

export type TarType = "file" | "link" | "symlink" | "char-device" | "block-device" | "directory" | "fifo" | "pax-global" | "sparse" | "unknown";

export interface TarHeader {
  /** The name as the engine reads it (after PAX and GNU long names). */
  name: string;
  linkname: string;
  type: TarType;
  /** The raw type flag, for messages. */
  typeflag: string;
  /** Bytes of data that follow (0 for header-only types). */
  size: number;
  mode: number;
  /** Seconds since the epoch. */
  mtime: number;
  /** The PAX records that applied to this entry. */
  pax: Record<string, string>;
}

export class TarError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TarError";
  }
}

/** Largest PAX or GNU long-name record accepted (Go allows 1 MB; names are far shorter). */
export const MAX_META = 64 * 1024;

const BLOCK = 512;
const HEADER_ONLY = new Set<TarType>(["link", "symlink", "char-device", "block-device", "directory", "fifo"]);

export interface TarHandlers {
  /** Each entry's header; throwing refuses the archive (the error goes out of write()). */
  entry(header: TarHeader): void;
  /** The current entry's data, in pieces (not copied). */
  data?(chunk: Buffer): void;
}

type State =
  | { kind: "header" }
  | { kind: "meta"; flag: string; left: number; pad: number; parts: Buffer[] }
  | { kind: "data"; left: number; pad: number }
  | { kind: "pad"; left: number }
  | { kind: "zero" }
  | { kind: "end" };

export class TarParser {
  private state: State = { kind: "header" };
  /** A partial block (headers and trailer only; data is never held). */
  private pending: Buffer = Buffer.alloc(0);
  private pax: Record<string, string> | undefined;
  private longName: string | undefined;
  private longLink: string | undefined;
  /** Bytes read so far, for messages. */
  offset = 0;

  constructor(private readonly handlers: TarHandlers) {}

  /** True once the end-of-archive marker (two zero blocks) has been read. */
  get ended(): boolean {
    return this.state.kind === "end";
  }

  write(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length && this.state.kind !== "end") {
      const s = this.state;
      if (s.kind === "data" || s.kind === "pad") {
        const n = Math.min(s.left, chunk.length - at);
        if (s.kind === "data" && n > 0) this.handlers.data?.(chunk.subarray(at, at + n));
        at += n;
        this.offset += n;
        s.left -= n;
        if (s.left === 0) this.state = s.kind === "data" && s.pad > 0 ? { kind: "pad", left: s.pad } : { kind: "header" };
        continue;
      }
      if (s.kind === "meta") {
        const n = Math.min(s.left, chunk.length - at);
        s.parts.push(chunk.subarray(at, at + n));
        at += n;
        this.offset += n;
        s.left -= n;
        if (s.left === 0) {
          this.meta(s.flag, Buffer.concat(s.parts));
          this.state = s.pad > 0 ? { kind: "pad", left: s.pad } : { kind: "header" };
        }
        continue;
      }
      // header or zero: whole blocks
      const need = BLOCK - this.pending.length;
      const n = Math.min(need, chunk.length - at);
      this.pending = this.pending.length === 0 && n === BLOCK ? chunk.subarray(at, at + BLOCK) : Buffer.concat([this.pending, chunk.subarray(at, at + n)]);
      at += n;
      this.offset += n;
      if (this.pending.length < BLOCK) continue;
      const block = this.pending;
      this.pending = Buffer.alloc(0);
      this.block(block);
    }
  }

  /** The stream is over: throws if it stopped inside a block, a record or an entry's data. */
  end(): void {
    const s = this.state;
    if (s.kind === "end") return;
    if (s.kind === "header" && this.pending.length === 0 && !this.pax && this.longName === undefined && this.longLink === undefined) return;
    if (s.kind === "zero" && this.pending.length === 0) return;
    throw new TarError(`the archive is truncated (it stops at byte ${this.offset}, inside ${s.kind === "data" ? "an entry's data" : "a header"})`);
  }

  private block(block: Buffer): void {
    const zero = block.every((b) => b === 0);
    if (this.state.kind === "zero") {
      if (!zero) throw new TarError(`not a valid tar archive: a zero block at byte ${this.offset - 2 * BLOCK} is not followed by another`);
      this.state = { kind: "end" };
      return;
    }
    if (zero) {
      this.state = { kind: "zero" };
      return;
    }
    this.header(block);
  }

  private header(b: Buffer): void {
    if (!checksumOk(b)) throw new TarError(`not a valid tar archive: bad header checksum at byte ${this.offset - BLOCK}`);
    const flagByte = b[156]!;
    const flag = flagByte === 0 ? "\0" : String.fromCharCode(flagByte);
    const size = numeric(b, 124, 12, "size", this.offset);
    const padOf = (n: number) => (BLOCK - (n % BLOCK)) % BLOCK;
    if (flag === "x" || flag === "L" || flag === "K") {
      if (size > MAX_META) throw new TarError(`${flag === "x" ? "a PAX header" : "a GNU long name"} of ${size} bytes is larger than the ${MAX_META}-byte limit`);
      if (size === 0) {
        this.meta(flag, Buffer.alloc(0));
        return;
      }
      this.state = { kind: "meta", flag, left: size, pad: padOf(size), parts: [] };
      return;
    }
    const magic = b.subarray(257, 263).toString("latin1");
    const version = b.subarray(263, 265).toString("latin1");
    let name = cString(b, 0, 100);
    if (magic === "ustar\0" && version === "00") {
      const star = b.subarray(508, 512).toString("latin1") === "tar\0";
      const prefix = cString(b, 345, star ? 131 : 155);
      if (prefix !== "") name = `${prefix}/${name}`;
    }
    let linkname = cString(b, 157, 100);
    let dataSize = size;
    const pax = this.pax ?? {};
    if (flag !== "g") {
      if (pax.path !== undefined) name = pax.path;
      if (pax.linkpath !== undefined) linkname = pax.linkpath;
      if (pax.size !== undefined) {
        if (!/^\d{1,15}$/.test(pax.size)) throw new TarError(`a PAX size record ${JSON.stringify(pax.size.slice(0, 20))} is not a size`);
        dataSize = Number(pax.size);
      }
      if (this.longName !== undefined) name = this.longName;
      if (this.longLink !== undefined) linkname = this.longLink;
      this.pax = undefined;
      this.longName = undefined;
      this.longLink = undefined;
    }
    let type = typeOf(flag);
    // Go: an old-style regular file whose name ends in "/" is a directory.
    if (flag === "\0" && name.endsWith("/")) type = "directory";
    if (HEADER_ONLY.has(type)) dataSize = 0;
    const header: TarHeader = { name, linkname, type, typeflag: flag, size: dataSize, mode: numeric(b, 100, 8, "mode", this.offset) & 0o7777, mtime: numeric(b, 136, 12, "mtime", this.offset), pax };
    if (flag === "g") {
      // A global header's records are its data; the engine skips the entry.
      if (size > MAX_META) throw new TarError(`a PAX global header of ${size} bytes is larger than the ${MAX_META}-byte limit`);
      this.state = size > 0 ? { kind: "meta", flag: "g", left: size, pad: padOf(size), parts: [] } : { kind: "header" };
      this.globalHeader = header;
      if (size === 0) this.handlers.entry(header);
      return;
    }
    this.handlers.entry(header);
    this.state = dataSize > 0 ? { kind: "data", left: dataSize, pad: padOf(dataSize) } : { kind: "header" };
  }

  private globalHeader: TarHeader | undefined;

  private meta(flag: string, data: Buffer): void {
    if (flag === "x") {
      this.pax = parsePax(data);
      return;
    }
    if (flag === "g") {
      const header = this.globalHeader!;
      this.globalHeader = undefined;
      this.handlers.entry({ ...header, pax: parsePax(data) });
      return;
    }
    const text = cString(data, 0, data.length);
    if (flag === "L") this.longName = text;
    else this.longLink = text;
  }
}

function typeOf(flag: string): TarType {
  switch (flag) {
    case "0":
    case "\0":
    case "7":
      return "file";
    case "1":
      return "link";
    case "2":
      return "symlink";
    case "3":
      return "char-device";
    case "4":
      return "block-device";
    case "5":
      return "directory";
    case "6":
      return "fifo";
    case "g":
      return "pax-global";
    case "S":
      return "sparse";
    default:
      return "unknown";
  }
}

/** A NUL-terminated field (Go's parseString), read as UTF-8. */
function cString(b: Buffer, at: number, len: number): string {
  const field = b.subarray(at, at + len);
  const nul = field.indexOf(0);
  return field.subarray(0, nul === -1 ? field.length : nul).toString("utf8");
}

/** An octal field, or base-256 when its first byte has the high bit (GNU). */
function numeric(b: Buffer, at: number, len: number, what: string, offset: number): number {
  const field = b.subarray(at, at + len);
  if (field[0]! & 0x80) {
    if (field[0] === 0xff) throw new TarError(`a negative ${what} in the header at byte ${offset - BLOCK}`);
    let n = field[0]! & 0x7f;
    for (let i = 1; i < field.length; i++) {
      n = n * 256 + field[i]!;
      if (n > Number.MAX_SAFE_INTEGER) throw new TarError(`the ${what} in the header at byte ${offset - BLOCK} is too large`);
    }
    return n;
  }
  const text = field.toString("latin1").replace(/\0.*$/s, "").trim();
  if (text === "") return 0;
  if (!/^[0-7]+$/.test(text)) throw new TarError(`the ${what} field of the header at byte ${offset - BLOCK} is not a number`);
  return parseInt(text, 8);
}

/** Unsigned or signed sum, as Go accepts either. */
function checksumOk(b: Buffer): boolean {
  const want = numericOrNaN(b.subarray(148, 156));
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const v = i >= 148 && i < 156 ? 32 : b[i]!;
    unsigned += v;
    signed += v > 127 ? v - 256 : v;
  }
  return want === unsigned || want === signed;
}

function numericOrNaN(field: Buffer): number {
  const text = field.toString("latin1").replace(/\0.*$/s, "").trim();
  return /^[0-7]+$/.test(text) ? parseInt(text, 8) : NaN;
}

/** PAX records `"%d %s=%s\n"`; malformed ones and NULs where Go refuses them are errors. */
export function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let at = 0;
  while (at < data.length) {
    const sp = data.indexOf(0x20, at);
    if (sp === -1 || sp - at > 20) throw new TarError("a malformed PAX record");
    const len = Number(data.subarray(at, sp).toString("latin1"));
    if (!Number.isInteger(len) || len <= sp - at + 1 || at + len > data.length || data[at + len - 1] !== 0x0a) throw new TarError("a malformed PAX record");
    const record = data.subarray(sp + 1, at + len - 1).toString("utf8");
    const eq = record.indexOf("=");
    if (eq <= 0) throw new TarError("a malformed PAX record");
    const key = record.slice(0, eq);
    const value = record.slice(eq + 1);
    if (key.includes("\0")) throw new TarError("a PAX record's key contains NUL");
    out[key] = value;
    at += len;
  }
  return out;
}
