/**
 * Recorded log lines on disk, one folder per container name (a recreated
 * container keeps its name, so its history continues). Lines are appended as
 * gzip members to segment files (`<n>.log.gz`, "ts\tstream\ttext\n"); a segment
 * is closed at SEGMENT_BYTES and index.json keeps each segment's first/last
 * stamp and counts, so a time-ranged search opens only the segments it needs.
 * Caps are enforced by deleting whole segments, oldest first. See ../HISTORY.md
 * for why segments rather than SQLite FTS5.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import zlib from "node:zlib";

const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip);
/** The longest a scan holds the event loop before letting other calls in. */
const SCAN_SLICE_MS = 20;
/** ~6 MB of text: what one search step holds in memory. */
export const SEGMENT_BYTES = 1 << 20;

export interface Segment {
  n: number;
  from: string;
  to: string;
  lines: number;
  bytes: number;
}

export interface StoreIndex {
  container: string;
  project?: string;
  ids: string[];
  segments: Segment[];
  /** Last stamp recorded and how many lines carry it: where recording resumes. */
  lastTs?: string;
  nAtLast: number;
}

/** Docker's own container-name rule, so a real container's folder is its name. */
const plainName = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,199}$/;

/**
 * The folder for a container name. A name Docker would accept is used as it is;
 * anything else (`.`, `..`, a `/`, too long) becomes `_` + a readable part + a
 * hash of the whole name: it cannot step out of the history folder, and it cannot
 * be another container's folder (no Docker name starts with `_`; two odd names
 * would need the same 64-bit hash).
 */
export function safeName(name: string): string {
  if (plainName.test(name)) return name;
  const readable = name.replace(/[^a-zA-Z0-9_-]/g, "_").slice(0, 60);
  return `_${readable}-${createHash("sha256").update(name).digest("hex").slice(0, 16)}`;
}

export class ContainerStore {
  readonly dir: string;
  index: StoreIndex;
  private chain: Promise<void> = Promise.resolve();

  /** `folder`: an existing folder under root, as found on disk (older versions named some differently). */
  constructor(root: string, container: string, folder = safeName(container)) {
    this.dir = path.join(root, folder);
    fs.mkdirSync(this.dir, { recursive: true });
    try {
      this.index = JSON.parse(fs.readFileSync(path.join(this.dir, "index.json"), "utf8")) as StoreIndex;
    } catch {
      this.index = { container, ids: [], segments: [], nAtLast: 0 };
    }
  }

  get bytes(): number {
    return this.index.segments.reduce((n, s) => n + s.bytes, 0);
  }

  get lines(): number {
    return this.index.segments.reduce((n, s) => n + s.lines, 0);
  }

  /** Appends lines (already in order); gzip runs off the main thread, appends are serialised. */
  append(text: string, count: number, from: string, to: string, nAtLast: number): Promise<void> {
    this.chain = this.chain.then(async () => {
      const data = await gzip(text, { level: 1 });
      let seg = this.index.segments.at(-1);
      if (!seg || seg.bytes >= SEGMENT_BYTES) {
        seg = { n: (seg?.n ?? 0) + 1, from, to, lines: 0, bytes: 0 };
        this.index.segments.push(seg);
      }
      await fs.promises.appendFile(this.file(seg), data);
      seg.bytes += data.length;
      seg.lines += count;
      seg.to = to;
      this.index.nAtLast = to === this.index.lastTs ? this.index.nAtLast + nAtLast : nAtLast;
      this.index.lastTs = to;
      this.saveIndex();
    });
    return this.chain;
  }

  /** Drops oldest segments until at most `cap` bytes remain; returns bytes freed. */
  trimTo(cap: number): number {
    let freed = 0;
    while (this.index.segments.length > 1 && this.bytes > cap) freed += this.dropOldest();
    return freed;
  }

  dropOldest(): number {
    const seg = this.index.segments.shift();
    if (!seg) return 0;
    fs.rmSync(this.file(seg), { force: true });
    this.saveIndex();
    return seg.bytes;
  }

  /** Calls `line` for every recorded line in [since, until], oldest first. */
  async scan(
    since: string | undefined,
    until: string | undefined,
    line: (ts: string, stream: 0 | 1, text: string) => void,
    /** Called after each segment (a download waits for its reader here). */
    afterSegment?: () => Promise<void>,
  ): Promise<number> {
    await this.chain;
    let scanned = 0;
    let slice = performance.now();
    for (const seg of [...this.index.segments]) {
      if ((since && seg.to < since) || (until && seg.from > until)) continue;
      let text: string;
      try {
        text = (await gunzip(await fs.promises.readFile(this.file(seg)))).toString("utf8");
      } catch {
        continue; // dropped by the cap meanwhile
      }
      let i = 0;
      while (i < text.length) {
        let nl = text.indexOf("\n", i);
        if (nl < 0) nl = text.length;
        const t1 = text.indexOf("\t", i);
        const ts = text.slice(i, t1);
        scanned++;
        if ((!since || ts >= since) && (!until || ts <= until)) line(ts, text.charCodeAt(t1 + 1) === 49 ? 1 : 0, text.slice(t1 + 3, nl));
        i = nl + 1;
        // A segment holds up to a megabyte of lines: let other calls in between.
        if ((scanned & 1023) === 0 && performance.now() - slice > SCAN_SLICE_MS) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          slice = performance.now();
        }
      }
      await afterSegment?.();
    }
    return scanned;
  }

  saveIndex(): void {
    const tmp = path.join(this.dir, "index.json.tmp");
    fs.writeFileSync(tmp, JSON.stringify(this.index));
    fs.renameSync(tmp, path.join(this.dir, "index.json"));
  }

  private file(seg: Segment): string {
    return path.join(this.dir, `${seg.n}.log.gz`);
  }
}
