/**
 * Reading the audit history: the filters (one schema for the page's tRPC query
 * and the REST export), pages for the list, and batches for the export. Nothing
 * here holds the whole table in memory.
 */
import { z } from "zod";
import type { Prisma } from "@prisma/client";
import { db } from "./db";
import { COLUMN_MAX, ERROR_MAX } from "./audit";
import { boundedDetails, listedDetails, truncate, wellFormed } from "./audit-bounds";

export const OUTCOMES = ["ok", "error", "denied", "pending", "interrupted"] as const;

const when = () =>
  z
    .string()
    .max(64)
    .refine((s) => !Number.isNaN(Date.parse(s)), "not a date and time (use ISO 8601, e.g. 2026-11-30T14:00:00Z)");

/** What the list and the export filter by; every field optional and bounded. */
export const auditFilterFields = {
  /** The username starts with this. */
  user: z.string().max(64).optional(),
  /** The action starts with this (`container.` for every container action). */
  action: z.string().max(100).optional(),
  /** The target's name or id contains this, or its type or environment is this. */
  target: z.string().max(256).optional(),
  outcome: z.enum(OUTCOMES).optional(),
  /** From this time (inclusive), ISO 8601. */
  from: when().optional(),
  /** Up to this time (inclusive), ISO 8601. */
  to: when().optional(),
};

export const auditFilterSchema = z
  .object(auditFilterFields)
  .refine((f) => !f.from || !f.to || Date.parse(f.from) <= Date.parse(f.to), { message: "must not be before from", path: ["to"] });

export type AuditFilter = z.infer<typeof auditFilterSchema>;

/** The filter as a Prisma condition; empty strings mean no filter. A lone surrogate would fail the query (see wellFormed). */
export function auditWhere(f: AuditFilter): Prisma.AuditEntryWhereInput {
  const and: Prisma.AuditEntryWhereInput[] = [];
  if (f.user) and.push({ username: { startsWith: wellFormed(f.user) } });
  if (f.action) and.push({ action: { startsWith: wellFormed(f.action) } });
  if (f.target) {
    const t = wellFormed(f.target);
    and.push({ OR: [{ targetName: { contains: t } }, { targetId: { startsWith: t } }, { targetType: t }, { environmentId: t }] });
  }
  if (f.outcome) and.push({ outcome: f.outcome });
  if (f.from) and.push({ at: { gte: new Date(f.from) } });
  if (f.to) and.push({ at: { lte: new Date(f.to) } });
  return and.length ? { AND: and } : {};
}

const opt = (value: string | null | undefined, max = COLUMN_MAX) => (value == null ? null : truncate(String(value), max));

/** A page holds at most this many bytes of JSON (before superjson's framing), whatever the rows hold. */
export const PAGE_BYTES = 256 * 1024;
const BATCH = 50;

/**
 * Newest first, at most `limit` rows and about PAGE_BYTES. Columns are cut again on
 * the way out (rows written before the caps existed may hold anything) and details
 * are shortened: auditDetails gives one row's whole (capped) details.
 */
export async function listAudit(opts: { limit: number; cursor?: number } & AuditFilter) {
  const where = auditWhere(opts);
  const items: ReturnType<typeof listedRow>[] = [];
  let bytes = 0;
  let cursor = opts.cursor;
  let full = false;
  let exhausted = false;
  // Read in batches so a page of huge legacy rows is never all in memory at once.
  while (!full && !exhausted) {
    const take = Math.min(BATCH, opts.limit - items.length + 1);
    const rows = await db.auditEntry.findMany({
      where,
      orderBy: { id: "desc" },
      take,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    exhausted = rows.length < take;
    for (const row of rows) {
      if (items.length >= opts.limit) {
        full = true;
        break;
      }
      const item = listedRow(row);
      const size = JSON.stringify(item).length;
      if (items.length > 0 && bytes + size > PAGE_BYTES) {
        full = true;
        break;
      }
      items.push(item);
      bytes += size;
      cursor = row.id;
    }
    if (rows.length === 0) exhausted = true;
  }
  return { items, nextCursor: full ? items[items.length - 1]?.id : undefined };
}

type AuditRow = Awaited<ReturnType<typeof db.auditEntry.findFirstOrThrow>>;

function listedRow(row: AuditRow) {
  const cut = listedDetails(row.details);
  return {
    id: row.id,
    at: row.at,
    seq: row.seq,
    userId: opt(row.userId),
    username: opt(row.username),
    sourceIp: opt(row.sourceIp),
    userAgent: opt(row.userAgent),
    teamContext: opt(row.teamContext),
    action: truncate(row.action, COLUMN_MAX),
    environmentId: opt(row.environmentId),
    targetType: opt(row.targetType),
    targetId: opt(row.targetId),
    targetName: opt(row.targetName),
    outcome: truncate(row.outcome, 16),
    error: opt(row.error, ERROR_MAX),
    durationMs: row.durationMs,
    details: cut.text,
    detailsTruncated: cut.truncated,
  };
}

/** One row's details as stored (already capped when written; capped again for legacy rows). */
export async function auditDetails(id: number): Promise<{ id: number; details: string | null } | null> {
  const row = await db.auditEntry.findUnique({ where: { id }, select: { id: true, details: true } });
  if (!row) return null;
  return { id: row.id, details: row.details == null ? null : boundedDetails(row.details, (v) => v, true) };
}

/** The columns of an export, in order: everything, hashes included, so a file can be checked on its own. */
export const EXPORT_COLUMNS = [
  "id",
  "at",
  "seq",
  "userId",
  "username",
  "sourceIp",
  "userAgent",
  "teamContext",
  "action",
  "environmentId",
  "targetType",
  "targetId",
  "targetName",
  "outcome",
  "error",
  "durationMs",
  "details",
  "prevHash",
  "hash",
] as const satisfies readonly (keyof AuditRow)[];

export const EXPORT_BATCH = 200;

/**
 * The rows matching `filter`, oldest first, a batch at a time, up to (not
 * including) entry `beforeId` (the export's own entry).
 */
export async function* exportBatches(filter: AuditFilter, beforeId: number, batch = EXPORT_BATCH): AsyncGenerator<AuditRow[]> {
  const where = auditWhere(filter);
  let after = 0;
  for (;;) {
    const rows = await db.auditEntry.findMany({ where: { AND: [where, { id: { gt: after, lt: beforeId } }] }, orderBy: { id: "asc" }, take: batch });
    if (rows.length) yield rows;
    if (rows.length < batch) return;
    after = rows[rows.length - 1]!.id;
  }
}
