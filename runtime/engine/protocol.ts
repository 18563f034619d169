/**
 * The engine layer's wire contract: `engine.status`, the container summary the
 * live list is made of, and the frames of `/ws/events` (the engine status, a
 * snapshot of the containers, then deltas and every raw Docker event).
 * Never imports dockerode, so the dashboard can depend on it.
 */
import { z } from "zod";
import type { MethodTable } from "../protocol/registry";

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

export const dockerEventSchema = z.object({
  type: z.string(),
  action: z.string(),
  id: z.string(),
  name: z.string().optional(),
  attributes: z.record(z.string(), z.string()),
  /** The engine's own stamp, nanoseconds since the epoch, as a string (exceeds 2^53). */
  timeNano: z.string(),
});
export type DockerEvent = z.infer<typeof dockerEventSchema>;

/** Frames on `/ws/events`: the engine status and a snapshot first (and after every resync), then deltas. */
export const eventsFrameSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("engine"), engine: engineStatusSchema }),
  z.object({ type: z.literal("containers.snapshot"), containers: z.array(containerSummarySchema) }),
  z.object({ type: z.literal("container.upsert"), container: containerSummarySchema }),
  z.object({ type: z.literal("container.remove"), id: z.string() }),
  z.object({ type: z.literal("docker.event"), event: dockerEventSchema }),
]);
export type EventsFrame = z.infer<typeof eventsFrameSchema>;

export const EVENTS_CHANNEL = "/ws/events" as const;

export const engineMethods = {
  "engine.status": z.object({}),
} as const satisfies MethodTable;

export interface EngineResults {
  "engine.status": EngineStatus;
}
