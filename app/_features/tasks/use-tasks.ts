"use client";
/**
 * Live tasks over the page's socket (`tasks` channel): the list of the
 * environment's tasks, or one task's detail (layers and output lines). The
 * runtime sends a full state at most four times a second; detail frames carry
 * only the lines that are new since the previous frame, so they are appended
 * here (capped, like the runtime's own buffer).
 */
import { useEffect, useState } from "react";
import type { TaskLayer, TaskSummary } from "~/runtime/tasks/protocol";
import { isTransient, openStream } from "../../_lib/live-streams";

const MAX_LINES = 5000;

export interface TaskListState {
  tasks: TaskSummary[];
  loaded: boolean;
  error?: string;
}

/** Every task of the environment the user may see, newest first, live. */
export function useTaskList(env: string | undefined): TaskListState {
  const [state, setState] = useState<TaskListState>({ tasks: [], loaded: false });
  useEffect(() => {
    if (!env) return;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const stream = openStream("tasks", env, {
      params: () => ({}),
      onFrame: (f) => {
        if (f.type === "tasks") setState({ tasks: f.tasks, loaded: true });
        else if (f.type === "error") setState((s) => ({ ...s, error: f.message }));
      },
      onError: (e) => {
        setState((s) => ({ ...s, error: e.message }));
        if (isTransient(e.code)) retry = setTimeout(() => stream.resubscribe(), 2000);
      },
      onClosed: (detail) => {
        if (detail) retry = setTimeout(() => stream.resubscribe(), 2000);
      },
    });
    return () => {
      clearTimeout(retry);
      stream.close();
    };
  }, [env]);
  return state;
}

export interface TaskDetailState {
  task?: TaskSummary;
  layers: TaskLayer[];
  lines: string[];
  error?: string;
}

/** One task, live: its summary, layers and output lines. */
export function useTaskDetail(env: string, taskId: string | undefined): TaskDetailState {
  const [state, setState] = useState<TaskDetailState>({ layers: [], lines: [] });
  useEffect(() => {
    setState({ layers: [], lines: [] });
    if (!taskId) return;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let ended = false;
    let next = 0;
    const stream = openStream("tasks", env, {
      params: () => ({ id: taskId }),
      onFrame: (f) => {
        if (f.type === "detail") {
          ended = f.task.state !== "running";
          setState((s) => {
            // A resubscribe sends every kept line again from `from`: keep only those past what is shown.
            const fresh = f.from + f.lines.length > next ? f.lines.slice(Math.max(0, next - f.from)) : [];
            next = Math.max(next, f.from + f.lines.length);
            const lines = fresh.length ? [...s.lines, ...fresh].slice(-MAX_LINES) : s.lines;
            return { task: f.task, layers: f.layers, lines };
          });
        } else if (f.type === "error") {
          ended = true;
          setState((s) => ({ ...s, error: f.message }));
        }
      },
      onError: (e) => {
        setState((s) => ({ ...s, error: e.message }));
        if (isTransient(e.code)) retry = setTimeout(() => stream.resubscribe(), 2000);
      },
      onClosed: (detail) => {
        if (detail && !ended) retry = setTimeout(() => stream.resubscribe(), 2000);
      },
    });
    return () => {
      clearTimeout(retry);
      stream.close();
    };
  }, [env, taskId]);
  return state;
}
