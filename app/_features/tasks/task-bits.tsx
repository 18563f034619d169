"use client";
/** Small pieces the task views share: state badge, a byte progress bar, Cancel. */
import { useMutation } from "@tanstack/react-query";
import type { TaskSummary } from "~/runtime/tasks/protocol";
import { formatBytes } from "../../_lib/format";
import { useTRPC } from "../../_lib/trpc";

export const stateLabels: Record<TaskSummary["state"], string> = {
  running: "Running",
  succeeded: "Succeeded",
  failed: "Failed",
  cancelled: "Cancelled",
};

export function TaskState({ state }: { state: TaskSummary["state"] }) {
  return <span className={`state task-${state}`} data-testid="task-state">{stateLabels[state]}</span>;
}

export function percent(current?: number, total?: number): number | undefined {
  if (!total || total <= 0 || current === undefined) return undefined;
  return Math.min(100, Math.round((current / total) * 100));
}

/** A bar with bytes done / in all (or only the status when Docker gives no sizes). */
export function ByteBar({ label, current, total, done }: { label: string; current?: number; total?: number; done?: boolean }) {
  const pct = done ? 100 : percent(current, total);
  return (
    <span className="task-bar">
      <progress aria-label={label} max={100} value={pct} />
      <span className="muted small">
        {total ? `${formatBytes(current ?? 0)} / ${formatBytes(total)}` : current ? formatBytes(current) : ""}
        {pct !== undefined ? ` · ${pct}%` : ""}
      </span>
    </span>
  );
}

/** What a finished task ended with, in a line: its error, or its result's id / digest / reference. */
export function TaskOutcome({ task }: { task: TaskSummary }) {
  if (task.error) return <span className={task.state === "cancelled" ? "muted" : "error"} role={task.state === "failed" ? "alert" : undefined}>{task.error.message}</span>;
  if (task.state !== "succeeded") return <span className="muted">{task.progress.text ?? ""}</span>;
  const r = (task.result ?? {}) as Record<string, unknown>;
  const parts = ["reference", "id", "digest"].filter((k) => typeof r[k] === "string").map((k) => `${k === "id" ? "ID" : k === "digest" ? "Digest" : "Image"} ${String(r[k])}`);
  return <span className="ok" data-testid="task-result">{parts.join(" · ") || "Done"}</span>;
}

export function CancelTask({ env, task, onError }: { env: string; task: TaskSummary; onError?: (message: string) => void }) {
  const trpc = useTRPC();
  const cancel = useMutation(trpc.tasks.cancel.mutationOptions({ onError: (e) => onError?.(e.message) }));
  if (task.state !== "running" || !task.cancellable) return null;
  return (
    <button type="button" className="danger" aria-label={`Cancel ${task.title}`} disabled={cancel.isPending} onClick={() => cancel.mutate({ env, id: task.id })}>
      Cancel
    </button>
  );
}
