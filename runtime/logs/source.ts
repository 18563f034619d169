/**
 * One container's log, read from the engine: the initial tail/range, then (when
 * following) the live stream, across stops and restarts. When the container
 * stops we say so and wait for its next start; then we reopen with `since` = the
 * last stamp seen and drop what we already had, so there is no gap and no
 * duplicate. Lines are always requested with timestamps: they order, dedupe and
 * resume everything downstream.
 */
import type Docker from "dockerode";
import { toRuntimeError } from "../engine/errors";
import type { DockerEvent } from "../engine/protocol";
import type { RuntimeError } from "../protocol/errors";
import { type BodyStream, engineStream } from "./engine-stream";
import { DockerLogParser, type ParsedLine, tsToDockerTime } from "./parse";

export type SourceState = "running" | "stopped" | "removed";

export interface SourceOptions {
  docker: Docker;
  id: string;
  tty: boolean;
  follow: boolean;
  tail: number | "all";
  since?: string;
  until?: string;
  stdout: boolean;
  stderr: boolean;
  after?: { ts: string; n: number };
  /** Container events (start, die, destroy) for this id, to follow across restarts. */
  onEvents?: (listener: (e: DockerEvent) => void) => () => void;
  onLine: (line: ParsedLine) => void;
  onState?: (state: SourceState) => void;
  /** The source is done: a non-follow read finished, the container was removed, or an error. */
  onEnd: (error?: RuntimeError) => void;
}

export class LogSource {
  private stream?: BodyStream;
  private closed = false;
  private paused = false;
  private waiting = false;
  private startedSinceOpen = false;
  private lastTs = "";
  private nAtLast = 0;
  private skipTs = "";
  private skipN = 0;
  private unsubscribe?: () => void;
  /** The stream now open is the one read of what a stopped container's follow left unsent. */
  private catchUp = false;
  private ring?: { size: number; lines: ParsedLine[] };
  /** Oldest stamp read (matching or not), for paging further back. */
  firstTs?: string;
  scanned = 0;

  constructor(private readonly o: SourceOptions) {
    if (o.after) {
      this.lastTs = this.skipTs = o.after.ts;
      this.nAtLast = this.skipN = o.after.n;
    }
  }

  start(): void {
    if (this.o.follow && this.o.onEvents) this.unsubscribe = this.o.onEvents((e) => this.onEvent(e));
    const since = this.o.after ? tsToDockerTime(this.o.after.ts) : this.o.since ? tsToDockerTime(this.o.since) : undefined;
    this.open(this.o.after ? "all" : this.o.tail, since);
  }

  close(): void {
    this.closed = true;
    this.unsubscribe?.();
    this.stream?.destroy();
  }

  pause(): void {
    this.paused = true;
    this.stream?.pause();
  }

  resume(): void {
    this.paused = false;
    this.stream?.resume();
  }

  private open(tail: number | "all", since: string | undefined): void {
    this.startedSinceOpen = false;
    // The engine applies `tail` before `until` (the last N lines of the whole log, then cut):
    // for "the N lines before until" read up to until and keep the last N here.
    if (!this.o.follow && this.o.until && tail !== "all") {
      this.ring = { size: tail, lines: [] };
      tail = "all";
    }
    const options: Record<string, string | boolean> = {
      follow: this.o.follow && !this.catchUp,
      stdout: this.o.stdout,
      stderr: this.o.stderr,
      timestamps: true,
      tail: tail === "all" ? "all" : String(tail),
    };
    if (since) options.since = since;
    if (this.o.until) options.until = tsToDockerTime(this.o.until);
    const path = `/containers/${encodeURIComponent(this.o.id)}/logs`;
    const opened = (err: unknown, res: BodyStream | undefined) => {
      if (this.closed) return void res?.destroy();
      if (err) return this.finish(toRuntimeError(err, `container ${this.o.id}`));
      this.read(res!);
    };
    // Its own HTTP/1.0 socket where it can (see engine-stream.ts), else the modem (TLS, ssh).
    if (engineStream(this.o.docker, path, options, opened)) return;
    this.o.docker.modem.dial(
      {
        path: `${path}?`,
        method: "GET",
        options,
        isStream: true,
        statusCodes: { 200: true, 404: "no such container", 500: "server error" },
      },
      (err: unknown, res: unknown) => opened(err, res as BodyStream | undefined),
    );
  }

  private read(stream: BodyStream): void {
    this.stream = stream;
    if (this.paused) stream.pause();
    const parser = new DockerLogParser(this.o.tty, (line) => this.line(line));
    stream.on("data", (chunk: Buffer) => parser.push(chunk));
    let done = false;
    const ended = () => {
      if (done) return;
      done = true;
      parser.end();
      if (this.ring) {
        const kept = this.ring.lines.slice(-this.ring.size);
        this.ring = undefined;
        for (const l of kept) this.line(l);
      }
      if (this.stream === stream) this.stream = undefined;
      if (!this.closed) void this.streamEnded();
    };
    stream.on("end", ended);
    stream.on("close", ended);
    stream.on("error", ended);
  }

  private line(line: ParsedLine): void {
    if (this.ring) {
      this.ring.lines.push(line);
      if (this.ring.lines.length > this.ring.size * 2) this.ring.lines = this.ring.lines.slice(-this.ring.size);
      return;
    }
    this.scanned++;
    if (this.firstTs === undefined || line.ts < this.firstTs) this.firstTs = line.ts;
    if (this.skipTs) {
      if (line.ts < this.skipTs) return;
      if (line.ts === this.skipTs && this.skipN > 0) {
        this.skipN--;
        return;
      }
      this.skipTs = "";
    }
    if (line.ts === this.lastTs) this.nAtLast++;
    else {
      this.lastTs = line.ts;
      this.nAtLast = 1;
    }
    this.o.onLine(line);
  }

  private async streamEnded(): Promise<void> {
    if (!this.o.follow) return this.finish();
    let running = false;
    try {
      const info = await this.o.docker.getContainer(this.o.id).inspect();
      running = info.State.Running && !info.State.Paused;
    } catch (err) {
      const e = toRuntimeError(err);
      if (e.code === "NOT_FOUND") {
        this.o.onState?.("removed");
        return this.finish();
      }
      // The engine went away: wait for a start event (the events hub resyncs).
    }
    if (this.closed) return;
    if (running || this.startedSinceOpen) {
      this.catchUp = false;
      return this.reopen();
    }
    // The engine ends a follow when the container stops, and may do so before a reader
    // that fell behind in a flood has everything (seen: a third of a million lines never
    // sent). Read what is left once, without follow, from the last line we have; then wait.
    if (!this.catchUp) {
      this.catchUp = true;
      return this.reopen();
    }
    this.catchUp = false;
    this.o.onState?.("stopped");
    this.waiting = true;
  }

  private reopen(): void {
    this.waiting = false;
    this.skipTs = this.lastTs;
    this.skipN = this.nAtLast;
    // tail=all with since: everything written since the last line we have, however much.
    this.open(this.lastTs ? "all" : this.o.tail, this.lastTs ? tsToDockerTime(this.lastTs) : undefined);
  }

  private onEvent(e: DockerEvent): void {
    if (this.closed) return;
    const action = e.action.split(":")[0];
    if (action === "start") {
      this.startedSinceOpen = true;
      if (this.waiting) {
        this.o.onState?.("running");
        this.reopen();
      }
    } else if (action === "destroy" && this.waiting) {
      this.o.onState?.("removed");
      this.finish();
    }
  }

  private finish(error?: RuntimeError): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe?.();
    this.o.onEnd(error);
  }
}
