/**
 * One error type for the dashboard, and the one place where errors become
 * tRPC errors. Runtime (Docker) errors arrive with protocol codes; they keep
 * Docker's message, which names the object.
 */
import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import { errorCodes, type ErrorCode } from "../runtime/protocol/index";

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
  TIMEOUT: "GATEWAY_TIMEOUT",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
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

/** SQLite's answer behind a Prisma error (through the better-sqlite3 driver adapter), or a driver error's own code. */
function sqliteCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } } | null;
  const original = e?.meta?.driverAdapterError?.cause?.originalCode;
  if (typeof original === "string") return original;
  return typeof e?.code === "string" && e.code.startsWith("SQLITE_") ? e.code : undefined;
}

export const DATABASE_LOCKED = "the database is locked by another process (it was not released within the busy timeout); try again once it is";

/**
 * Database failures as errors a person can act on. Prisma's own message quotes
 * source code and file paths, so it never reaches a response; the cause keeps it for the log.
 */
export function databaseError(err: unknown): { code: TRPC_ERROR_CODE_KEY; message: string } | undefined {
  const sqlite = sqliteCode(err) ?? "";
  if (/^SQLITE_(BUSY|LOCKED)/.test(sqlite)) return { code: "SERVICE_UNAVAILABLE", message: DATABASE_LOCKED };
  if (sqlite.startsWith("SQLITE_FULL")) return { code: "INTERNAL_SERVER_ERROR", message: "the database cannot be written: the disk is full" };
  if (sqlite.startsWith("SQLITE_READONLY")) return { code: "INTERNAL_SERVER_ERROR", message: "the database cannot be written: it is read-only" };
  if (/^SQLITE_(CORRUPT|NOTADB)/.test(sqlite)) return { code: "INTERNAL_SERVER_ERROR", message: "the database file is damaged" };
  if (!(err instanceof Error && err.name.startsWith("PrismaClient"))) return undefined;
  const code = (err as { code?: unknown }).code;
  if (code === "P1008") return { code: "SERVICE_UNAVAILABLE", message: "the database did not answer in time; try again" };
  if (code === "P2002") return { code: "CONFLICT", message: "that record already exists" };
  if (code === "P2025") return { code: "NOT_FOUND", message: "that record does not exist" };
  return { code: "INTERNAL_SERVER_ERROR", message: `database error${typeof code === "string" ? ` (${code})` : ""}` };
}

export function toTRPCError(err: unknown): TRPCError {
  if (err instanceof TRPCError) {
    if (!err.cause) return err;
    const inner = asBerthError(err.cause);
    if (inner) return toTRPCError(inner);
    return databaseError(err.cause) ? toTRPCError(err.cause) : err;
  }
  const db = databaseError(err);
  if (db) return new TRPCError({ ...db, cause: err });
  const berth = asBerthError(err);
  if (berth) return new TRPCError({ code: toTrpc[berth.code], message: berth.message, cause: berth });
  return new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: err instanceof Error ? err.message : String(err), cause: err });
}

/**
 * The runtime's facts about the object of an error, for the client: the container that
 * holds a name, or the one that was created but did not start (so the page can link it).
 */
export function berthDetailsOf(err: { cause?: unknown }): { containerId?: string; created?: boolean } {
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
