/**
 * The one stream protocol between a page and the dashboard (`/api/ws`), as zod
 * schemas: what a page may send, what the dashboard sends back, and each
 * channel's parameters and data frames. Imported by the hub (server/realtime)
 * and by the page (app/_lib/live*.ts); browser-safe (zod and runtime schemas
 * only). The rules around these shapes are in PROTOCOL.md beside this file.
 */
import { z } from "zod";
import { containerSummarySchema, engineStatusSchema } from "../../runtime/engine/protocol";
import { engineEventsFrameSchema, eventsParamsSchema } from "../../runtime/events/protocol";
import { attachParamsSchema, execParamsSchema, terminalFrameSchema } from "../../runtime/exec/protocol";
import { logsFrameSchema, logsParamsSchema } from "../../runtime/logs/protocol";
import { errorCodes } from "../../runtime/protocol/errors";
import { statsFrameSchema, statsParamsSchema } from "../../runtime/stats/protocol";
import { tasksFrameSchema, tasksParamsSchema } from "../../runtime/tasks/protocol";

export const PROTOCOL_VERSION = 1;

/** A subscription's id, chosen by the page, unique on its socket. */
const utf8 = new TextEncoder();
/** At most 64 bytes of UTF-8, not only 64 characters: binary frames carry the id behind a one-byte length (binary-frame.ts). */
export const subscriptionIdSchema = z
  .string()
  .min(1, "id is required")
  .max(64, "id must be at most 64 characters")
  .refine((s) => utf8.encode(s).length <= 64, "id must be at most 64 bytes of UTF-8");

/** An environment id, as in `/e/<env>/…` addresses. */
export const envIdSchema = z
  .string()
  .min(1, "env is required")
  .max(64, "env must be at most 64 characters")
  .regex(/^[a-z0-9][a-z0-9_-]*$/, "env must be an environment id (lowercase letters, digits, _ and -)");

// ---------------------------------------------------------------- channels

/** `containers`: one environment's engine status and container list, whole first, then changes. */
export const containersParamsSchema = z.strictObject({});
export const containersFrameSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("engine"), engine: engineStatusSchema }),
  z.object({ type: z.literal("containers.snapshot"), containers: z.array(containerSummarySchema) }),
  z.object({ type: z.literal("container.upsert"), container: containerSummarySchema }),
  z.object({ type: z.literal("container.remove"), id: z.string() }),
]);

/** Every channel's parameters and data frames, by name; the server side of each is in channels/<name>.ts. */
export const channelSchemas = {
  containers: { params: containersParamsSchema, frame: containersFrameSchema },
  logs: { params: logsParamsSchema, frame: logsFrameSchema },
  events: { params: eventsParamsSchema, frame: engineEventsFrameSchema },
  stats: { params: statsParamsSchema, frame: statsFrameSchema },
  /** Terminals: status frames here; the bytes both ways are binary frames (binary-frame.ts). */
  exec: { params: execParamsSchema, frame: terminalFrameSchema },
  attach: { params: attachParamsSchema, frame: terminalFrameSchema },
  /** Long operations (pull, push, build…): the list (no `id`) or one task's detail (`id`). */
  tasks: { params: tasksParamsSchema, frame: tasksFrameSchema },
} as const;

export type ChannelName = keyof typeof channelSchemas;
/** What a page sends as a channel's params (defaults not yet applied). */
export type ChannelParamsInput<C extends ChannelName> = z.input<(typeof channelSchemas)[C]["params"]>;
export type ChannelParams<C extends ChannelName> = z.output<(typeof channelSchemas)[C]["params"]>;
export type ChannelFrame<C extends ChannelName> = z.output<(typeof channelSchemas)[C]["frame"]>;

// ---------------------------------------------------------------- page → dashboard

export const clientMessageSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("subscribe"),
    id: subscriptionIdSchema,
    /** Looked up in the hub's channel table: an unknown one is refused with NOT_FOUND naming `channel`. */
    channel: z.string().min(1, "channel is required").max(64, "channel must be at most 64 characters"),
    env: envIdSchema,
    /**
     * An object whose fields the channel's own schema checks (errors name `params.<field>`);
     * only its outer shape is checked here, so a deeply nested value costs nothing before that.
     */
    params: z.looseObject({}).default({}),
  }),
  z.object({ type: z.literal("unsubscribe"), id: subscriptionIdSchema }),
  /** Answered with `pong`: a page cannot see WebSocket pings, so it checks the line this way. */
  z.object({ type: z.literal("ping") }),
  /**
   * Control for one subscription of a channel that takes it (a terminal's `resize`, `pause`, `resume`):
   * `data` is checked by that channel's own control schema (errors name `data.<field>`).
   */
  z.object({ type: z.literal("control"), id: subscriptionIdSchema, data: z.looseObject({}) }),
]);
export type ClientMessage = z.input<typeof clientMessageSchema>;

/** A subscribe message as a page writes it, typed by its channel. */
export interface SubscribeMessage<C extends ChannelName> {
  type: "subscribe";
  id: string;
  channel: C;
  env: string;
  params: ChannelParamsInput<C>;
}

// ---------------------------------------------------------------- dashboard → page

const dataFrame = <C extends ChannelName>(channel: C) =>
  z.object({ type: z.literal("frame"), id: subscriptionIdSchema, channel: z.literal(channel), data: channelSchemas[channel].frame });

/** A data frame of one subscription: `channel` says how to read `data`. */
export const dataFrameSchema = z.discriminatedUnion("channel", [dataFrame("containers"), dataFrame("logs"), dataFrame("events"), dataFrame("stats"), dataFrame("exec"), dataFrame("attach"), dataFrame("tasks")]);
export type DataFrame = z.output<typeof dataFrameSchema>;

export const errorFrameSchema = z.object({
  type: z.literal("error"),
  /** The subscription refused or ended by this error; absent when the message itself was not understood. */
  id: subscriptionIdSchema.optional(),
  code: z.enum(errorCodes),
  message: z.string(),
  /** The field at fault (`env`, `channel`, `params.tail`…), for BAD_REQUEST and NOT_FOUND. */
  field: z.string().optional(),
});

export const serverFrameSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("hello"),
    user: z.string(),
    protocol: z.literal(PROTOCOL_VERSION),
    limits: z.object({ maxSubscriptions: z.number(), maxClientFrameBytes: z.number() }),
  }),
  dataFrameSchema,
  errorFrameSchema,
  /** The subscription is over: the last frame of its id. `detail` when it did not end normally (resubscribe to resume). */
  z.object({ type: z.literal("closed"), id: subscriptionIdSchema, detail: z.string().optional() }),
  z.object({ type: z.literal("pong") }),
]);
export type ErrorFrame = z.output<typeof errorFrameSchema>;
export type ServerFrame = z.output<typeof serverFrameSchema>;
