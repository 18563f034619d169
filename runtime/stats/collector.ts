/**
 * One engine stats stream per container, shared by everyone who wants its
 * figures: the first watcher opens it (`GET /containers/{id}/stats?stream=1`),
 * later ones share it, and it is kept GRACE_MS after the last one leaves (a
 * page reloading does not reopen it). Each container keeps its last 15 minutes
 * (RING samples at the engine's 1 s) so a chart opened late is full at once.
 *
 * Container starts, deaths and removals come from the events hub: a dead
 * container's stream is closed (the engine would only send empty readings),
 * reopened on start while watched; a removed one ends its watchers.
 *
 * `watchAll` is every running container at once (the list, the home): one
 * compact frame a second for all, encoded once for every such watcher.
 *
 * Nothing here may throw into an engine stream's callbacks: a bad line is
 * skipped, a failed stream is retried while someone watches.
 */
import type { Readable } from "node:stream";
import type Docker from "dockerode";
import type { EventsHub } from "../engine/events-hub";
import type { ContainerSummary } from "../engine/protocol";
import { computeSample, type EngineStats, isEmptyReading } from "./compute";
import type { StatsBrief, StatsFrame, StatsSample } from "./protocol";

/** 15 minutes of the engine's one reading a second. */
export const RING = 900;
const GRACE_MS = 15_000;
const RETRY_MS = 1_000;
const ALL_EVERY_MS = 1_000;
/** An engine line longer than this is not a stats reading: dropped, not buffered on. */
const MAX_LINE = 1 << 20;

export interface Watcher {
  /** `json` is the `sample` frame, encoded once for every watcher. */
  sample?(sample: StatsSample, json: string): void;
  state?(running: boolean): void;
  /** The container was removed; nothing follows. */
  end?(): void;
}

/** Gets every reading of every collected container (the history), and hears when one stops being collected. */
export interface SampleSink {
  add(id: string, name: string, sample: StatsSample): void;
  close(id: string): void;
}

interface Entry {
  id: string;
  name: string;
  running: boolean;
  ring: StatsSample[];
  watchers: Set<Watcher>;
  stream?: Readable;
  /** The engine has been asked for a stream and has not answered yet: nobody asks again meanwhile. */
  opening?: boolean;
  /** Bumped whenever a stream is opened or dropped: callbacks of an older one do nothing. */
  epoch: number;
  grace?: NodeJS.Timeout;
  retry?: NodeJS.Timeout;
}

const isUp = (c: ContainerSummary | undefined) => c?.state === "running" || c?.state === "paused";

export class StatsCollector {
  private readonly entries = new Map<string, Entry>();
  private readonly allWatchers = new Set<(json: string) => void>();
  /** The watcher each container has while `all` watchers exist. */
  private readonly allSink: Watcher = {};
  private allTimer?: NodeJS.Timeout;
  private unsubscribe?: () => void;
  /** Engine streams opened since start. */
  opened = 0;

  constructor(
    private readonly docker: Docker,
    private readonly hub: EventsHub,
    private readonly sink?: SampleSink,
  ) {}

  start(): void {
    this.unsubscribe = this.hub.subscribe((frame) => {
      try {
        if (frame.type === "containers.snapshot") this.resync(frame.containers);
        else if (frame.type === "container.upsert") this.onSummary(frame.container);
        else if (frame.type === "container.remove") this.onRemoved(frame.id);
      } catch (err) {
        console.error(`berth runtime: stats: ${(err as Error)?.message ?? String(err)}`);
      }
    });
  }

  stop(): void {
    this.unsubscribe?.();
    clearInterval(this.allTimer);
    for (const e of this.entries.values()) this.drop(e);
    this.entries.clear();
  }

  /** Containers with an engine stream open now. */
  streams(): string[] {
    return [...this.entries.values()].filter((e) => e.stream).map((e) => e.id);
  }

  /** The container's kept samples, oldest first (none when it is not collected). */
  ring(id: string): StatsSample[] {
    return this.entries.get(id)?.ring.slice() ?? [];
  }

  /** Starts (or shares) the collection of one container, by full id. Returns the unwatch. */
  watch(summary: ContainerSummary, w: Watcher): () => void {
    let e = this.entries.get(summary.id);
    if (!e) {
      e = { id: summary.id, name: summary.name, running: isUp(summary), ring: [], watchers: new Set(), epoch: 0 };
      this.entries.set(e.id, e);
    }
    const entry = e;
    clearTimeout(entry.grace);
    entry.grace = undefined;
    entry.watchers.add(w);
    if (entry.running && !entry.stream && !entry.opening && !entry.retry) this.open(entry);
    return () => this.leave(entry, w);
  }

  /** A watcher leaves; the last one starts the grace period, after which the stream is closed and the samples forgotten. */
  private leave(entry: Entry, w: Watcher) {
    if (!entry.watchers.delete(w) || entry.watchers.size > 0) return;
    clearTimeout(entry.grace);
    entry.grace = setTimeout(() => {
      if (entry.watchers.size > 0 || this.entries.get(entry.id) !== entry) return;
      this.drop(entry);
      this.entries.delete(entry.id);
    }, GRACE_MS);
    entry.grace.unref();
  }

  /** Every running container, one `all` frame a second (the first at once). Returns the unwatch. */
  watchAll(send: (json: string) => void): () => void {
    const first = this.allWatchers.size === 0;
    this.allWatchers.add(send);
    if (first) {
      for (const c of this.hub.list()) if (isUp(c)) this.watch(c, this.allSink);
      this.allTimer = setInterval(() => this.tickAll(), ALL_EVERY_MS);
    }
    send(this.allFrame());
    return () => {
      if (!this.allWatchers.delete(send) || this.allWatchers.size > 0) return;
      clearInterval(this.allTimer);
      this.allTimer = undefined;
      for (const e of [...this.entries.values()]) if (e.watchers.has(this.allSink)) this.leave(e, this.allSink);
    };
  }

  private allFrame(): string {
    const stats: Record<string, StatsBrief> = {};
    for (const e of this.entries.values()) {
      const last = e.ring[e.ring.length - 1];
      if (e.running && last && e.watchers.has(this.allSink)) stats[e.id] = [round(last.cpu), last.mem, last.memLimit];
    }
    return JSON.stringify({ type: "all", t: Date.now(), stats } satisfies StatsFrame);
  }

  private tickAll() {
    const json = this.allFrame();
    for (const send of this.allWatchers) {
      try {
        send(json);
      } catch {
        // One watcher's socket failing is its own.
      }
    }
  }

  private open(e: Entry) {
    const epoch = ++e.epoch;
    this.opened++;
    e.opening = true;
    const container = this.docker.getContainer(e.id);
    container.stats({ stream: true }).then(
      (stream) => {
        const s = stream as unknown as Readable;
        if (e.epoch === epoch) e.opening = false;
        if (e.epoch !== epoch || this.entries.get(e.id) !== e) return void s.destroy();
        e.stream = s;
        let buf = "";
        s.setEncoding("utf8");
        s.on("data", (chunk: string) => {
          if (e.epoch !== epoch) return;
          buf += chunk;
          let nl;
          while ((nl = buf.indexOf("\n")) >= 0) {
            const line = buf.slice(0, nl);
            buf = buf.slice(nl + 1);
            try {
              this.onLine(e, line);
            } catch (err) {
              // A reading of an unexpected shape is skipped; the stream goes on.
              console.error(`berth runtime: stats of ${e.name}: ${(err as Error)?.message ?? String(err)}`);
            }
          }
          if (buf.length > MAX_LINE) buf = "";
        });
        s.on("error", () => undefined);
        s.on("close", () => this.streamEnded(e, epoch));
      },
      () => {
        if (e.epoch === epoch) e.opening = false;
        this.streamEnded(e, epoch);
      },
    );
  }

  /** The engine's stream ended (engine restart, container gone, an error): reopened while watched and running. */
  private streamEnded(e: Entry, epoch: number) {
    if (e.epoch !== epoch) return;
    e.stream = undefined;
    if (this.entries.get(e.id) !== e || e.watchers.size === 0 || !e.running || e.retry) return;
    e.retry = setTimeout(() => {
      e.retry = undefined;
      if (this.entries.get(e.id) === e && e.watchers.size > 0 && e.running && !e.stream && !e.opening) this.open(e);
    }, RETRY_MS);
    e.retry.unref();
  }

  private onLine(e: Entry, line: string) {
    if (!line.trim()) return;
    let v: EngineStats;
    try {
      v = JSON.parse(line) as EngineStats;
    } catch {
      return;
    }
    if (typeof v !== "object" || v === null || isEmptyReading(v)) return;
    const sample = computeSample(v, Date.now());
    e.ring.push(sample);
    if (e.ring.length > RING) e.ring.splice(0, e.ring.length - RING);
    // Encoded once, and only when a one-container view wants it (the `all` watchers read the ring).
    let json: string | undefined;
    for (const w of e.watchers) {
      if (!w.sample) continue;
      try {
        w.sample(sample, (json ??= JSON.stringify({ type: "sample", sample } satisfies StatsFrame)));
      } catch {
        // A watcher's failure is its own.
      }
    }
    try {
      this.sink?.add(e.id, e.name, sample);
    } catch (err) {
      console.error(`berth runtime: stats history: ${(err as Error)?.message ?? String(err)}`);
    }
  }

  private drop(e: Entry) {
    e.epoch++;
    e.opening = false;
    clearTimeout(e.grace);
    clearTimeout(e.retry);
    e.retry = undefined;
    e.stream?.destroy();
    e.stream = undefined;
    try {
      this.sink?.close(e.id);
    } catch (err) {
      console.error(`berth runtime: stats history: ${(err as Error)?.message ?? String(err)}`);
    }
  }

  private setRunning(e: Entry, running: boolean) {
    if (e.running === running) return;
    e.running = running;
    if (running) {
      if (e.watchers.size > 0 && !e.stream && !e.opening) this.open(e);
    } else {
      this.drop(e);
      // Kept while watched; a grace timer may still be due.
      if (e.watchers.size === 0) this.entries.delete(e.id);
    }
    for (const w of e.watchers) {
      try {
        w.state?.(running);
      } catch {
        // A watcher's failure is its own.
      }
    }
  }

  private onSummary(c: ContainerSummary) {
    const e = this.entries.get(c.id);
    if (e) {
      e.name = c.name;
      this.setRunning(e, isUp(c));
    } else if (this.allWatchers.size > 0 && isUp(c)) {
      this.watch(c, this.allSink);
    }
  }

  private onRemoved(id: string) {
    const e = this.entries.get(id);
    if (!e) return;
    this.drop(e);
    this.entries.delete(id);
    for (const w of e.watchers) {
      try {
        w.end?.();
      } catch {
        // A watcher's failure is its own.
      }
    }
  }

  /** After the hub reconnects: the list is the truth again. */
  private resync(list: ContainerSummary[]) {
    const byId = new Map(list.map((c) => [c.id, c]));
    for (const e of [...this.entries.values()]) {
      const c = byId.get(e.id);
      if (!c) this.onRemoved(e.id);
      else this.onSummary(c);
    }
    if (this.allWatchers.size > 0) for (const c of list) if (isUp(c) && !this.entries.has(c.id)) this.watch(c, this.allSink);
  }
}

const round = (n: number) => Math.round(n * 100) / 100;
