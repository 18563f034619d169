/**
 * The audit history: one row per mutation, sign-in attempt and setup attempt.
 * Procedures never call this themselves: server/api/trpc.ts does it for every
 * mutation, and the auth flows for sign-in and setup.
 *
 * An action's row is written before the action (outcome "pending") and updated
 * after it, so no action happens off the record: when the row cannot be written,
 * beginAudit throws and the caller refuses the action. A row still "pending" is
 * an action whose end was never recorded (e.g. Berth was killed meanwhile).
 *
 * Every column is bounded here, whatever the caller passes: the table must not
 * become a way to fill the disk, nor its pages a way to exhaust the browser.
 */
import { db } from "./db";
import { boundedDetails, listedDetails, truncate, wellFormed } from "./audit-bounds";

export interface AuditTarget {
  /** The environment id the action was on. */
  env?: string;
  type?: string;
  id?: string;
  name?: string;
}

export type AuditOutcome = "pending" | "ok" | "error";

export interface AuditRecord {
  userId?: string | null;
  username?: string | null;
  sourceIp?: string | null;
  action: string;
  target?: AuditTarget;
  outcome: AuditOutcome;
  error?: string;
  details?: unknown;
}

/** The row could not be written, so the action it records must not happen. */
export class AuditWriteError extends Error {
  constructor(reason: string, opts: { cause?: unknown } = {}) {
    super(`The action was not done: its audit record could not be written (${reason}).`, opts);
    this.name = "AuditWriteError";
  }
}

/** Columns are cut to this many characters; `error` to ERROR_MAX. */
export const COLUMN_MAX = 256;
export const ERROR_MAX = 2000;

const SECRET_KEYS = /pass(word)?|passwd|pwd|secret|token|key|credential|auth(?!or)/i;
/** Keys whose values are environment entries: every value there may be a secret, whatever its name. */
const ENV_KEYS = /^(env|environment)$/i;
const REDACTED = "[redacted]";
const NAME_CHAR = /[\w.-]/;
/** What stands before `NAME=value` in a `docker run` line when it is an environment entry. */
const ENV_FLAG_BEFORE = /(?:^|\s)(?:-e|--env)(?:\s+|=)["']?$/;

/**
 * `NAME=value` with a secret-like name, wherever it sits in a string (a pasted
 * `--label api.token=…`), and every `-e`/`--env` value of a `docker run` line. A scan, not one regex: a
 * regex of this shape backtracks quadratically on hostile input.
 */
function redactAssignments(s: string): string {
  let out = "";
  let last = 0;
  for (let i = s.indexOf("="); i !== -1; i = s.indexOf("=", i + 1)) {
    let j = i;
    while (j > last && NAME_CHAR.test(s[j - 1]!)) j--;
    if (j === i) continue;
    if (!SECRET_KEYS.test(s.slice(j, i)) && !ENV_FLAG_BEFORE.test(s.slice(Math.max(last, j - 16), j))) continue;
    let end = i + 1;
    const quote = s[end];
    if (quote === '"' || quote === "'") {
      const close = s.indexOf(quote, end + 1);
      end = close === -1 ? s.length : close + 1;
    } else {
      while (end < s.length && !/[\s"']/.test(s[end]!)) end++;
    }
    out += s.slice(last, i + 1) + REDACTED;
    last = end;
    i = end - 1;
  }
  return out + s.slice(last);
}

/** A Dockerfile `ENV` change (commit) keeps its name only; any other string loses its secret assignments. */
function redactString(s: string): string {
  const env = /^\s*ENV\s+/i.exec(s);
  if (!env) return redactAssignments(s);
  const name = s.slice(env[0].length).split(/[=\s]/, 1)[0];
  return `${env[0]}${name}=${REDACTED}`;
}

/** `KEY=value` entries keep their key; a bare entry (`-e NAME`, passed through from the host) has no value to hide. */
const redactEnvEntry = (v: unknown): unknown =>
  typeof v === "string" ? (v.includes("=") ? `${v.slice(0, v.indexOf("="))}=${REDACTED}` : v) : v && typeof v === "object" && !Array.isArray(v) ? redactEnv(v) : REDACTED;

function redactEnv(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactEnvEntry);
  if (value && typeof value === "object") return Object.fromEntries(Object.keys(value).map((k) => [k, REDACTED]));
  return typeof value === "string" ? redactEnvEntry(value) : value;
}

/**
 * Inputs are kept for the record, but never their secrets: values under
 * secret-like keys, every environment value, Dockerfile `ENV` changes, and
 * `NAME=value` with a secret-like name wherever it sits in a string.
 */
export function redact(value: unknown): unknown {
  if (typeof value === "string") return redactString(value);
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        ENV_KEYS.test(k) ? redactEnv(v) : SECRET_KEYS.test(k) ? REDACTED : redact(v),
      ]),
    );
  }
  return value;
}

const opt = (value: string | null | undefined, max = COLUMN_MAX) => (value == null ? null : truncate(String(value), max));

function targetColumns(target: AuditTarget | undefined) {
  return {
    environmentId: opt(target?.env),
    targetType: opt(target?.type),
    targetId: opt(target?.id),
    targetName: opt(target?.name),
  };
}

function rowData(record: AuditRecord) {
  return {
    userId: opt(record.userId),
    username: opt(record.username),
    sourceIp: opt(record.sourceIp),
    action: truncate(record.action, COLUMN_MAX),
    ...targetColumns(record.target),
    outcome: record.outcome,
    error: opt(record.error, ERROR_MAX),
    details: record.details === undefined ? null : boundedDetails(record.details, redact),
  };
}

/** What a person can act on: "database is locked", not Prisma's whole text. */
export function storageReason(err: unknown): string {
  const e = err as { message?: unknown; code?: unknown; meta?: unknown; cause?: unknown } | null;
  // Prisma puts SQLite's own code in `meta` (driverAdapterError.cause.originalCode).
  let meta = "";
  try {
    meta = JSON.stringify(e?.meta ?? "");
  } catch {
    // not serialisable: the message will do
  }
  const text = `${String(e?.message ?? err)} ${String(e?.code ?? "")} ${meta} ${String(e?.cause ?? "")}`;
  if (/SQLITE_BUSY|database is locked/i.test(text)) return "database is locked";
  if (/SQLITE_FULL|disk is full|ENOSPC/i.test(text)) return "disk is full";
  if (/SQLITE_READONLY|readonly database/i.test(text)) return "database is read-only";
  if (/SQLITE_CORRUPT|SQLITE_NOTADB|malformed|not a database/i.test(text)) return "database file is corrupt";
  // Prisma's message starts with where it was called from and ends with what went wrong.
  const last = String(e?.message ?? err).trim().split("\n").filter((l) => l.trim()).pop() ?? "unknown error";
  return truncate(last.trim(), 200);
}

/**
 * Writes the row of an action about to happen (outcome "pending") and returns its
 * id for finishAudit. Throws AuditWriteError when it cannot: then do not act.
 */
export async function beginAudit(record: Omit<AuditRecord, "outcome" | "error">): Promise<number> {
  try {
    const row = await db.auditEntry.create({ data: rowData({ ...record, outcome: "pending" }), select: { id: true } });
    return row.id;
  } catch (err) {
    console.error("[audit] could not write audit row; refusing", record.action, storageReason(err));
    throw new AuditWriteError(storageReason(err), { cause: err });
  }
}

/** Records how the action ended. The action is done by now: a failure here is logged, and the row stays "pending". */
export async function finishAudit(
  id: number,
  end: { outcome: "ok" | "error"; error?: string; target?: AuditTarget; details?: unknown },
): Promise<void> {
  try {
    await db.auditEntry.update({
      where: { id },
      data: {
        outcome: end.outcome,
        error: opt(end.error, ERROR_MAX),
        ...(end.target ? targetColumns(end.target) : {}),
        ...(end.details !== undefined ? { details: boundedDetails(end.details, redact) } : {}),
      },
    });
  } catch (err) {
    console.error(`[audit] could not record the outcome of audit row ${id}; it stays pending:`, storageReason(err));
  }
}

/** Drops the pending row of a call that turned out not to be an action (see Context.audit.discard). */
export async function discardAudit(id: number): Promise<void> {
  await db.auditEntry.delete({ where: { id } }).catch((err) => console.error(`[audit] could not drop audit row ${id}:`, storageReason(err)));
}

/**
 * One complete row, for events that are not actions Berth does on someone's behalf
 * (sign-in attempts): a row that cannot be written is logged, not turned into a failure.
 */
export async function writeAudit(record: AuditRecord): Promise<void> {
  try {
    await db.auditEntry.create({ data: rowData(record) });
  } catch (err) {
    console.error("[audit] could not write audit row", truncate(record.action, COLUMN_MAX), storageReason(err));
  }
}

/** A page holds at most this many bytes of JSON (before superjson's framing), whatever the rows hold. */
export const PAGE_BYTES = 256 * 1024;
const BATCH = 50;

/**
 * Newest first, at most `limit` rows and about PAGE_BYTES. Columns are cut again on
 * the way out (rows written before the caps existed may hold anything) and details
 * are shortened: auditDetails gives one row's whole (capped) details.
 */
export async function listAudit(opts: { limit: number; cursor?: number; action?: string }) {
  // A lone surrogate in the filter would fail the query (see wellFormed); stored actions never hold one.
  const where = opts.action ? { action: { startsWith: wellFormed(opts.action) } } : undefined;
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
    userId: opt(row.userId),
    username: opt(row.username),
    sourceIp: opt(row.sourceIp),
    action: truncate(row.action, COLUMN_MAX),
    environmentId: opt(row.environmentId),
    targetType: opt(row.targetType),
    targetId: opt(row.targetId),
    targetName: opt(row.targetName),
    outcome: truncate(row.outcome, 16),
    error: opt(row.error, ERROR_MAX),
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
