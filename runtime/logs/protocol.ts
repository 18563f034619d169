/**
 * Schemas and frames of the logs capability (`/ws/logs`, `GET /logs/download`,
 * the history methods). Never imports dockerode, so the dashboard can depend on it.
 */
import { z } from "zod";
import { MIN } from "../protocol/deadlines";
import { errorFrameSchema } from "../protocol/errors";
import { containerIdSchema } from "../protocol/ids";
import type { DeadlineRules, MethodTable } from "../protocol/registry";

export const LOGS_CHANNEL = "/ws/logs" as const;
export const LOGS_DOWNLOAD_PREFIX = "/logs/download";
export const HISTORY_DOWNLOAD_PREFIX = "/logs/history/download";

const ref = containerIdSchema;

export const logSearchSchema = z.object({
  q: z.string().max(2000),
  regex: z.boolean().default(false),
  caseSensitive: z.boolean().default(false),
  invert: z.boolean().default(false),
});
export type LogSearch = z.output<typeof logSearchSchema>;

/** An ISO time or Docker's RFC3339Nano stamp. */
const time = z.string().max(40).refine((s) => !Number.isNaN(Date.parse(s.replace(/\.(\d{3})\d+/, ".$1"))), "must be a time (ISO 8601)");

export const logsParamsSchema = z
  .object({
    id: ref.optional(),
    ids: z.array(ref).min(1).max(50).optional(),
    project: z.string().min(1).max(200).optional(),
    follow: z.boolean().default(true),
    /** Lines per container before following; "all" for everything. */
    tail: z.union([z.number().int().min(0).max(1_000_000), z.literal("all")]).default(500),
    since: time.optional(),
    until: time.optional(),
    stdout: z.boolean().default(true),
    stderr: z.boolean().default(true),
    /** Only for downloads: prefix each line with its stamp (streams always carry it). */
    timestamps: z.boolean().default(false),
    search: logSearchSchema.optional(),
    /** Resume point: skip lines before `ts` and the first `n` lines stamped exactly `ts`. */
    after: z.object({ ts: time, n: z.number().int().min(0) }).optional(),
  })
  .refine((p) => [p.id, p.ids, p.project].filter((x) => x !== undefined).length === 1, {
    message: "give exactly one of id, ids or project",
  })
  // Docker refuses a log request with neither stream, and the engine stream then fails before any answer.
  .refine((p) => p.stdout || p.stderr, { message: "choose at least one of stdout and stderr", path: ["stdout"] });
export type LogsParams = z.output<typeof logsParamsSchema>;
export type LogsParamsInput = z.input<typeof logsParamsSchema>;

/** [stamp, 0 stdout | 1 stderr, text, source index]: compact, as floods send many. */
export const logLineTupleSchema = z.tuple([z.string(), z.union([z.literal(0), z.literal(1)]), z.string(), z.number()]);
export type LogLineTuple = [ts: string, stream: 0 | 1, text: string, source: number];

export const logSourceInfoSchema = z.object({
  idx: z.number(),
  id: z.string(),
  name: z.string(),
  tty: z.boolean(),
  state: z.string(),
  project: z.string().optional(),
});
export type LogSourceInfo = z.infer<typeof logSourceInfoSchema>;

/** Frames on `/ws/logs`. */
export const logsFrameSchema = z.discriminatedUnion("type", [
  /** Sent first, and again whenever a container joins (merged and project views). */
  z.object({ type: z.literal("sources"), sources: z.array(logSourceInfoSchema) }),
  /** `matches`: lines that passed the search so far (all lines when there is none). */
  z.object({ type: z.literal("lines"), lines: z.array(logLineTupleSchema), matches: z.number() }),
  /** The viewer fell behind: `count` lines between `from` and `to` were not sent; load them with since/until. */
  z.object({ type: z.literal("skipped"), count: z.number(), from: z.string(), to: z.string() }),
  z.object({ type: z.literal("state"), source: z.number(), state: z.enum(["running", "stopped", "removed"]) }),
  /** Non-follow streams end with this; `scannedFrom` is the oldest stamp read (to page further back). */
  z.object({ type: z.literal("end"), matches: z.number(), scanned: z.number(), scannedFrom: z.string().optional() }),
  errorFrameSchema,
]);
export type LogsFrame = z.infer<typeof logsFrameSchema>;

// ---------------------------------------------------------------- history

export const historyTarget = z.object({
  container: z.string().min(1).max(200).optional(),
  project: z.string().min(1).max(200).optional(),
});

export const historyMethods = {
  "logs.history.status": z.object({}),
  "logs.history.set": historyTarget.extend({ all: z.boolean().optional(), enabled: z.boolean() }),
  "logs.history.search": historyTarget.extend({
    search: logSearchSchema.optional(),
    since: time.optional(),
    until: time.optional(),
    stdout: z.boolean().default(true),
    stderr: z.boolean().default(true),
    limit: z.number().int().min(1).max(10_000).default(1000),
  }),
} as const satisfies MethodTable;

export const logsMethods = historyMethods;

export interface LogsResults {
  "logs.history.status": HistoryStatus;
  "logs.history.set": HistoryStatus;
  "logs.history.search": HistorySearchResult;
}

export const logsDeadlines: DeadlineRules = {
  "logs.history.search": () => MIN,
};

export interface HistoryUsage {
  /** Recorded container name (history outlives ids: a recreated container keeps its name). */
  container: string;
  project?: string;
  ids: string[];
  bytes: number;
  lines: number;
  from?: string;
  to?: string;
  recording: boolean;
}

export interface HistoryStatus {
  all: boolean;
  containers: string[];
  projects: string[];
  perContainerCap: number;
  totalCap: number;
  totalBytes: number;
  usage: HistoryUsage[];
}

export interface HistorySearchResult {
  /** Oldest first; the newest `limit` matches. */
  lines: [ts: string, stream: 0 | 1, text: string, container: string][];
  matches: number;
  scanned: number;
  truncated: boolean;
  tookMs: number;
}
