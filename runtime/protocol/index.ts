/**
 * The runtime's API: every request, response and stream frame, as zod schemas.
 * Imported by server/ (the dashboard) and runtime/; never imports dockerode, so
 * the dashboard can depend on it without touching Docker.
 *
 * Transport: HTTP on a unix socket (or 127.0.0.1) with the shared key in the
 * `x-berth-key` header. Calls are `POST /rpc/<method>` with a JSON body and
 * answer `{ ok: true, result }` or `{ ok: false, error }`. Streams are WebSocket
 * upgrades on `/ws/<channel>`, JSON text frames (binary frames reserved for
 * terminals and bulk log data).
 */
import { z } from "zod";
import { containerOpsMethods, type ContainerOpsResults } from "../containers/types";
import { containerCreateMethods, type ContainerCreateResults } from "../containers/create-types";
import { historyMethods, type HistorySearchResult, type HistoryStatus, type LogsFrame } from "../logs/protocol";

export * from "../logs/protocol";
export { methodDeadlineMs, DASHBOARD_MARGIN_MS, DEFAULT_DEADLINE_MS } from "./deadlines";

export const RUNTIME_KEY_HEADER = "x-berth-key";

/** One error vocabulary from Docker to browser; server/errors.ts maps it to tRPC codes. */
export const errorCodes = [
  "BAD_REQUEST",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "NOT_MODIFIED",
  "ENGINE_UNREACHABLE",
  "RUNTIME_UNAVAILABLE",
  /** The call did not finish within its deadline (deadlines.ts); the engine may still be doing it. */
  "TIMEOUT",
  /** The request body is over the runtime's limit. */
  "PAYLOAD_TOO_LARGE",
  "INTERNAL",
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export const runtimeErrorSchema = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  /** HTTP status Docker answered with, when the error came from the engine. */
  dockerStatus: z.number().optional(),
  /** Which input field was wrong, for BAD_REQUEST. */
  field: z.string().optional(),
  /** The container the error is about: the one holding a name, or one created but not started. */
  containerId: z.string().optional(),
  /** Create succeeded and start failed: the container exists (containerId), stopped. */
  created: z.boolean().optional(),
});
export type RuntimeError = z.infer<typeof runtimeErrorSchema>;

export type RpcReply<T> = { ok: true; result: T } | { ok: false; error: RuntimeError };

// ---------------------------------------------------------------- engine

export const engineStatusSchema = z.object({
  reachable: z.boolean(),
  /** Why the engine cannot be reached, in words a person can act on. */
  reason: z.string().optional(),
  dockerHost: z.string(),
  version: z.string().optional(),
  apiVersion: z.string().optional(),
  os: z.string().optional(),
  osType: z.string().optional(),
  arch: z.string().optional(),
  kernel: z.string().optional(),
  name: z.string().optional(),
  cpus: z.number().optional(),
  memory: z.number().optional(),
  counts: z
    .object({
      containers: z.number(),
      running: z.number(),
      paused: z.number(),
      stopped: z.number(),
      images: z.number(),
      volumes: z.number(),
      networks: z.number(),
    })
    .optional(),
  checkedAt: z.number(),
});
export type EngineStatus = z.infer<typeof engineStatusSchema>;

// ---------------------------------------------------------------- containers

export const containerStates = ["created", "running", "paused", "restarting", "removing", "exited", "dead"] as const;
export type ContainerState = (typeof containerStates)[number];

export const portSchema = z.object({
  ip: z.string().optional(),
  privatePort: z.number(),
  publicPort: z.number().optional(),
  type: z.string(),
});
export type PortBinding = z.infer<typeof portSchema>;

export const containerSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  image: z.string(),
  imageId: z.string(),
  command: z.string(),
  /** Unix seconds, as Docker reports it. */
  created: z.number(),
  state: z.string(),
  status: z.string(),
  health: z.string().optional(),
  ports: z.array(portSchema),
  networks: z.array(z.object({ name: z.string(), ip: z.string().optional() })),
  labels: z.record(z.string(), z.string()),
});
export type ContainerSummary = z.infer<typeof containerSummarySchema>;

const containerId = z
  .string()
  .min(1, "id is required")
  .max(128)
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, "id must be a container id or name");

export const containerRef = z.object({ id: containerId });

/** Inputs of every runtime method; the runtime validates, the dashboard reuses them. */
export const methods = {
  "engine.status": z.object({}),
  "containers.list": z.object({}),
  "containers.start": containerRef,
  "containers.stop": containerRef.extend({ timeout: z.number().int().min(0).max(3600).optional() }),
  "containers.restart": containerRef.extend({ timeout: z.number().int().min(0).max(3600).optional() }),
  "containers.remove": containerRef.extend({
    force: z.boolean().default(false),
    volumes: z.boolean().default(false),
  }),
  // inspect, top, diff, kill, pause, rename, update, commit, recreate, networks, bulk
  ...containerOpsMethods,
  // create from a RunSpec, runCommand, spec, createOptions, images.defaults
  ...containerCreateMethods,
  // logs.history.status, .set, .search (runtime/logs/history/)
  ...historyMethods,
} as const;

export type MethodName = keyof typeof methods;
export type MethodInput<M extends MethodName> = z.input<(typeof methods)[M]>;

/** Results of every runtime method. */
export interface MethodResults extends ContainerOpsResults, ContainerCreateResults {
  "engine.status": EngineStatus;
  "containers.list": ContainerSummary[];
  "containers.start": ActionResult;
  "containers.stop": ActionResult;
  "containers.restart": ActionResult;
  "containers.remove": ActionResult;
  "logs.history.status": HistoryStatus;
  "logs.history.set": HistoryStatus;
  "logs.history.search": HistorySearchResult;
}

/** `changed: false` is Docker's 304: already in the asked state, not an error. */
export interface ActionResult {
  id: string;
  name?: string;
  changed: boolean;
}

// ---------------------------------------------------------------- streams

/** Frames on `/ws/events`: a snapshot first (and after every resync), then deltas. */
export type EventsFrame =
  | { type: "engine"; engine: EngineStatus }
  | { type: "containers.snapshot"; containers: ContainerSummary[] }
  | { type: "container.upsert"; container: ContainerSummary }
  | { type: "container.remove"; id: string }
  | { type: "docker.event"; event: DockerEvent };

export interface DockerEvent {
  type: string;
  action: string;
  id: string;
  name?: string;
  attributes: Record<string, string>;
  /** The engine's own stamp, nanoseconds since the epoch, as a string (exceeds 2^53). */
  timeNano: string;
}

/** Frames of each WebSocket channel, by channel name (`/ws/<name>`). */
export interface ChannelFrames {
  events: EventsFrame;
  logs: LogsFrame;
}
export type ChannelName = keyof ChannelFrames;
