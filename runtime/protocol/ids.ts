/**
 * Schemas for the names and ids every capability takes. Docker accepts a full
 * id, a unique id prefix or a name wherever a container is named (which one a
 * reference picks: container-ref.ts). Messages leave the field to the path, so
 * the one formatter (zod-issues.ts) writes `id: …` or `ids[1]: …`.
 */
import { z } from "zod";

export const CONTAINER_REF_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
/** Long enough for any name Docker hands out; a full id is 64. */
export const CONTAINER_REF_MAX = 255;

/** A container id, id prefix or name, as an input field. */
export const containerIdSchema = z
  .string()
  .min(1, "is required")
  .max(CONTAINER_REF_MAX, `must be at most ${CONTAINER_REF_MAX} characters`)
  .regex(CONTAINER_REF_PATTERN, "must be a container id or name");

export const containerRef = z.object({ id: containerIdSchema });

/** True when `ref` could name a container (a route segment, a query value). */
export const isContainerRef = (ref: string): boolean => containerIdSchema.safeParse(ref).success;

/** Docker's own rule for container names (daemon/names.go): at least two characters. */
export const containerNamePattern = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** A name given to a container; Docker's own spelling with a leading `/` is accepted. */
export const containerName = z
  .string()
  .max(CONTAINER_REF_MAX, `must be at most ${CONTAINER_REF_MAX} characters`)
  .regex(/^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/, "a name Docker accepts: letters, digits, _ . - (at least 2, starting with a letter or digit)");
