/**
 * Turns Docker's log stream (always requested with timestamps=1) into whole lines.
 *
 * Non-TTY containers: the body is Docker's 8-byte framed stream (stream type,
 * 3 zero bytes, big-endian length). The daemon writes one frame per log message,
 * so a frame is "<RFC3339Nano> <message>"; the logging driver splits lines longer
 * than 16 KB into partial messages without a trailing "\n", each with its own
 * timestamp: we join them (keeping the first timestamp) so long lines stay intact.
 * Frames may be split anywhere across HTTP chunks; bytes are buffered and decoded
 * as UTF-8 only once a line is whole, so a character cut by a chunk boundary (or
 * by the driver's 16 KB split) is never mangled.
 *
 * TTY containers: the body is raw, no frames. Messages are "<ts> <text>\n"; a
 * partial one (the driver splits whatever it read without a newline) is followed
 * directly by the next message's stamp, which we recognise by Docker's fixed
 * 9-digit format. A TTY program printing exactly that format mid-line would be
 * cut there: the price of a stream without frames.
 */

export type StreamKind = 0 | 1; // 0 stdout, 1 stderr

export interface ParsedLine {
  /** Docker's RFC3339Nano stamp, fixed width (e.g. 2026-11-23T14:33:39.123456789Z): sorts as text. */
  ts: string;
  stream: StreamKind;
  /** The line without its "\n" (a TTY's "\r" is kept: the download stays byte-exact). */
  text: string;
}

/** Docker's own fixed-width stamp (always 9 digits, UTC) followed by a space. */
const MARK_RE = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z /g;

const EMPTY = Buffer.alloc(0);

interface Pending {
  ts: string;
  parts: Buffer[];
}

export class DockerLogParser {
  private buf: Buffer = Buffer.alloc(0);
  private readonly pending: [Pending | undefined, Pending | undefined] = [undefined, undefined];

  constructor(
    private readonly tty: boolean,
    private readonly onLine: (line: ParsedLine) => void,
  ) {}

  push(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    if (this.tty) this.drainRaw(false);
    else this.drainFrames();
  }

  /** End of stream: a last line without "\n" is still a line. */
  end(): void {
    if (this.tty) this.drainRaw(true);
    this.buf = Buffer.alloc(0);
    for (const s of [0, 1] as const) {
      const p = this.pending[s];
      if (p) this.emit(s, p);
      this.pending[s] = undefined;
    }
  }

  private drainFrames(): void {
    let off = 0;
    const b = this.buf;
    while (b.length - off >= 8) {
      const size = b.readUInt32BE(off + 4);
      if (b.length - off - 8 < size) break;
      const stream: StreamKind = b[off] === 2 ? 1 : 0;
      this.message(stream, b.subarray(off + 8, off + 8 + size));
      off += 8 + size;
    }
    // Copy the remainder so the big chunk it came from can be collected.
    this.buf = off === 0 ? b : off === b.length ? EMPTY : Buffer.from(b.subarray(off));
  }

  /** One Docker log message: "<ts> <bytes>", ending in "\n" unless partial. */
  private message(stream: StreamKind, msg: Buffer): void {
    const sp = msg.indexOf(0x20);
    const ts = sp > 0 ? msg.toString("latin1", 0, sp) : "";
    const body = sp > 0 ? msg.subarray(sp + 1) : msg;
    const whole = body.length > 0 && body[body.length - 1] === 0x0a;
    let p = this.pending[stream];
    if (whole && !p) {
      // The common case, a whole line in one message: decode straight from the chunk.
      this.onLine({ ts, stream, text: body.toString("utf8", 0, body.length - 1) });
      return;
    }
    if (!p) p = this.pending[stream] = { ts, parts: [] };
    p.parts.push(whole ? body.subarray(0, body.length - 1) : body);
    if (whole) {
      this.pending[stream] = undefined;
      this.emit(stream, p);
    }
  }

  private drainRaw(final: boolean): void {
    const b = this.buf;
    // latin1: one char per byte, so string offsets are byte offsets.
    const s = b.toString("latin1");
    let off = 0;
    for (;;) {
      let p = this.pending[0];
      if (!p) {
        const sp = s.indexOf(" ", off);
        if (sp < 0 || sp - off > 40) {
          if (final && off < b.length) this.emit(0, { ts: "", parts: [b.subarray(off)] });
          if (final) off = b.length;
          break;
        }
        p = this.pending[0] = { ts: s.slice(off, sp), parts: [] };
        off = sp + 1;
      }
      const nl = s.indexOf("\n", off);
      MARK_RE.lastIndex = off;
      const mark = MARK_RE.exec(s);
      if (mark && (nl < 0 || mark.index < nl)) {
        // The driver split a long line: the next message's stamp follows mid-line.
        p.parts.push(b.subarray(off, mark.index));
        off = mark.index + mark[0].length;
        continue;
      }
      if (nl < 0) {
        if (final) {
          if (off < b.length) p.parts.push(b.subarray(off));
          off = b.length;
        }
        break;
      }
      p.parts.push(b.subarray(off, nl));
      off = nl + 1;
      this.pending[0] = undefined;
      this.emit(0, p);
    }
    this.buf = Buffer.from(b.subarray(off));
  }

  private emit(stream: StreamKind, p: Pending): void {
    const bytes = p.parts.length === 1 ? p.parts[0] : Buffer.concat(p.parts);
    this.onLine({ ts: p.ts, stream, text: bytes.toString("utf8") });
  }
}

/** "2026-…T…123456789Z" → "seconds.nanos" as the Engine API's since/until accept it. */
export function tsToDockerTime(ts: string): string {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(ts);
  if (!m) {
    const ms = Date.parse(ts);
    if (Number.isNaN(ms)) throw new Error(`not a time: ${ts}`);
    return (ms / 1000).toFixed(3);
  }
  const secs = Math.floor(Date.parse(`${m[1]}${m[3]}`) / 1000);
  return `${secs}.${(m[2] ?? "").padEnd(9, "0")}`;
}
