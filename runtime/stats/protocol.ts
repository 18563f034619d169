/**
 * Schemas and frames of the stats capability (`/ws/stats`, `stats.history`,
 * `stats.info`). Never imports dockerode, so the dashboard and the page can
 * depend on it.
 */
import { z } from "zod";
import { errorFrameSchema } from "../protocol/errors";
import { containerIdSchema } from "../protocol/ids";
import type { MethodTable } from "../protocol/registry";

export const STATS_CHANNEL = "/ws/stats" as const;

/**
 * One reading of a container, computed as `docker stats` computes it
 * (compute.ts). Network and block figures are the engine's running totals
 * (bytes since the container started); rates are the difference of two samples.
 */
export const statsSampleSchema = z.object({
  /** When the engine read it, ms since the epoch. */
  t: z.number(),
  /** CPU %, 100 per CPU (a container using two whole CPUs shows 200). */
  cpu: z.number(),
  /** Memory usage without the page cache, bytes. */
  mem: z.number(),
  memLimit: z.number(),
  memPct: z.number(),
  netRx: z.number(),
  netTx: z.number(),
  blkRead: z.number(),
  blkWrite: z.number(),
  pids: z.number(),
});
export type StatsSample = z.infer<typeof statsSampleSchema>;

/** Exactly one of `id` (one container: its ring, then every sample) or `all` (every running container, one frame a second). */
export const statsParamsSchema = z.union(
  [z.strictObject({ id: containerIdSchema }), z.strictObject({ all: z.literal(true) })],
  { error: "give either id (one container) or all: true" },
);
export type StatsParams = z.output<typeof statsParamsSchema>;

/** `[cpu %, memory bytes, memory limit bytes]` of one container in an `all` frame. */
export const statsBriefSchema = z.tuple([z.number(), z.number(), z.number()]);
export type StatsBrief = z.infer<typeof statsBriefSchema>;

/** Frames on `/ws/stats`. */
export const statsFrameSchema = z.discriminatedUnion("type", [
  /** First frame of an `id` subscription: the last 15 minutes kept in memory (oldest first), and the container's full id and name. */
  z.object({ type: z.literal("history"), id: z.string(), name: z.string(), running: z.boolean(), samples: z.array(statsSampleSchema) }),
  z.object({ type: z.literal("sample"), sample: statsSampleSchema }),
  /** The container stopped (running false) or started again. */
  z.object({ type: z.literal("running"), running: z.boolean() }),
  /** `all`: every running container's latest figures, by full id, once a second. */
  z.object({ type: z.literal("all"), t: z.number(), stats: z.record(z.string(), statsBriefSchema) }),
  /** The container was removed: the last frame. */
  z.object({ type: z.literal("end") }),
  errorFrameSchema,
]);
export type StatsFrame = z.infer<typeof statsFrameSchema>;

/** The history kept on disk: 1-minute averages. */
export const statsMinuteSchema = z.object({
  /** Start of the minute, ms since the epoch. */
  t: z.number(),
  cpu: z.number(),
  mem: z.number(),
  memLimit: z.number(),
  /** Average rates over the minute, bytes per second. */
  netRx: z.number(),
  netTx: z.number(),
  blkRead: z.number(),
  blkWrite: z.number(),
  pids: z.number(),
});
export type StatsMinute = z.infer<typeof statsMinuteSchema>;

export const STATS_HISTORY_DAYS = 7;
const DAY_MS = 86_400_000;

export const statsMethods = {
  /** 1-minute averages of one container (by id or name; kept by name, so a recreated container continues) from `since` to `until` (ms). */
  "stats.history": z
    .object({
      id: containerIdSchema,
      since: z.number().int().min(0, "must be a time in ms since the epoch"),
      until: z.number().int().min(0, "must be a time in ms since the epoch").optional(),
    })
    .refine((i) => i.until === undefined || i.until >= i.since, { message: "must not be before since", path: ["until"] })
    .refine((i) => (i.until ?? Date.now()) - i.since <= STATS_HISTORY_DAYS * DAY_MS + DAY_MS, {
      message: `the range is at most ${STATS_HISTORY_DAYS} days`,
      path: ["since"],
    }),
  /** How many engine streams the collector holds and for which containers (tests and diagnostics). */
  "stats.info": z.object({}),
} as const satisfies MethodTable;

export interface StatsInfo {
  /** Engine stats streams opened since the runtime started. */
  opened: number;
  /** Containers with an engine stream open now. */
  streams: string[];
  /** Rows in the history file. */
  historyRows: number;
}

export interface StatsResults {
  "stats.history": { id: string; name: string; minutes: StatsMinute[] };
  "stats.info": StatsInfo;
}
