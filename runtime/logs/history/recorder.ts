/**
 * Keep history: records every line of the chosen containers (by name, by
 * compose project, or all) into the data directory, and answers status, set
 * and search. Recording follows each container with the same LogSource as the
 * viewers (across restarts, no gap, no duplicate) and resumes after a runtime
 * restart from the last recorded stamp. Lines are gathered for FLUSH_MS or
 * FLUSH_BYTES, then compressed and appended off the main thread.
 */
import fs from "node:fs";
import path from "node:path";
import type { ContainerSummary } from "../../engine/protocol";
import type { HistorySearchResult, HistoryStatus, LogSearch } from "../protocol";
import { RuntimeFailure } from "../../engine/errors";
import { resolveContainerRef } from "../../protocol/container-ref";
import type { RuntimeError } from "../../protocol/errors";
import { buildMatcher, FilterError } from "../filter";
import { type LogDeps, PROJECT_LABEL } from "../pipeline";
import { LogSource } from "../source";
import { ContainerStore, safeName } from "./store";

const FLUSH_MS = 1000;
const FLUSH_BYTES = 1 << 20;

interface Settings {
  all: boolean;
  containers: string[];
  projects: string[];
  perContainerCap: number;
  totalCap: number;
}

interface Recording {
  id: string;
  store: ContainerStore;
  source?: LogSource;
  buf: string[];
  bytes: number;
  count: number;
  from: string;
  to: string;
  nAtLast: number;
  timer?: NodeJS.Timeout;
}

export class HistoryRecorder {
  private readonly root: string;
  private settings: Settings;
  private readonly stores = new Map<string, ContainerStore>();
  private readonly recordings = new Map<string, Recording>();
  private unsubscribe?: () => void;

  constructor(private readonly deps: LogDeps, dataDir: string, caps?: { perContainer?: number; total?: number }) {
    this.root = path.join(dataDir, "logs", "history");
    fs.mkdirSync(this.root, { recursive: true });
    const defaults: Settings = { all: false, containers: [], projects: [], perContainerCap: caps?.perContainer ?? 256 << 20, totalCap: caps?.total ?? 2 * 1024 ** 3 };
    try {
      this.settings = { ...defaults, ...(JSON.parse(fs.readFileSync(this.settingsFile(), "utf8")) as Partial<Settings>) };
    } catch {
      this.settings = defaults;
    }
    for (const d of fs.readdirSync(this.root, { withFileTypes: true })) {
      if (d.isDirectory()) {
        const s = new ContainerStore(this.root, d.name, d.name);
        this.stores.set(s.index.container, s);
      }
    }
  }

  start(): void {
    this.unsubscribe = this.deps.events((e) => {
      if (e.action !== "start" || this.recordings.has(e.id)) return;
      // The hub's list may not show it running yet: the event carries name and labels.
      const c = { id: e.id, name: e.attributes.name ?? e.id.slice(0, 12), labels: e.attributes };
      if (this.wanted(c)) this.record(c);
    });
    void this.reconcile();
  }

  stop(): Promise<void> {
    this.unsubscribe?.();
    const all = [...this.recordings.values()].map((r) => this.stopRecording(r));
    return Promise.all(all).then(() => undefined);
  }

  status(): HistoryStatus {
    const usage = [...this.stores.values()].map((s) => ({
      container: s.index.container,
      ...(s.index.project ? { project: s.index.project } : {}),
      ids: s.index.ids,
      bytes: s.bytes,
      lines: s.lines,
      ...(s.index.segments[0] ? { from: s.index.segments[0].from, to: s.index.segments.at(-1)!.to } : {}),
      recording: [...this.recordings.values()].some((r) => r.store === s),
    }));
    return { ...this.settings, totalBytes: usage.reduce((n, u) => n + u.bytes, 0), usage };
  }

  async set(input: { container?: string; project?: string; all?: boolean; enabled: boolean }): Promise<HistoryStatus> {
    const toggle = (list: string[], v: string) => (input.enabled ? [...new Set([...list, v])] : list.filter((x) => x !== v));
    if (input.all !== undefined) this.settings.all = input.enabled && input.all;
    if (input.container) this.settings.containers = toggle(this.settings.containers, input.container);
    if (input.project) this.settings.projects = toggle(this.settings.projects, input.project);
    fs.writeFileSync(this.settingsFile(), JSON.stringify(this.settings, null, 2));
    await this.reconcile();
    return this.status();
  }

  /**
   * The recorded containers `ref` names, by the one reference rule (container-ref.ts) over
   * every id a recorded name has had; all of them without a ref. An ambiguous prefix is refused.
   */
  private storesFor(ref: string | undefined): ContainerStore[] {
    const all = [...this.stores.values()];
    if (!ref) return all;
    const r = resolveContainerRef(ref, all.map((store) => ({ id: store.index.ids.at(-1) ?? "", ids: store.index.ids, name: store.index.container, store })));
    if (r.ok) return [r.container.store];
    if (r.reason === "ambiguous") throw new RuntimeFailure(this.ambiguous(r.message));
    return [];
  }

  /** Why `ref` cannot be searched (an id prefix several recorded containers share), before any answer is sent. */
  refError(ref: string | undefined): RuntimeError | undefined {
    try {
      this.storesFor(ref);
      return undefined;
    } catch (err) {
      if (err instanceof RuntimeFailure) return err.error;
      throw err;
    }
  }

  private ambiguous(message: string): RuntimeError {
    return { code: "BAD_REQUEST", message: `container: ${message}`, field: "container" };
  }

  async search(q: {
    container?: string;
    project?: string;
    search?: LogSearch;
    since?: string;
    until?: string;
    stdout: boolean;
    stderr: boolean;
    limit: number;
  }): Promise<HistorySearchResult> {
    const began = performance.now();
    let match;
    try {
      match = buildMatcher(q.search);
    } catch (err) {
      if (err instanceof FilterError) throw new RuntimeFailure({ code: "BAD_REQUEST", message: err.message, field: "search.q" });
      throw err;
    }
    const since = stamp(q.since);
    const until = stamp(q.until);
    let out: HistorySearchResult["lines"] = [];
    let matches = 0;
    let scanned = 0;
    for (const s of this.storesFor(q.container)) {
      if (q.project && s.index.project !== q.project) continue;
      scanned += await s.scan(since, until, (ts, stream, text) => {
        if ((stream === 0 && !q.stdout) || (stream === 1 && !q.stderr)) return;
        if (match && !match(text)) return;
        matches++;
        out.push([ts, stream, text, s.index.container]);
        if (out.length > q.limit * 2) out = out.slice(-q.limit);
      });
      if (out.length > q.limit) out = out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(-q.limit);
    }
    out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const lines = out.slice(-q.limit);
    return { lines, matches, scanned, truncated: matches > lines.length, tookMs: Math.round(performance.now() - began) };
  }

  /**
   * Writes every recorded line matching `q` to `out` as "<stamp> <container> | <text>", container by
   * container, oldest first; waits for the response to drain between segments (one segment in memory).
   */
  async download(
    q: { container?: string; project?: string; search?: LogSearch; since?: string; until?: string },
    out: { write(s: string): boolean; once(event: "drain", cb: () => void): unknown },
  ): Promise<number> {
    const match = buildMatcher(q.search);
    let n = 0;
    for (const s of this.storesFor(q.container)) {
      if (q.project && s.index.project !== q.project) continue;
      let chunk: string[] = [];
      const flush = async () => {
        if (chunk.length && !out.write(chunk.join(""))) await new Promise<void>((r) => out.once("drain", r));
        chunk = [];
      };
      await s.scan(stamp(q.since), stamp(q.until), (ts, _stream, text) => {
        if (match && !match(text)) return;
        chunk.push(`${ts} ${s.index.container} | ${text}\n`);
        n++;
      }, flush);
      await flush();
    }
    return n;
  }

  private wanted(c: Pick<ContainerSummary, "id" | "name" | "labels">): boolean {
    const project = c.labels[PROJECT_LABEL];
    return this.settings.all || this.settings.containers.includes(c.name) || this.settings.containers.includes(c.id) || (!!project && this.settings.projects.includes(project));
  }

  private async reconcile(): Promise<void> {
    const running = this.deps.list().filter((c) => c.state === "running" || c.state === "restarting" || c.state === "paused");
    for (const c of running) if (this.wanted(c) && !this.recordings.has(c.id)) this.record(c);
    for (const r of [...this.recordings.values()]) {
      const c = this.deps.list().find((x) => x.id === r.id);
      if (c && !this.wanted(c)) await this.stopRecording(r);
    }
  }

  private record(c: Pick<ContainerSummary, "id" | "name" | "labels">): void {
    let store = this.stores.get(c.name);
    if (!store) {
      store = new ContainerStore(this.root, c.name);
      this.stores.set(c.name, store);
    }
    const project = c.labels[PROJECT_LABEL];
    if (project) store.index.project = project;
    if (!store.index.ids.includes(c.id)) store.index.ids.push(c.id);
    store.saveIndex();
    const s = store;
    const rec: Recording = { id: c.id, store: s, buf: [], bytes: 0, count: 0, from: "", to: "", nAtLast: 0 };
    this.recordings.set(c.id, rec);
    void this.ttyOf(c.id).then((tty) => {
      if (this.recordings.get(c.id) !== rec) return;
      rec.source = this.source(c, rec, tty);
      rec.source.start();
    });
  }

  private source(c: Pick<ContainerSummary, "id">, rec: Recording, tty: boolean): LogSource {
    const s = rec.store;
    return new LogSource({
      docker: this.deps.docker,
      id: c.id,
      tty,
      follow: true,
      tail: "all",
      stdout: true,
      stderr: true,
      // Everything after what is already on disk (a runtime restart loses nothing).
      ...(s.index.lastTs ? { after: { ts: s.index.lastTs, n: s.index.ids.at(-1) === c.id ? s.index.nAtLast : 0 } } : {}),
      onEvents: (l) => this.deps.events((e) => e.id === c.id && l(e)),
      onLine: (line) => {
        const row = `${line.ts}\t${line.stream}\t${line.text}\n`;
        if (rec.count === 0) rec.from = line.ts;
        rec.nAtLast = line.ts === rec.to ? rec.nAtLast + 1 : 1;
        rec.to = line.ts;
        rec.buf.push(row);
        rec.bytes += row.length;
        rec.count++;
        if (rec.bytes >= FLUSH_BYTES) void this.flush(rec);
        else rec.timer ??= setTimeout(() => void this.flush(rec), FLUSH_MS);
      },
      onEnd: () => void this.stopRecording(rec),
    });
  }

  private async ttyOf(id: string): Promise<boolean> {
    try {
      return !!(await this.deps.docker.getContainer(id).inspect()).Config.Tty;
    } catch {
      return false;
    }
  }

  private async stopRecording(rec: Recording): Promise<void> {
    if (this.recordings.get(rec.id) !== rec) return;
    this.recordings.delete(rec.id);
    rec.source?.close();
    await this.flush(rec);
  }

  private flush(rec: Recording): Promise<void> {
    clearTimeout(rec.timer);
    rec.timer = undefined;
    if (rec.count === 0) return Promise.resolve();
    const text = rec.buf.join("");
    const { count, from, to, nAtLast } = rec;
    rec.buf = [];
    rec.bytes = 0;
    rec.count = 0;
    return rec.store.append(text, count, from, to, nAtLast).then(() => this.enforceCaps(rec.store));
  }

  private enforceCaps(store: ContainerStore): void {
    store.trimTo(this.settings.perContainerCap);
    let total = [...this.stores.values()].reduce((n, s) => n + s.bytes, 0);
    while (total > this.settings.totalCap) {
      // Oldest segment across every container goes first.
      const oldest = [...this.stores.values()].filter((s) => s.index.segments.length > 1).sort((a, b) => (a.index.segments[0].from < b.index.segments[0].from ? -1 : 1))[0];
      if (!oldest) break;
      total -= oldest.dropOldest();
    }
  }

  private settingsFile(): string {
    return path.join(this.root, "settings.json");
  }
}

/** An ISO time as a recorded stamp (9 fraction digits), so stamps compare as text. */
function stamp(t: string | undefined): string | undefined {
  return t ? new Date(t).toISOString().replace(/\.(\d+)Z$/, (_m, f: string) => `.${f.padEnd(9, "0")}Z`) : undefined;
}

export { safeName };
