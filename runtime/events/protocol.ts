/**
 * The events capability's wire contract: `/ws/engine-events?p=<json params>`,
 * the engine's events filtered by type, action, object and label, with an
 * optional history since a time (read once from the engine), then live.
 * Never imports dockerode, so the dashboard and the page can depend on it.
 */
import { z } from "zod";
import { dockerEventSchema } from "../engine/protocol";
import { errorFrameSchema } from "../protocol/errors";

export const ENGINE_EVENTS_CHANNEL = "/ws/engine-events" as const;

/** The object types Docker's /events reports (`docker events --filter type=…`). */
export const eventTypes = ["container", "image", "volume", "network", "daemon", "plugin", "service", "node", "secret", "config"] as const;
export type EventType = (typeof eventTypes)[number];

/** At most this many history events in one answer: the newest ones, with `truncated`. */
export const MAX_HISTORY = 1000;
/** Clocks of the page, dashboard and engine may differ a little: a `since` this far ahead is still "now". */
const FUTURE_SLACK_MS = 60_000;
const MAX_VALUES = 20;

/** Plain text, no control characters (a NUL or newline in a filter is a mistake, not a search). */
const text = (max: number) =>
  z
    .string()
    .min(1, "must not be empty")
    .max(max, `must be at most ${max} characters`)
    .refine((s) => ![...s].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f), "must not contain control characters");

/** One value or a list of them (`"container"` or `["container","image"]`), at most MAX_VALUES. */
const list = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (v) => (typeof v === "string" ? [v] : v),
    z.array(item).min(1, "give at least one value").max(MAX_VALUES, `at most ${MAX_VALUES} values`),
  );

/** `since` as Unix milliseconds: Unix seconds (a number or its digits) or an ISO 8601 time; undefined when it is neither. */
export function sinceMs(v: number | string): number | undefined {
  const ms = typeof v === "number" ? v * 1000 : /^\d+(\.\d+)?$/.test(v) ? Number(v) * 1000 : Date.parse(v);
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * Kept as given (not turned into a number): the dashboard checks the page's
 * params with this schema and hands what it parsed to the runtime, which checks them again.
 */
const sinceSchema = z
  .union([z.number().finite().nonnegative(), z.string().max(40, "must be at most 40 characters")], {
    message: "must be Unix seconds or an ISO 8601 time",
  })
  .refine((v) => sinceMs(v) !== undefined, "must be Unix seconds or an ISO 8601 time")
  .refine((v) => (sinceMs(v) ?? 0) <= Date.now() + FUTURE_SLACK_MS, "must not be in the future");

export const eventsParamsSchema = z.strictObject({
  type: list(z.enum(eventTypes, { message: `must be one of ${eventTypes.join(", ")}` })).optional(),
  /** Docker's action (`start`, `die`, `health_status`…); `exec_start` also matches `exec_start: sh -c …`. */
  action: list(text(64)).optional(),
  /** An id (or its start, at least 3 characters), or a name (`/` optional). */
  object: list(text(256)).optional(),
  /** `key` (present) or `key=value` (equal), matched against the event's attributes (containers carry their labels there). */
  label: list(text(512)).optional(),
  /** History from this time (Unix seconds or ISO 8601), then live; without it, live only. */
  since: sinceSchema.optional(),
});
export type EventsParams = z.output<typeof eventsParamsSchema>;
export type EventsParamsInput = z.input<typeof eventsParamsSchema>;

/** Frames on `/ws/engine-events`. */
export const engineEventsFrameSchema = z.discriminatedUnion("type", [
  /** Only with `since`, first: the matching events since then, oldest first; `truncated` when older ones were left out. */
  z.object({ type: z.literal("history"), events: z.array(dockerEventSchema), truncated: z.boolean() }),
  z.object({ type: z.literal("event"), event: dockerEventSchema }),
  /** The reader fell behind: `count` events between the stamps `from` and `to` (timeNano) were not sent; load them with `since`. */
  z.object({ type: z.literal("skipped"), count: z.number(), from: z.string(), to: z.string() }),
  /** Whether the runtime is following the engine: events that happen while it is not are not seen (load them with `since` after). */
  z.object({ type: z.literal("state"), live: z.boolean(), reason: z.string().optional() }),
  errorFrameSchema,
]);
export type EngineEventsFrame = z.infer<typeof engineEventsFrameSchema>;
