/**
 * One error type for the dashboard, and the one place where errors become
 * tRPC errors. Runtime (Docker) errors arrive with protocol codes; they keep
 * Docker's message, which names the object.
 */
import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import { errorCodes, type ErrorCode } from "../runtime/protocol";

export class BerthError extends Error {
  readonly code: ErrorCode;
  readonly field?: string;
  constructor(code: ErrorCode, message: string, opts: { field?: string; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = "BerthError";
    this.code = code;
    this.field = opts.field;
  }
}

const toTrpc: Record<ErrorCode, TRPC_ERROR_CODE_KEY> = {
  BAD_REQUEST: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  NOT_MODIFIED: "PRECONDITION_FAILED",
  ENGINE_UNREACHABLE: "SERVICE_UNAVAILABLE",
  RUNTIME_UNAVAILABLE: "SERVICE_UNAVAILABLE",
  INTERNAL: "INTERNAL_SERVER_ERROR",
};

const known = new Set<string>(errorCodes);

/** Anything carrying a protocol code (BerthError, the runtime client's error) becomes a BerthError. */
export function asBerthError(err: unknown): BerthError | undefined {
  if (err instanceof BerthError) return err;
  const e = err as { code?: unknown; message?: unknown; field?: unknown; error?: { code?: unknown } } | null;
  const code = typeof e?.code === "string" ? e.code : typeof e?.error?.code === "string" ? e.error.code : undefined;
  if (e && code && known.has(code) && typeof e.message === "string") {
    return new BerthError(code as ErrorCode, e.message, {
      field: typeof e.field === "string" ? e.field : undefined,
      cause: err,
    });
  }
  return undefined;
}

export function toTRPCError(err: unknown): TRPCError {
  if (err instanceof TRPCError) {
    const inner = asBerthError(err.cause);
    return inner ? toTRPCError(inner) : err;
  }
  const berth = asBerthError(err);
  if (berth) return new TRPCError({ code: toTrpc[berth.code], message: berth.message, cause: berth });
  return new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: err instanceof Error ? err.message : String(err), cause: err });
}

/**
 * The runtime's facts about the object of an error, for the client: the container that
 * holds a name, or the one that was created but did not start (so the page can link it).
 */
export function berthDetailsOf(err: TRPCError): { containerId?: string; created?: boolean } {
  let cause: unknown = err.cause;
  for (let depth = 0; cause && depth < 4; depth++) {
    const e = (cause as { error?: { containerId?: unknown; created?: unknown } }).error;
    if (e && typeof e.containerId === "string") return { containerId: e.containerId, ...(e.created === true ? { created: true } : {}) };
    cause = (cause as { cause?: unknown }).cause;
  }
  return {};
}

/** The Berth code behind a tRPC error, for the client (e.g. to show "Engine unreachable"). */
export function berthCodeOf(err: TRPCError): ErrorCode | undefined {
  return asBerthError(err.cause)?.code;
}
