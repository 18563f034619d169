/** What the measures that start runtime tasks share: waiting for a task's end through tasks.list, and timing a step. */
import type { Berth } from "./berth";

export interface TaskTimes {
  id: string;
  state: string;
  startedAt: number;
  endedAt?: number;
  error?: { message: string };
}

/** Polls tasks.list until the task succeeds (its summary) or ends otherwise (an error naming how). */
export async function waitTask(berth: Berth, env: string | undefined, id: string, pollMs = 20): Promise<TaskTimes> {
  for (const until = Date.now() + 300_000; Date.now() < until; await new Promise((r) => setTimeout(r, pollMs))) {
    const tasks = (await berth.query("tasks.list", { env })) as TaskTimes[];
    const t = tasks.find((x) => x.id === id);
    if (t?.state === "succeeded") return t;
    if (t && t.state !== "running") throw new Error(`task ${id} ${t.state}: ${t.error?.message ?? ""}`);
  }
  throw new Error(`task ${id} did not end`);
}

/** Seconds `fn` took. */
export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}
