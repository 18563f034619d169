"use client";
/**
 * One task, live: its title, state, overall bar, a bar per layer (Docker's
 * status words, bytes and percentage), the output lines, and how it ended.
 * Any page that starts a long operation shows it with `<TaskProgress env taskId />`
 * (the pull dialog, the build page); the Tasks panel shows it as the detail view.
 */
import { useEffect, useRef, useState } from "react";
import type { TaskLayer } from "~/runtime/tasks/protocol";
import { formatBytes, timeAgo } from "../../_lib/format";
import { ByteBar, CancelTask, TaskOutcome, TaskState } from "./task-bits";
import { useTaskDetail } from "./use-tasks";

const DONE = /complete|already exists|pushed|mounted from/i;

/**
 * Bytes per second of each layer that is moving (downloading, extracting,
 * pushing), from the last two frames that changed its count: Docker reports
 * bytes, not speed.
 */
function useLayerSpeeds(layers: TaskLayer[]): Map<string, number> {
  const seen = useRef(new Map<string, { current: number; t: number; rate?: number }>());
  const now = Date.now();
  const rates = new Map<string, number>();
  for (const l of layers) {
    const prev = seen.current.get(l.id);
    if (l.current === undefined || DONE.test(l.status)) {
      seen.current.delete(l.id);
      continue;
    }
    if (!prev || l.current < prev.current) {
      seen.current.set(l.id, { current: l.current, t: now });
    } else if (l.current > prev.current && now > prev.t) {
      const rate = ((l.current - prev.current) * 1000) / (now - prev.t);
      seen.current.set(l.id, { current: l.current, t: now, rate });
    }
    const r = seen.current.get(l.id)?.rate;
    if (r) rates.set(l.id, r);
  }
  return rates;
}

export function TaskProgress({ env, taskId, showLines = true }: { env: string; taskId: string; showLines?: boolean }) {
  const { task, layers, lines, error } = useTaskDetail(env, taskId);
  const speeds = useLayerSpeeds(layers);
  const [cancelError, setCancelError] = useState<string>();
  const out = useRef<HTMLPreElement>(null);
  useEffect(() => {
    const el = out.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [lines.length]);

  if (!task) {
    return (
      <section className="task-progress" aria-label="Task progress" aria-busy={!error}>
        {error ? <p role="alert" className="error">{error}</p> : <p className="muted">Waiting for the task…</p>}
      </section>
    );
  }
  const finished = task.state !== "running";
  return (
    <section className="task-progress" aria-label={`Task ${task.title}`} data-task-id={task.id} data-state={task.state}>
      <div className="task-head">
        <strong>{task.title}</strong>
        <TaskState state={task.state} />
        <span className="muted small">
          {task.owner ? `started by ${task.owner.name} ` : ""}
          {timeAgo(task.startedAt / 1000)}
        </span>
        <CancelTask env={env} task={task} onError={setCancelError} />
      </div>
      {(task.progress.total || !finished) && (
        <ByteBar label="Overall progress" current={task.progress.current} total={task.progress.total} done={task.state === "succeeded"} />
      )}
      {layers.length > 0 && (
        <table className="table task-layers" aria-label="Layers">
          <thead>
            <tr>
              <th>Layer</th>
              <th>Status</th>
              <th>Progress</th>
              <th>Speed</th>
            </tr>
          </thead>
          <tbody>
            {layers.map((l) => (
              <tr key={l.id} data-testid="layer-row">
                <td>
                  <code>{l.id}</code>
                </td>
                <td>{l.status}</td>
                <td>
                  <ByteBar label={`Layer ${l.id}`} current={l.current} total={l.total} done={DONE.test(l.status)} />
                </td>
                <td className="muted small">{speeds.has(l.id) ? `${formatBytes(speeds.get(l.id)!)}/s` : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {showLines && lines.length > 0 && (
        <pre ref={out} className="raw task-lines" aria-label="Output">
          {lines.join("\n")}
        </pre>
      )}
      <p className="task-outcome">
        <TaskOutcome task={task} />
      </p>
      {cancelError && <p role="alert" className="error small">{cancelError}</p>}
      {error && <p role="alert" className="error small">{error}</p>}
    </section>
  );
}
