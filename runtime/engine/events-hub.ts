/**
 * Follows the engine's /events stream and keeps the container list current without
 * polling: each container event refetches that one container. Subscribers get the
 * engine status, a snapshot, then deltas; every raw event also goes out as docker.event.
 *
 * Reconnects: the stream is opened before the snapshot is read, so nothing falls in
 * between; events that arrive while the snapshot is loading are refetched after it.
 */
import type { Readable } from "node:stream";
import type Docker from "dockerode";
import { fetchContainerSummary, listContainerSummaries } from "./container-summaries";
import type { Engine } from "./client";
import { toRuntimeError } from "./errors";
import { parseEventLine } from "./event-line";
import { EngineStatusTracker, fetchEngineFacts } from "./status";
import { findContainer } from "../protocol/container-ref";
import type { ContainerSummary, DockerEvent, EngineStatus, EventsFrame } from "./protocol";

export type FrameListener = (frame: EventsFrame, json: string) => void;
/** What an events viewer needs: each raw event (before anything else is done with it) and whether the stream is up. */
export interface RawEventListener {
  event(event: DockerEvent): void;
  live(live: boolean, reason?: string): void;
}

/**
 * Container actions after which the summary may differ (exec_*, attach, top… do not change it).
 * Not `kill`: a fatal signal is followed by `die`, which refetches; a fetch on `kill` too would
 * only compete with that `die` (and its event going out) for the engine and this process.
 */
const CONTAINER_ACTIONS = new Set([
  "create", "start", "restart", "die", "stop", "pause", "unpause",
  "rename", "update", "oom", "health_status",
]);
const RETRY_MS = 1000;
/** An engine that accepts connections but sends nothing must not hold the hub (nor the runtime's start). */
const ENGINE_ANSWER_MS = 10_000;

/** `p`, or a rejection with `message` after `ms` (calling onTimeout first). */
function within<T>(p: Promise<T>, ms: number, message: string, onTimeout?: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(new Error(message));
    }, ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/**
 * Docker logs an event before it checkpoints the container into the view that
 * /containers/json reads (daemon/pause.go, start.go…), so a list right after
 * the event can still show the old state. Each action says what the summary
 * must show; until it does, the fetch is retried with a short backoff.
 */
type Expectation = (c: ContainerSummary) => boolean;
function expectationFor(action: string, event: DockerEvent): Expectation | undefined {
  switch (action) {
    case "create":
      return (c) => c.state === "created";
    case "start":
    case "restart":
    case "unpause":
      return (c) => c.state === "running";
    case "pause":
      return (c) => c.state === "paused";
    case "die":
    case "stop":
      return (c) => c.state !== "running" && c.state !== "paused";
    case "rename":
      return event.attributes.name ? (c) => c.name === event.attributes.name : undefined;
    case "health_status": {
      const health = event.action.split(":")[1]?.trim();
      return health ? (c) => c.health === health : undefined;
    }
    default:
      return undefined;
  }
}
const EXPECT_RETRIES = 8;

/**
 * What an event alone says about a known container, so the change goes out at
 * once (a list round trip costs ~5 ms); the authoritative fetch follows.
 */
function patchFromEvent(c: ContainerSummary, action: string, event: DockerEvent): ContainerSummary | undefined {
  switch (action) {
    case "start":
    case "restart":
    case "unpause":
      return { ...c, state: "running", status: "Up Less than a second" };
    case "pause":
      return { ...c, state: "paused", status: "Up (Paused)" };
    case "die":
      return { ...c, state: "exited", status: `Exited (${event.attributes.exitCode ?? "?"}) Less than a second ago` };
    case "rename":
      return event.attributes.name ? { ...c, name: event.attributes.name.replace(/^\//, "") } : undefined;
    default:
      return undefined;
  }
}

export class EventsHub {
  private containers = new Map<string, ContainerSummary>();
  private readonly status: EngineStatusTracker;
  private readonly listeners = new Set<FrameListener>();
  private readonly rawListeners = new Set<RawEventListener>();
  /** Bumped on every (re)connect: answers from an older connection are dropped. */
  private epoch = 0;
  private live = false;
  private syncing = false;
  private readonly dirty = new Set<string>();
  /** Ids with a fetch in flight → whether another event came meanwhile (fetch once more). */
  private readonly inflight = new Map<string, boolean>();
  /** What the latest event of an id says its summary must show (see expectationFor). */
  private readonly expected = new Map<string, { check: Expectation; tries: number }>();
  /** Destroyed ids (never reused by Docker), so a late fetch cannot resurrect them. */
  private readonly destroyed = new Set<string>();
  private stream?: Readable;
  private stopped = false;
  private wake?: () => void;

  constructor(private readonly engine: Engine) {
    this.status = new EngineStatusTracker(engine.docker, engine.dockerHost, () => this.containers.values(), (s) =>
      this.emit({ type: "engine", engine: s }),
    );
  }

  /** Starts following; resolves once the first connection attempt has succeeded or failed. */
  start(): Promise<void> {
    return new Promise((resolve) => void this.run(resolve));
  }

  stop(): void {
    this.stopped = true;
    this.stream?.destroy();
    this.status.stop();
    this.wake?.();
    this.listeners.clear();
  }

  /** The listener gets the engine status and a snapshot at once, then deltas. */
  subscribe(listener: FrameListener): () => void {
    const engine: EventsFrame = { type: "engine", engine: this.status.current() };
    listener(engine, JSON.stringify(engine));
    const snapshot: EventsFrame = { type: "containers.snapshot", containers: this.list() };
    listener(snapshot, JSON.stringify(snapshot));
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Raw events only (no status, no list): an events view needs neither, and is told
   * first, before the list work an event causes, as it is the one measured by latency.
   */
  onRawEvent(listener: RawEventListener): () => void {
    this.rawListeners.add(listener);
    return () => this.rawListeners.delete(listener);
  }

  currentStatus(): EngineStatus {
    return this.status.current();
  }

  /** True while the stream is open and the list is known to be current. */
  isLive(): boolean {
    return this.live;
  }

  list(): ContainerSummary[] {
    return [...this.containers.values()];
  }

  /** The container a reference names, by the one rule (container-ref.ts); undefined when none or several do. */
  find(ref: string): ContainerSummary | undefined {
    return this.containers.get(ref) ?? findContainer(ref, this.containers.values());
  }

  private emit(frame: EventsFrame): void {
    if (frame.type === "engine") for (const l of this.rawListeners) l.live(frame.engine.reachable && this.live, frame.engine.reason);
    if (this.listeners.size === 0) return;
    const json = JSON.stringify(frame);
    for (const l of this.listeners) l(frame, json);
  }

  // ------------------------------------------------------------ connection loop

  private async run(firstAttemptDone: () => void): Promise<void> {
    while (!this.stopped) {
      const began = Date.now();
      const { connected, reason } = await this.session(firstAttemptDone);
      firstAttemptDone();
      if (this.stopped) break;
      // A stream that was up and broke gets one immediate retry (a blip need not
      // show as "unreachable"); otherwise report and retry once a second.
      if (connected && Date.now() - began >= RETRY_MS) continue;
      if (!connected) this.markUnreachable(reason);
      await this.sleep(Math.max(0, RETRY_MS - (Date.now() - began)));
    }
  }

  /** One connection: open /events, resync, then follow until the stream ends. */
  private async session(onLive: () => void): Promise<{ connected: boolean; reason: string }> {
    const epoch = ++this.epoch;
    this.live = false;
    this.inflight.clear();
    const silent = `the engine at ${this.engine.dockerHost} accepted the connection but did not answer within ${ENGINE_ANSWER_MS / 1000} s`;
    const abort = new AbortController();
    let stream: Readable;
    try {
      const opening = this.engine.docker.getEvents({ abortSignal: abort.signal } as Docker.GetEventsOptions);
      stream = (await within(opening, ENGINE_ANSWER_MS, silent, () => abort.abort())) as Readable;
    } catch (err) {
      return { connected: false, reason: abort.signal.aborted ? silent : toRuntimeError(err).message };
    }
    if (this.stopped) {
      stream.destroy();
      return { connected: false, reason: "stopped" };
    }
    this.stream = stream;
    const ended = this.follow(stream, epoch);
    try {
      await within(this.resync(epoch), ENGINE_ANSWER_MS, silent);
    } catch (err) {
      stream.destroy();
      return { connected: false, reason: toRuntimeError(err).message };
    }
    onLive();
    const reason = await ended;
    this.live = false;
    this.stream = undefined;
    return { connected: true, reason };
  }

  /** Parses the newline-delimited JSON stream; resolves with a reason when it ends. */
  private follow(stream: Readable, epoch: number): Promise<string> {
    return new Promise((resolve) => {
      let buf = "";
      stream.setEncoding("utf8");
      stream.on("data", (chunk: string) => {
        buf += chunk;
        const events: DockerEvent[] = [];
        let nl: number;
        while ((nl = buf.indexOf("\n")) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          const event = epoch === this.epoch && line.length > 1 ? parseEventLine(line) : undefined;
          if (event) events.push(event);
        }
        // Events views get every event of the chunk before any list work (a fetch per
        // container event) is started: `kill`, `die` and `stop` often come together.
        for (const event of events) for (const l of this.rawListeners) l.event(event);
        for (const event of events) this.onEvent(event);
      });
      const done = (reason: string) => resolve(reason);
      // `on`, not `once`: a second error must not go unhandled and crash the process.
      stream.on("error", (err) => done(toRuntimeError(err).message));
      stream.once("end", () => done("the engine closed the event stream"));
      stream.once("close", () => done("the event stream was closed"));
    });
  }

  private async resync(epoch: number): Promise<void> {
    this.syncing = true;
    this.dirty.clear();
    try {
      const [facts, list] = await Promise.all([
        fetchEngineFacts(this.engine.docker),
        listContainerSummaries(this.engine.docker),
      ]);
      if (epoch !== this.epoch) return;
      this.containers = new Map(list.filter((c) => !this.destroyed.has(c.id)).map((c) => [c.id, c]));
      this.live = true;
      this.emit({ type: "engine", engine: this.status.connected(facts) });
      this.emit({ type: "containers.snapshot", containers: this.list() });
      for (const id of this.dirty) this.refresh(id);
    } finally {
      // A resync given up on (the 10 s deadline) may end after the next one began: it must not end that one's sync.
      if (epoch === this.epoch) {
        this.syncing = false;
        this.dirty.clear();
      }
    }
  }

  private markUnreachable(reason: string): void {
    this.live = false;
    this.status.unreachable(reason);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  // ------------------------------------------------------------ events

  private onEvent(event: DockerEvent): void {
    const attributes = event.attributes;
    this.emit({ type: "docker.event", event });

    const action = event.action.split(":")[0];
    if (event.type === "container") {
      if (action === "destroy") this.onDestroy(event.id);
      else if (CONTAINER_ACTIONS.has(action)) {
        const known = this.live ? this.containers.get(event.id) : undefined;
        const patched = known && patchFromEvent(known, action, event);
        if (patched) this.upsert(patched);
        const check = expectationFor(action, event);
        if (check) this.expected.set(event.id, { check, tries: 0 });
        else this.expected.delete(event.id);
        this.refresh(event.id);
      }
    } else if (event.type === "network" && (action === "connect" || action === "disconnect")) {
      // A container's network list changed; the event names the network, the attribute the container.
      if (attributes.container) this.refresh(attributes.container);
    } else if (["image", "volume", "network", "daemon"].includes(event.type)) {
      if (!["mount", "unmount", "connect", "disconnect"].includes(action)) this.status.schedule(true);
    }
  }

  /** Refetches one container; one fetch in flight per id, plus at most one follow-up. */
  private refresh(id: string): void {
    if (!id || this.destroyed.has(id)) return;
    if (!this.live) {
      if (this.syncing) this.dirty.add(id);
      return;
    }
    if (this.inflight.has(id)) {
      this.inflight.set(id, true);
      return;
    }
    this.inflight.set(id, false);
    this.fetch(id);
  }

  private fetch(id: string): void {
    const epoch = this.epoch;
    fetchContainerSummary(this.engine.docker, id).then(
      (summary) => {
        if (epoch !== this.epoch) return;
        const want = this.expected.get(id);
        if (summary && want && !want.check(summary) && want.tries < EXPECT_RETRIES && !this.destroyed.has(id)) {
          // Not checkpointed yet: look again shortly (1, 2, 4 … 128 ms), keeping the fetch in flight.
          setTimeout(() => this.fetch(id), 2 ** want.tries++);
          return;
        }
        this.expected.delete(id);
        const again = this.inflight.get(id);
        this.inflight.delete(id);
        if (!this.destroyed.has(id)) {
          if (summary) this.upsert(summary);
          else this.remove(id);
        }
        if (again) this.refresh(id);
      },
      () => {
        // The engine went away mid-fetch; the stream loop notices and resyncs.
        if (epoch === this.epoch) this.inflight.delete(id);
      },
    );
  }

  private upsert(summary: ContainerSummary): void {
    const before = this.containers.get(summary.id);
    // Coalesced fetches often see the same state twice: send nothing new as nothing.
    if (before && JSON.stringify(before) === JSON.stringify(summary)) return;
    this.containers.set(summary.id, summary);
    this.emit({ type: "container.upsert", container: summary });
    if (!before || before.state !== summary.state) this.status.schedule(false);
  }

  private remove(id: string): void {
    if (!this.containers.delete(id)) return;
    this.emit({ type: "container.remove", id });
    this.status.schedule(false);
  }

  private onDestroy(id: string): void {
    this.destroyed.add(id);
    // Bounded: an id only matters while a fetch for it can still be in flight.
    if (this.destroyed.size > 2000) {
      for (const old of this.destroyed) {
        this.destroyed.delete(old);
        if (this.destroyed.size <= 1000) break;
      }
    }
    this.inflight.delete(id);
    this.expected.delete(id);
    this.dirty.delete(id);
    this.remove(id);
  }
}
