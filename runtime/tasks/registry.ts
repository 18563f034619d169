/**
 * The runtime's tasks, in memory: one registry per runtime process (one
 * engine). A capability starts a task with `startTask(spec, run)` and answers
 * its caller at once with the task's id; `run` reports progress through its
 * handle and its resolved value becomes the task's result. Finished tasks are
 * kept (the newest MAX_KEPT) so a page opened later still shows how they ended.
 */
import crypto from "node:crypto";
import { toRuntimeError } from "../engine/errors";
import type { RuntimeError } from "../protocol/errors";
import type { TaskLayer, TaskOwner, TaskSummary } from "./protocol";

/** Tasks kept, running ones included; the oldest finished go first. */
const MAX_KEPT = 200;
/** Output lines kept per task (a build's log): the newest; older ones are counted, not kept. */
const MAX_LINES = 5000;
const MAX_LINE_CHARS = 4096;
const MAX_LAYERS = 500;

export interface TaskSpec {
  kind: string;
  title: string;
  owner?: TaskOwner;
  /** Whether aborting `signal` stops the operation (a pull, push or build whose stream is closed). */
  cancellable?: boolean;
}

export interface TaskHandle {
  readonly id: string;
  /** Aborted when someone cancels the task: close the engine stream. */
  readonly signal: AbortSignal;
  /** One line of output (a build step's output, a load's message). */
  line(text: string): void;
  /** A layer's status and bytes (pull, push, load). */
  layer(layer: TaskLayer): void;
  /** Overall progress; omitted fields are kept. */
  progress(p: { current?: number; total?: number; text?: string }): void;
}

interface Task {
  summary: TaskSummary;
  layers: Map<string, TaskLayer>;
  lines: string[];
  /** Line number of lines[0] (lines before it were dropped). */
  firstLine: number;
  abort: AbortController;
}

type Listener = () => void;

const tasks = new Map<string, Task>();
const listeners = new Set<Listener>();

function changed(_task: Task) {
  for (const l of [...listeners]) {
    try {
      l();
    } catch (err) {
      console.error("berth runtime: a tasks listener failed", err);
    }
  }
}

function evict() {
  if (tasks.size <= MAX_KEPT) return;
  for (const [id, t] of tasks) {
    if (t.summary.state !== "running") tasks.delete(id);
    if (tasks.size <= MAX_KEPT) return;
  }
}

/** The error as the task shows it: a RuntimeError's code and message, else INTERNAL with the message. */
function taskError(err: unknown, cancelled: boolean): TaskSummary["error"] {
  if (cancelled) return { code: "CONFLICT", message: "cancelled" };
  const e = err as Partial<RuntimeError> & { message?: string };
  const code = typeof e?.code === "string" ? (e.code as RuntimeError["code"]) : "INTERNAL";
  return { code, message: (e?.message ?? String(err)).slice(0, 2000) };
}

/**
 * Starts `run` as a task and returns its summary at once. `run` must not throw
 * synchronously for expected failures: a rejection becomes the task's error.
 * `toError` turns an error into the protocol's words (default: engine/errors.ts; pass one with a subject).
 */
export function startTask(spec: TaskSpec, run: (t: TaskHandle) => Promise<unknown>, toError: (err: unknown) => RuntimeError = (e) => toRuntimeError(e)): TaskSummary {
  const id = `t_${crypto.randomBytes(9).toString("base64url")}`;
  const task: Task = {
    summary: { id, kind: spec.kind, title: spec.title.slice(0, 300), state: "running", startedAt: Date.now(), owner: spec.owner, cancellable: spec.cancellable ?? false, progress: {} },
    layers: new Map(),
    lines: [],
    firstLine: 0,
    abort: new AbortController(),
  };
  tasks.set(id, task);
  evict();
  // Lists show a new task at once, even one that reports nothing until it ends (a pull waiting on a registry).
  changed(task);
  const handle: TaskHandle = {
    id,
    signal: task.abort.signal,
    line(text) {
      for (const l of text.replace(/\r\n?/g, "\n").split("\n")) {
        task.lines.push(l.length > MAX_LINE_CHARS ? `${l.slice(0, MAX_LINE_CHARS)}…` : l);
      }
      if (task.lines.length > MAX_LINES) {
        const drop = task.lines.length - MAX_LINES;
        task.lines.splice(0, drop);
        task.firstLine += drop;
      }
      changed(task);
    },
    layer(layer) {
      if (!task.layers.has(layer.id) && task.layers.size >= MAX_LAYERS) return;
      task.layers.set(layer.id, { ...task.layers.get(layer.id), ...layer });
      let current = 0;
      let total = 0;
      for (const l of task.layers.values()) {
        if (l.total && l.total > 0) {
          total += l.total;
          current += Math.min(l.current ?? 0, l.total);
        }
      }
      if (total > 0) task.summary.progress = { ...task.summary.progress, current, total };
      changed(task);
    },
    progress(p) {
      task.summary.progress = { ...task.summary.progress, ...p };
      changed(task);
    },
  };
  const finish = (patch: Partial<TaskSummary>) => {
    if (task.summary.state !== "running") return;
    Object.assign(task.summary, patch, { endedAt: Date.now() });
    changed(task);
    evict();
  };
  // Later than the caller's answer: the task's id reaches the page before its first frame.
  setImmediate(() => {
    run(handle).then(
      (result) => finish(task.abort.signal.aborted ? { state: "cancelled", error: taskError(undefined, true) } : { state: "succeeded", result }),
      (err: unknown) => {
        const cancelled = task.abort.signal.aborted;
        finish({ state: cancelled ? "cancelled" : "failed", error: taskError(cancelled ? undefined : toError(err), cancelled) });
      },
    );
  });
  return { ...task.summary };
}

/** Every task kept, newest first. */
export function listTasks(): TaskSummary[] {
  return [...tasks.values()].map((t) => ({ ...t.summary })).reverse();
}

export function getTask(id: string): TaskSummary | undefined {
  const t = tasks.get(id);
  return t ? { ...t.summary } : undefined;
}

/** Cancels a running, cancellable task; false when it ended already or cannot be cancelled. */
export function cancelTask(id: string): { cancelled: boolean; task: TaskSummary } | undefined {
  const t = tasks.get(id);
  if (!t) return undefined;
  if (t.summary.state !== "running" || !t.summary.cancellable) return { cancelled: false, task: { ...t.summary } };
  t.abort.abort();
  // The operation's stream closes and its rejection settles the state; mark it now so the page sees it at once.
  t.summary.state = "cancelled";
  t.summary.endedAt = Date.now();
  t.summary.error = taskError(undefined, true);
  changed(t);
  return { cancelled: true, task: { ...t.summary } };
}

/** A task's detail from line number `from` on (lines dropped before it are skipped). */
export function taskDetail(id: string, from: number): { task: TaskSummary; layers: TaskLayer[]; from: number; lines: string[] } | undefined {
  const t = tasks.get(id);
  if (!t) return undefined;
  const start = Math.max(from, t.firstLine);
  return { task: { ...t.summary }, layers: [...t.layers.values()], from: start, lines: t.lines.slice(start - t.firstLine) };
}

/** Called on every change of any task (subscribers throttle themselves). */
export function onTasksChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** For tests: forget every task. */
export function resetTasks(): void {
  tasks.clear();
}
