/**
 * Schemas for the names and ids every capability takes. Docker accepts a full
 * id, a unique id prefix or a name wherever a container is named.
 */
import { z } from "zod";

export const CONTAINER_REF_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/** A container id, id prefix or name, as an input field. */
export const containerIdSchema = z
  .string()
  .min(1, "id is required")
  .max(128)
  .regex(CONTAINER_REF_PATTERN, "id must be a container id or name");

export const containerRef = z.object({ id: containerIdSchema });

/** Docker's own rule for container names (daemon/names.go): at least two characters. */
export const containerName = z
  .string()
  .regex(/^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/, "a name Docker accepts: letters, digits, _ . - (at least 2, starting with a letter or digit)");
