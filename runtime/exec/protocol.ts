/**
 * Schemas of the exec capability: the terminal channels `/ws/exec` (docker exec
 * with a TTY) and `/ws/attach` (the container's main process), and the one-off
 * `exec.run` method (no TTY, output captured). Never imports dockerode, so the
 * dashboard and the page can depend on it.
 *
 * On both channels a BINARY WebSocket frame is raw terminal bytes (either way)
 * and a TEXT frame is JSON: control from the caller (`resize`, `pause`,
 * `resume`), status from the runtime (`started`, `exit`, `error`).
 */
import { z } from "zod";
import { MIN } from "../protocol/deadlines";
import { errorFrameSchema } from "../protocol/errors";
import { containerIdSchema } from "../protocol/ids";
import type { DeadlineRules, MethodTable } from "../protocol/registry";

export const EXEC_CHANNEL = "/ws/exec" as const;
export const ATTACH_CHANNEL = "/ws/attach" as const;

/** A string the engine passes to the kernel: a NUL would cut it short there (or be refused with a 500). */
const noNul = (what: string, max: number) =>
  z.string().max(max, `must be at most ${max} characters`).refine((s) => !s.includes("\0"), `${what} must not contain a NUL character`);

/** Terminal size; xterm's own limits are far below these. */
export const colsSchema = z.number().int().min(1).max(1000);
export const rowsSchema = z.number().int().min(1).max(1000);

export const execCmdSchema = z
  .array(noNul("an argument", 4096))
  .min(1, "must name a command")
  .max(256, "must have at most 256 arguments")
  .refine((a) => a.length === 0 || a[0].trim() !== "", { message: "the command must not be empty", path: [0] });

export const execUserSchema = noNul("user", 256).regex(/^[^\s:]*(:[^\s:]*)?$/, "must be a user, uid, user:group or uid:gid");
export const execWorkdirSchema = noNul("workdir", 4096).refine((s) => s === "" || s.startsWith("/"), "must be an absolute path (start with /)");
export const execEnvSchema = z
  .array(noNul("an entry", 8192).regex(/^[^=\s]+=/s, "must be NAME=value"))
  .max(100, "must have at most 100 entries");

/** `/ws/exec?p=<json>`: one interactive shell. */
export const execParamsSchema = z.strictObject({
  id: containerIdSchema,
  cmd: execCmdSchema.default(["/bin/sh"]),
  user: execUserSchema.optional(),
  workdir: execWorkdirSchema.optional(),
  /** Extra environment variables (`NAME=value`), as `docker exec -e`. */
  environment: execEnvSchema.optional(),
  cols: colsSchema.default(80),
  rows: rowsSchema.default(24),
});
export type ExecParams = z.output<typeof execParamsSchema>;
export type ExecParamsInput = z.input<typeof execParamsSchema>;

/** `/ws/attach?p=<json>`: the container's main process. */
export const attachParamsSchema = z.strictObject({
  id: containerIdSchema,
  cols: colsSchema.default(80),
  rows: rowsSchema.default(24),
});
export type AttachParams = z.output<typeof attachParamsSchema>;
export type AttachParamsInput = z.input<typeof attachParamsSchema>;

/** What the caller may send as a text frame on a terminal channel. */
export const terminalControlSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("resize"), cols: colsSchema, rows: rowsSchema }),
  /** Stop reading the engine's output (the reader is behind); the engine's stream, then the process, waits. */
  z.strictObject({ type: z.literal("pause") }),
  z.strictObject({ type: z.literal("resume") }),
]);
export type TerminalControl = z.output<typeof terminalControlSchema>;

/** Status frames of a terminal channel (text); the data itself is binary frames. */
export const terminalFrameSchema = z.discriminatedUnion("type", [
  /** The process is running and sized: `execId` for exec, `tty` says how its bytes are to be read. */
  z.object({ type: z.literal("started"), execId: z.string().optional(), containerId: z.string(), name: z.string(), tty: z.boolean() }),
  /** The stream is over: the process's exit code (null when the engine did not say, or after a detach). */
  z.object({ type: z.literal("exit"), code: z.number().nullable(), running: z.boolean().optional() }),
  errorFrameSchema,
]);
export type TerminalFrame = z.output<typeof terminalFrameSchema>;

/** Output kept per stream by `exec.run`; beyond it the output is cut and `truncated` says so. */
export const RUN_OUTPUT_MAX = 1 << 20;
export const RUN_TIMEOUT_MAX_MS = 10 * MIN;

export const execMethods = {
  "exec.run": z.object({
    id: containerIdSchema,
    cmd: execCmdSchema,
    user: execUserSchema.optional(),
    workdir: execWorkdirSchema.optional(),
    /** Extra environment variables (`NAME=value`), as `docker exec -e`. */
    environment: execEnvSchema.optional(),
    /** Killed (and reported `timedOut`) after this long. */
    timeoutMs: z.number().int().min(100).max(RUN_TIMEOUT_MAX_MS).default(30_000),
  }),
} as const satisfies MethodTable;

export interface ExecRunResult {
  containerId: string;
  name: string;
  stdout: string;
  stderr: string;
  /** Null when the command was killed at its timeout before the engine recorded an exit. */
  exitCode: number | null;
  truncated: boolean;
  timedOut: boolean;
  durationMs: number;
}

export interface ExecResults {
  "exec.run": ExecRunResult;
}

/** The command's own timeout plus time to start it and to kill it. */
export const execDeadlines: DeadlineRules = {
  // Asked before the input is validated: junk (no object, a string, a huge number) gets the default.
  "exec.run": (input) => {
    const t = input?.timeoutMs;
    return (typeof t === "number" && t > 0 && t <= RUN_TIMEOUT_MAX_MS ? t : 30_000) + 15_000;
  },
};
