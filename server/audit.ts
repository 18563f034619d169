/**
 * The audit history: one entry per mutation, sign-in attempt, sign-out, denial,
 * download and setting change, hash-chained (audit-chain.ts) so that an entry
 * altered, inserted or deleted afterwards is found by Verify.
 * Procedures never call beginAudit themselves: server/api/trpc.ts does it for
 * every mutation, and the auth flows for sign-in and setup.
 *
 * An action's entry is written before the action (outcome "pending") and sealed
 * into the chain after it, so no action happens off the record: when the entry
 * cannot be written, beginAudit throws and the caller refuses the action. An
 * entry still "pending" at start-up is an action whose end was never recorded
 * (Berth was killed meanwhile): it is sealed as "interrupted".
 *
 * A change Berth makes to its own database (users, teams, settings) is written
 * in the same transaction as its entry: auditedTransaction.
 *
 * Every column is bounded here, whatever the caller passes: the table must not
 * become a way to fill the disk, nor its pages a way to exhaust the browser.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { db } from "./db";
import { boundedDetails, truncate } from "./audit-bounds";
import { redact } from "./audit-redact";
import { insertSealed, sealing, sealPending, type ChainContent, type Tx } from "./audit-chain";

export interface AuditTarget {
  /** The environment id the action was on. */
  env?: string;
  type?: string;
  id?: string;
  name?: string;
}

/**
 * "denied": refused by the authorisation check; "interrupted": begun, and Berth
 * stopped before its end was recorded.
 */
export type AuditOutcome = "pending" | "ok" | "error" | "denied" | "interrupted";

export interface AuditRecord {
  userId?: string | null;
  username?: string | null;
  sourceIp?: string | null;
  userAgent?: string | null;
  /** The teams the user acted as a member of (names, comma-separated). */
  teamContext?: string | null;
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

export { redact } from "./audit-redact";

const opt = (value: string | null | undefined, max = COLUMN_MAX) => (value == null ? null : truncate(String(value), max));

function targetColumns(target: AuditTarget | undefined) {
  return {
    environmentId: opt(target?.env),
    targetType: opt(target?.type),
    targetId: opt(target?.id),
    targetName: opt(target?.name),
  };
}

function rowData(record: AuditRecord): Omit<ChainContent, "at" | "durationMs"> {
  return {
    userId: opt(record.userId),
    username: opt(record.username),
    sourceIp: opt(record.sourceIp),
    userAgent: opt(record.userAgent),
    teamContext: opt(record.teamContext),
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
 * Mutations that are not actions worth an entry: issuing a WebSocket ticket
 * happens on every page load and would bury the real actions. Opening a console
 * or a download through it is an entry of its own.
 */
export const UNAUDITED_MUTATIONS: ReadonlySet<string> = new Set(["ws.ticket"]);

/**
 * Writes the entry of an action about to happen (outcome "pending") and returns its
 * id for finishAudit. Throws AuditWriteError when it cannot: then do not act.
 */
export async function beginAudit(record: Omit<AuditRecord, "outcome" | "error">): Promise<number> {
  try {
    const data = { ...rowData({ ...record, outcome: "pending" }), at: new Date() };
    const row = await db.auditEntry.create({ data, select: { id: true } });
    return row.id;
  } catch (err) {
    console.error("[audit] could not write audit row; refusing", record.action, storageReason(err));
    throw new AuditWriteError(storageReason(err), { cause: err });
  }
}

/**
 * Records how the action ended and seals the entry into the chain (its duration:
 * now − begin). The action is done by now: a failure here is logged, and the entry
 * stays "pending" (sealed as "interrupted" at the next start). An entry already
 * sealed (completed inside auditedTransaction) is left as it is.
 */
export async function finishAudit(
  id: number,
  end: { outcome: "ok" | "error" | "denied"; error?: string; target?: AuditTarget; details?: unknown },
): Promise<void> {
  try {
    await sealing((tx) =>
      sealPending(tx, id, {
        outcome: end.outcome,
        error: opt(end.error, ERROR_MAX),
        ...(end.target ? targetColumns(end.target) : {}),
        ...(end.details !== undefined ? { details: boundedDetails(end.details, redact) } : {}),
      }),
    );
  } catch (err) {
    console.error(`[audit] could not record the outcome of audit row ${id}; it stays pending:`, storageReason(err));
  }
}

/** Drops the pending entry of a call that turned out not to be an action (see Context.audit.discard). Never a sealed one. */
export async function discardAudit(id: number): Promise<void> {
  await db.auditEntry.deleteMany({ where: { id, seq: null } }).catch((err) => console.error(`[audit] could not drop audit row ${id}:`, storageReason(err)));
}

/** Writes one complete, sealed entry; throws when it cannot. */
async function sealedEntry(record: AuditRecord): Promise<number> {
  const content: ChainContent = { ...rowData(record), at: new Date(), durationMs: null };
  return sealing((tx) => insertSealed(tx, content));
}

/**
 * One complete entry, for events that are not actions Berth does on someone's behalf
 * (sign-in attempts, sign-out): an entry that cannot be written is logged, not turned
 * into a failure. Never throws.
 */
export async function writeAudit(record: AuditRecord): Promise<void> {
  try {
    await sealedEntry(record);
  } catch (err) {
    console.error("[audit] could not write audit row", truncate(record.action, COLUMN_MAX), storageReason(err));
  }
}

/** An event (sign-out, a session revoked…): one sealed entry, outcome "ok" unless given. Never throws. */
export function recordEvent(record: Omit<AuditRecord, "outcome"> & { outcome?: AuditOutcome }): Promise<void> {
  return writeAudit({ ...record, outcome: record.outcome ?? "ok" });
}

/**
 * A refusal by the authorisation check: one sealed entry with outcome "denied" and
 * `error` saying why. Never throws to its caller (the refusal stands either way).
 */
export async function recordDenial(record: Omit<AuditRecord, "outcome">): Promise<void> {
  try {
    await writeAudit({ ...record, outcome: "denied" });
  } catch (err) {
    console.error("[audit] could not record a denial:", err);
  }
}

/** The pending entry of the tRPC call running now (see withPendingAudit), kept on globalThis like the seal lock. */
const pendingStore: AsyncLocalStorage<number> = ((globalThis as unknown as { __berthAuditPending?: AsyncLocalStorage<number> }).__berthAuditPending ??=
  new AsyncLocalStorage<number>());

/**
 * Runs `fn` (a mutation's procedure) knowing its pending entry `id`, so an
 * auditedTransaction inside completes that entry rather than writing a second one.
 */
export function withPendingAudit<T>(id: number, fn: () => T): T {
  return pendingStore.run(id, fn);
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * A change to Berth's own database (users, teams, settings…) and its audit entry,
 * in ONE `db.$transaction`: both are committed, or neither is. Use it for every
 * such change:
 *
 *   await auditedTransaction({ userId, username, sourceIp, action: "user.disable",
 *     target: { type: "user", id, name } }, (tx) => tx.user.update({ … }));
 *
 * - Inside a tRPC mutation (whose guard wrote a pending entry, see withPendingAudit)
 *   that entry is completed and sealed in the transaction, with `begin`'s action,
 *   target and details; elsewhere a new sealed entry is written.
 * - `fn` runs while the audit chain is locked: it must use only `tx`, do no slow
 *   work (no runtime calls), and never write audit entries itself (it would wait
 *   for itself). Do what follows the change (accessChanged…) after this returns.
 * - When `fn` or the entry fails, nothing is changed; the failure is recorded
 *   (outcome "error") and rethrown. Throws AuditWriteError when the entry could
 *   not be written.
 */
export async function auditedTransaction<T>(begin: Omit<AuditRecord, "outcome" | "error">, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const pendingId = pendingStore.getStore();
  const row = rowData({ ...begin, outcome: "ok" });
  const at = new Date();
  let changed = false;
  try {
    return await sealing(async (tx) => {
      const result = await fn(tx);
      changed = true;
      // The pending entry keeps its user columns, and its target and details unless `begin` names them.
      const what = {
        action: row.action,
        outcome: row.outcome,
        ...(begin.target ? targetColumns(begin.target) : {}),
        ...(begin.details !== undefined ? { details: row.details } : {}),
      };
      const completed = pendingId !== undefined && (await sealPending(tx, pendingId, what));
      if (!completed) await insertSealed(tx, { ...row, at, durationMs: Date.now() - at.getTime() });
      return result;
    });
  } catch (err) {
    // The guard completes its own pending entry with the error; outside a guarded call, record it here.
    if (pendingId === undefined) await writeAudit({ ...begin, outcome: "error", error: errorText(err) });
    if (changed) throw new AuditWriteError(storageReason(err), { cause: err });
    throw err;
  }
}
