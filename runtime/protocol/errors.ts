/**
 * One error vocabulary from Docker to browser; server/errors.ts maps it to tRPC codes.
 * Shared by every capability; imports nothing of the runtime.
 */
import { z } from "zod";

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

/** The `error` frame every channel may send before it closes. */
export const errorFrameSchema = z.object({
  type: z.literal("error"),
  code: z.enum(errorCodes),
  message: z.string(),
  /** The parameter that was wrong, when the stream refused its parameters. */
  field: z.string().optional(),
});
