"use client";
/**
 * The console's Tasks button and panel: every long operation of the
 * environment the user may see (their own, or all for Environment
 * administrators), live, with who started it, its progress, how it ended and
 * Cancel; a task opens into its detail (layers and output).
 */
import { useEffect, useState } from "react";
import { timeAgo } from "../../_lib/format";
import { useCanIn } from "../../_lib/use-can";
import { ByteBar, CancelTask, TaskOutcome, TaskState } from "./task-bits";
import { TaskProgress } from "./task-progress";
import { useTaskList } from "./use-tasks";

export function TasksButton({ env }: { env: string }) {
  const can = useCanIn(env);
  if (!can("task.read")) return null;
  return <TasksMenu env={env} />;
}

function TasksMenu({ env }: { env: string }) {
  const [open, setOpen] = useState(false);
  const [detail, setDetail] = useState<string>();
  const { tasks, error } = useTaskList(env);
  const running = tasks.filter((t) => t.state === "running").length;
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false);
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [open]);
  return (
    <>
      <button
        type="button"
        className="tasks-button"
        aria-expanded={open}
        aria-label={running ? `Tasks (${running} running)` : "Tasks"}
        onClick={() => setOpen((o) => !o)}
      >
        Tasks
        {running > 0 && <span className="count">{running}</span>}
      </button>
      {open && (
        <section role="dialog" aria-label="Tasks" className="tasks-panel">
          <div className="page-head">
            <h2>{detail ? "Task" : "Tasks"}</h2>
            <div className="row">
              {detail && (
                <button type="button" onClick={() => setDetail(undefined)}>
                  Back to tasks
                </button>
              )}
              <button type="button" onClick={() => setOpen(false)}>
                Close
              </button>
            </div>
          </div>
          {error && <p role="alert" className="error small">{error}</p>}
          {detail ? <TaskProgress env={env} taskId={detail} /> : <TaskList env={env} tasks={tasks} onOpen={setDetail} />}
        </section>
      )}
    </>
  );
}

function TaskList({ env, tasks, onOpen }: { env: string; tasks: ReturnType<typeof useTaskList>["tasks"]; onOpen: (id: string) => void }) {
  if (tasks.length === 0) return <p className="muted">No tasks yet: pulls, pushes, builds and loads show here while they run and after they end.</p>;
  return (
    <table className="table" aria-label="Tasks list">
      <thead>
        <tr>
          <th>Task</th>
          <th>State</th>
          <th>Started by</th>
          <th>Started</th>
          <th>Progress</th>
          <th>Result</th>
          <th aria-label="Actions" />
        </tr>
      </thead>
      <tbody>
        {tasks.map((t) => (
          <tr key={t.id} data-testid="task-row" data-task-id={t.id}>
            <td>
              <button type="button" className="link" onClick={() => onOpen(t.id)} aria-label={`Details of ${t.title}`}>
                {t.title}
              </button>
            </td>
            <td>
              <TaskState state={t.state} />
            </td>
            <td data-testid="task-owner">{t.owner?.name ?? "—"}</td>
            <td title={new Date(t.startedAt).toLocaleString()}>{timeAgo(t.startedAt / 1000)}</td>
            <td>{t.progress.total || t.state === "running" ? <ByteBar label={`Progress of ${t.title}`} current={t.progress.current} total={t.progress.total} done={t.state === "succeeded"} /> : null}</td>
            <td className="small">
              <TaskOutcome task={t} />
            </td>
            <td>
              <CancelTask env={env} task={t} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
