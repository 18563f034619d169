/**
 * The volumes capability's wire contract: list (with sizes from `system df`
 * and the containers using each), inspect, create, remove. Browsing a volume's
 * files is the files capability's. Never imports dockerode.
 */
import { z } from "zod";
import type { DeadlineRules, MethodTable } from "../protocol/registry";
import { MIN } from "../protocol/deadlines";
import { stringMap } from "../protocol/string-map";

/** Docker's rule for volume names (volume/local: `[a-zA-Z0-9][a-zA-Z0-9_.-]+`). */
export const VOLUME_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

export const volumeNameSchema = z
  .string()
  .min(2, "must be at least 2 characters")
  .max(255, "must be at most 255 characters")
  .regex(VOLUME_NAME_PATTERN, "a name Docker accepts: letters, digits, _ . - (at least 2, starting with a letter or digit)");

export const volumeRef = z.strictObject({ id: volumeNameSchema });

export const volumeMethods = {
  "volumes.list": z.strictObject({}),
  "volumes.inspect": volumeRef,
  "volumes.create": z.strictObject({
    /** Absent: Docker names it (an anonymous volume, a 64-character hex name). */
    name: volumeNameSchema.optional(),
    driver: z
      .string()
      .min(1, "is required")
      .max(128, "must be at most 128 characters")
      .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.:/-]*$/, "a volume driver name such as local")
      .default("local"),
    driverOpts: stringMap("driver option", 50).default({}),
    labels: stringMap("label", 100).default({}),
  }),
  "volumes.remove": volumeRef.extend({ force: z.boolean().default(false) }),
} as const satisfies MethodTable;

export interface VolumeUser {
  id: string;
  name: string;
  state: string;
  /** Where the volume is mounted in the container. */
  destination: string;
  rw: boolean;
}

export interface VolumeSummary {
  name: string;
  driver: string;
  mountpoint: string;
  /** ISO time, as Docker reports it ("" when the driver does not say). */
  created: string;
  labels: Record<string, string>;
  scope: string;
  options: Record<string, string>;
  /** Bytes, from `system df`; -1 when unknown (the engine did not answer in time, or the driver does not say). */
  size: number;
  /** Containers referencing it, as `system df` counts them; -1 when unknown. */
  refCount: number;
  /** Containers (running or not) with it mounted. */
  containers: VolumeUser[];
  /** No container has it mounted. */
  unused: boolean;
}

export interface VolumeResults {
  "volumes.list": VolumeSummary[];
  "volumes.inspect": VolumeSummary & { status?: Record<string, unknown> };
  "volumes.create": VolumeSummary;
  "volumes.remove": { id: string; name: string };
}

/** A remove with force may wait on the driver; the list waits for `system df` at most DF_WAIT_MS. */
export const volumeDeadlines: DeadlineRules = {
  "volumes.remove": () => 2 * MIN,
};
