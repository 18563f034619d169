/**
 * Tasks: every long operation (pull, push, build, load, import, save…) runs as
 * a task the runtime keeps, with its progress, output lines, result and error,
 * so it goes on when the page that started it closes and any page can follow
 * it (`/ws/tasks`). The owner is an opaque tag the dashboard passes (who
 * started it); the runtime stores it and never interprets it.
 */
import { z } from "zod";
import { errorCodes, errorFrameSchema } from "../protocol/errors";
import type { MethodTable } from "../protocol/registry";

export const TASKS_CHANNEL = "/ws/tasks" as const;

export const taskIdSchema = z
  .string()
  .min(1, "is required")
  .max(64, "must be at most 64 characters")
  .regex(/^t_[A-Za-z0-9_-]+$/, "must be a task id (t_…)");

/** Who started a task, as the dashboard tags it (the runtime never reads it). */
export const taskOwnerSchema = z.strictObject({
  id: z.string().min(1).max(64),
  name: z.string().max(128),
});
export type TaskOwner = z.infer<typeof taskOwnerSchema>;

export const taskStates = ["running", "succeeded", "failed", "cancelled"] as const;
export type TaskState = (typeof taskStates)[number];

/** One layer (or step) of a pull, push or load: Docker's own status words ("Downloading", "Extracting", "Pull complete"). */
export const taskLayerSchema = z.object({
  id: z.string(),
  status: z.string(),
  /** Bytes done and in all, when Docker reports them. */
  current: z.number().optional(),
  total: z.number().optional(),
});
export type TaskLayer = z.infer<typeof taskLayerSchema>;

export const taskSummarySchema = z.object({
  id: taskIdSchema,
  /** What kind of operation: "image.pull", "image.build", "image.push", "image.load", "image.import"… */
  kind: z.string(),
  /** What people read: "Pull nginx:latest". */
  title: z.string(),
  state: z.enum(taskStates),
  /** ms since the epoch. */
  startedAt: z.number(),
  endedAt: z.number().optional(),
  owner: taskOwnerSchema.optional(),
  /** Whether Cancel can stop it (Docker stops a pull, push or build when its stream is closed). */
  cancellable: z.boolean(),
  /** Overall progress: bytes (or steps) done and in all, and the latest status line. */
  progress: z.object({ current: z.number().optional(), total: z.number().optional(), text: z.string().optional() }),
  /** A small JSON answer when it succeeded (e.g. `{ imageId }`). */
  result: z.unknown().optional(),
  error: z.object({ code: z.enum(errorCodes), message: z.string() }).optional(),
});
export type TaskSummary = z.infer<typeof taskSummarySchema>;

/** `id`: one task's detail (layers and output lines); none: the list of every task kept. */
export const tasksParamsSchema = z.strictObject({ id: taskIdSchema.optional() });
export type TasksParams = z.output<typeof tasksParamsSchema>;

/** Frames on `/ws/tasks`. Sent at most four times a second per subscription, each a full state (lines excepted). */
export const tasksFrameSchema = z.discriminatedUnion("type", [
  /** Without `id`: every task kept, newest first. */
  z.object({ type: z.literal("tasks"), tasks: z.array(taskSummarySchema) }),
  /**
   * With `id`: the task, its layers, and output lines from line number `from`
   * (the first frame: every line kept; later frames: only new lines).
   */
  z.object({ type: z.literal("detail"), task: taskSummarySchema, layers: z.array(taskLayerSchema), from: z.number(), lines: z.array(z.string()) }),
  errorFrameSchema,
]);
export type TasksFrame = z.infer<typeof tasksFrameSchema>;

export const tasksMethods = {
  "tasks.list": z.strictObject({}),
  "tasks.cancel": z.strictObject({ id: taskIdSchema }),
} satisfies MethodTable;

export interface TasksResults {
  "tasks.list": TaskSummary[];
  /** `cancelled`: false when it had already ended or cannot be cancelled. */
  "tasks.cancel": { cancelled: boolean; task: TaskSummary };
}

/** What a method that starts a task answers at once; the task goes on (follow it on `/ws/tasks`). */
export const taskStartedSchema = z.object({ taskId: taskIdSchema, task: taskSummarySchema });
export type TaskStarted = z.infer<typeof taskStartedSchema>;
