/**
 * The containers of one log request (an id, a list, or a compose project), read
 * together and interleaved by timestamp. Each container's lines arrive in order;
 * the merge holds a line until every container that is streaming has one queued
 * (then the oldest goes first), or, when following, for at most MERGE_WAIT_MS so a
 * quiet container never delays the others. Queues are bounded: a container that
 * runs ahead is paused (TCP backpressure to the engine), never buffered without end.
 */
import type Docker from "dockerode";
import { toRuntimeError } from "../engine/errors";
import type { ContainerSummary, DockerEvent } from "../engine/protocol";
import type { RuntimeError } from "../protocol/errors";
import type { LogSourceInfo, LogsParams } from "./protocol";
import type { ParsedLine } from "./parse";
import { LogSource, type SourceState } from "./source";

export const PROJECT_LABEL = "com.docker.compose.project";
const MERGE_WAIT_MS = 30;
const QUEUE_HIGH = 4000;
const QUEUE_LOW = 500;

export interface LogDeps {
  docker: Docker;
  /** Container events, from the one events hub. */
  events: (listener: (e: DockerEvent) => void) => () => void;
  /** The hub's current container list (for projects). */
  list: () => ContainerSummary[];
}

export interface PipelineOutput {
  sources(all: LogSourceInfo[]): void;
  line(line: ParsedLine, source: number): void;
  state(source: number, state: SourceState): void;
  /** Every container is done (non-follow), or one failed at start. */
  end(error?: RuntimeError): void;
}

interface Member {
  info: LogSourceInfo;
  source: LogSource;
  queue: ParsedLine[];
  head: number;
  streaming: boolean;
  ended: boolean;
  queuePaused: boolean;
}

export class LogPipeline {
  private readonly members: Member[] = [];
  private outPaused = false;
  private closed = false;
  private timer?: NodeJS.Timeout;
  private unsubscribe?: () => void;
  private merging = false;

  constructor(
    private readonly deps: LogDeps,
    private readonly p: LogsParams,
    private readonly out: PipelineOutput,
  ) {}

  async start(): Promise<void> {
    let targets: { id: string; name: string; project?: string }[];
    if (this.p.project) {
      targets = this.deps.list().filter((c) => c.labels[PROJECT_LABEL] === this.p.project);
      if (this.p.follow) {
        this.unsubscribe = this.deps.events((e) => {
          if (e.type !== "container" || e.action !== "start" || e.attributes[PROJECT_LABEL] !== this.p.project) return;
          if (this.members.some((m) => m.info.id === e.id)) return;
          // A container created or recreated in the project joins with its whole (new) log.
          void this.add({ id: e.id, name: e.attributes.name ?? e.id.slice(0, 12), project: this.p.project }, true).then(() =>
            this.out.sources(this.infos()),
          );
        });
      }
    } else {
      targets = (this.p.ids ?? [this.p.id!]).map((id) => ({ id, name: id }));
    }
    this.merging = this.members.length > 1 || targets.length > 1 || !!this.p.project;
    try {
      for (const t of targets) await this.add(t, false);
    } catch (err) {
      this.close();
      return this.out.end(err as RuntimeError);
    }
    this.out.sources(this.infos());
    for (const m of this.members) m.source.start();
    if (this.members.length === 0 && !this.p.follow) this.out.end();
  }

  pause(): void {
    this.outPaused = true;
    this.flow();
  }

  resume(): void {
    this.outPaused = false;
    this.flow();
    this.drain(false);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.unsubscribe?.();
    for (const m of this.members) m.source.close();
  }

  /** Oldest stamp read from any container, and lines read: for paging back. */
  scanInfo(): { scanned: number; scannedFrom?: string } {
    let scanned = 0;
    let from: string | undefined;
    for (const m of this.members) {
      scanned += m.source.scanned;
      if (m.source.firstTs && (!from || m.source.firstTs < from)) from = m.source.firstTs;
    }
    return { scanned, scannedFrom: from };
  }

  private infos(): LogSourceInfo[] {
    return this.members.map((m) => m.info);
  }

  private async add(t: { id: string; name: string; project?: string }, joined: boolean): Promise<void> {
    let info;
    try {
      info = await this.deps.docker.getContainer(t.id).inspect();
    } catch (err) {
      throw toRuntimeError(err, `container ${t.name}`);
    }
    if (this.closed) return;
    const idx = this.members.length;
    const member: Member = {
      info: {
        idx,
        id: info.Id,
        name: info.Name.replace(/^\//, ""),
        tty: !!info.Config.Tty,
        state: info.State.Status,
        ...(info.Config.Labels?.[PROJECT_LABEL] ? { project: info.Config.Labels[PROJECT_LABEL] } : {}),
      },
      queue: [],
      head: 0,
      streaming: true,
      ended: false,
      queuePaused: false,
      source: undefined as unknown as LogSource,
    };
    const id = info.Id;
    member.source = new LogSource({
      docker: this.deps.docker,
      id,
      tty: member.info.tty,
      follow: this.p.follow,
      tail: joined ? "all" : this.p.tail,
      since: this.p.since,
      until: this.p.until,
      stdout: this.p.stdout,
      stderr: this.p.stderr,
      after: this.p.after,
      onEvents: (l) => this.deps.events((e) => e.id === id && l(e)),
      onLine: (line) => this.push(member, line),
      onState: (state) => {
        member.streaming = state === "running";
        member.info.state = state === "removed" ? "removed" : state === "running" ? "running" : "exited";
        if (!member.streaming) this.drain(false);
        this.out.state(idx, state);
      },
      onEnd: (error) => {
        member.ended = true;
        member.streaming = false;
        if (error && !this.merging) return this.out.end(error);
        this.drain(false);
        this.checkEnd();
      },
    });
    this.members.push(member);
    if (this.members.length > 1) this.merging = true;
    if (joined) member.source.start();
  }

  private push(m: Member, line: ParsedLine): void {
    if (!this.merging) return this.out.line(line, m.info.idx);
    m.queue.push(line);
    if (m.queue.length - m.head > QUEUE_HIGH && !m.queuePaused) {
      m.queuePaused = true;
      this.flow();
    }
    this.drain(false);
  }

  /** Emits lines in stamp order while every streaming container has one queued (or `force`). */
  private drain(force: boolean): void {
    if (this.closed || !this.merging) return;
    for (;;) {
      if (this.outPaused) return;
      let best: Member | undefined;
      let blocked = false;
      for (const m of this.members) {
        if (m.head < m.queue.length) {
          if (!best || m.queue[m.head].ts < best.queue[best.head].ts) best = m;
        } else if (m.streaming && !m.ended) blocked = true;
      }
      if (!best) break;
      if (blocked && !force) {
        if (this.p.follow && !this.timer) this.timer = setTimeout(() => {
          this.timer = undefined;
          this.drain(true);
        }, MERGE_WAIT_MS);
        break;
      }
      const line = best.queue[best.head++];
      if (best.head > 1024 && best.head * 2 > best.queue.length) {
        best.queue = best.queue.slice(best.head);
        best.head = 0;
      }
      if (best.queuePaused && best.queue.length - best.head < QUEUE_LOW) {
        best.queuePaused = false;
        this.flow();
      }
      this.out.line(line, best.info.idx);
    }
    this.checkEnd();
  }

  private flow(): void {
    for (const m of this.members) {
      if (this.outPaused || m.queuePaused) m.source.pause();
      else m.source.resume();
    }
  }

  private checkEnd(): void {
    if (this.closed || this.p.follow) return;
    if (this.members.every((m) => m.ended && m.head >= m.queue.length)) {
      this.closed = true;
      this.out.end();
    }
  }
}
