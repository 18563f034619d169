/**
 * The audit history: one row per mutation, sign-in attempt and setup attempt.
 * Procedures never call this themselves: server/trpc.ts does it for every
 * mutation, and the auth flows for sign-in and setup.
 */
import { db } from "./db";

export interface AuditTarget {
  engine?: string;
  type?: string;
  id?: string;
  name?: string;
}

export interface AuditRecord {
  userId?: string | null;
  username?: string | null;
  sourceIp?: string | null;
  action: string;
  target?: AuditTarget;
  outcome: "ok" | "error";
  error?: string;
  details?: unknown;
}

const SECRET_KEYS = /pass(word)?|secret|token|key/i;

/** Inputs are kept for the record, but never their secrets. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_KEYS.test(k) ? "[redacted]" : redact(v)]),
    );
  }
  return value;
}

export async function writeAudit(record: AuditRecord): Promise<void> {
  const details = record.details === undefined ? null : JSON.stringify(redact(record.details));
  try {
    await db.auditEntry.create({
      data: {
        userId: record.userId ?? null,
        username: record.username ?? null,
        sourceIp: record.sourceIp ?? null,
        action: record.action,
        engine: record.target?.engine ?? null,
        targetType: record.target?.type ?? null,
        targetId: record.target?.id ?? null,
        targetName: record.target?.name ?? null,
        outcome: record.outcome,
        error: record.error ?? null,
        details: details && details.length > 8192 ? details.slice(0, 8192) : details,
      },
    });
  } catch (err) {
    // Losing an audit row must be loud, but must not turn a done action into a failure.
    console.error("[audit] could not write audit row", record.action, err);
  }
}

export async function listAudit(opts: { limit: number; cursor?: number; action?: string }) {
  const rows = await db.auditEntry.findMany({
    where: opts.action ? { action: { startsWith: opts.action } } : undefined,
    orderBy: { id: "desc" },
    take: opts.limit + 1,
    ...(opts.cursor ? { cursor: { id: opts.cursor }, skip: 1 } : {}),
  });
  const more = rows.length > opts.limit;
  const items = more ? rows.slice(0, opts.limit) : rows;
  return { items, nextCursor: more ? items[items.length - 1]?.id : undefined };
}
