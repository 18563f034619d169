/**
 * The audit hash chain. An entry joins the chain when it is sealed (completed,
 * or written complete in one go): it gets the next `seq`, `prevHash` = the hash
 * of the entry with seq − 1 ("" for the very first), and `hash` = hex SHA-256 of
 * its canonical content (see `canonical`). Altering, inserting or deleting a
 * sealed entry breaks the chain at that entry, and `verifyChain` names it.
 *
 * Sealing reads the chain's head and writes the next link in one transaction,
 * and all sealing is serialised by one promise chain kept on globalThis: Next's
 * bundle (sign-in through next-auth) and the custom server are two module graphs
 * in one process, and two seals reading the same head would fork the chain (the
 * unique `seq` would then refuse one of them).
 *
 * Entries still pending are not in the chain; the start-up seals those a crash
 * left behind as "interrupted" (sealUnsealed). Retention drops the oldest part of
 * the chain and records it in a checkpoint entry (audit-retention.ts), which is
 * how verification accepts a chain that no longer starts at seq 1.
 */
import { createHash } from "node:crypto";
import type { Prisma } from "@prisma/client";
import { db } from "./db";

export type Tx = Prisma.TransactionClient;

/** The hashed columns, in their hashed order (after them: seq, prevHash). */
export interface ChainContent {
  at: Date;
  userId: string | null;
  username: string | null;
  sourceIp: string | null;
  userAgent: string | null;
  teamContext: string | null;
  action: string;
  environmentId: string | null;
  targetType: string | null;
  targetId: string | null;
  targetName: string | null;
  outcome: string;
  error: string | null;
  details: string | null;
  durationMs: number | null;
}

export interface Link {
  seq: number;
  prevHash: string;
}

export const CHECKPOINT_ACTION = "audit.checkpoint";
const VERSION = "berth-audit-v1";

/**
 * One unambiguous text per content: a JSON array in a fixed order (no key order
 * to depend on, null distinct from ""), versioned so the format can change later.
 */
export function canonical(c: ChainContent & Link): string {
  return JSON.stringify([
    VERSION,
    c.at.toISOString(),
    c.userId ?? null,
    c.username ?? null,
    c.sourceIp ?? null,
    c.userAgent ?? null,
    c.teamContext ?? null,
    c.action,
    c.environmentId ?? null,
    c.targetType ?? null,
    c.targetId ?? null,
    c.targetName ?? null,
    c.outcome,
    c.error ?? null,
    c.details ?? null,
    c.durationMs ?? null,
    c.seq,
    c.prevHash,
  ]);
}

export function entryHash(c: ChainContent & Link): string {
  return createHash("sha256").update(canonical(c), "utf8").digest("hex");
}

const g = globalThis as unknown as { __berthAuditSeal?: Promise<unknown>; __berthAuditVerifying?: number; __berthAuditPruning?: Promise<unknown> };

/**
 * Runs `fn` after every seal queued before it, alone. `fn` must not queue
 * another seal itself (it would wait for itself).
 */
export function serialised<T>(fn: () => Promise<T>): Promise<T> {
  const run = (g.__berthAuditSeal ?? Promise.resolve()).then(fn, fn);
  g.__berthAuditSeal = run.catch(() => undefined);
  return run;
}

/** The last sealed entry's seq and hash, read inside the sealing transaction. */
export async function chainHead(tx: Tx): Promise<{ seq: number; hash: string }> {
  const last = await tx.auditEntry.findFirst({ where: { seq: { not: null } }, orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
  return last ? { seq: last.seq!, hash: last.hash ?? "" } : { seq: 0, hash: "" };
}

/** The columns a sealed entry gets after `content`, given the head it follows. */
export function sealAfter(head: { seq: number; hash: string }, content: ChainContent) {
  const link = { seq: head.seq + 1, prevHash: head.hash };
  return { ...link, hash: entryHash({ ...content, ...link }) };
}

/**
 * Writes a complete entry as the chain's next link (after `head`, read here unless
 * given: retention reads it before deleting what may be the whole chain).
 * Call inside `serialised`, in a transaction.
 */
export async function insertSealed(tx: Tx, content: ChainContent, after?: { seq: number; hash: string }): Promise<number> {
  const head = after ?? (await chainHead(tx));
  const row = await tx.auditEntry.create({ data: { ...content, ...sealAfter(head, content) }, select: { id: true } });
  return row.id;
}

type Completion = Partial<Omit<ChainContent, "at" | "durationMs">> & { outcome: string };

/**
 * Completes pending entry `id` with `end` and seals it; durationMs is the time
 * since it was begun. False when it is not pending (already sealed, or gone).
 * Call inside `serialised`, in a transaction.
 */
export async function sealPending(tx: Tx, id: number, end: Completion, now = new Date()): Promise<boolean> {
  const row = await tx.auditEntry.findFirst({ where: { id, seq: null } });
  if (!row) return false;
  const content: ChainContent = {
    ...pickContent(row),
    ...stripUndefined(end),
    durationMs: Math.max(0, now.getTime() - row.at.getTime()),
  };
  const head = await chainHead(tx);
  const done = await tx.auditEntry.updateMany({ where: { id, seq: null }, data: { ...content, ...sealAfter(head, content) } });
  return done.count === 1;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

type StoredRow = ChainContent & { id: number; seq: number | null; prevHash: string | null; hash: string | null };

export function pickContent(row: ChainContent): ChainContent {
  return {
    at: row.at,
    userId: row.userId,
    username: row.username,
    sourceIp: row.sourceIp,
    userAgent: row.userAgent,
    teamContext: row.teamContext,
    action: row.action,
    environmentId: row.environmentId,
    targetType: row.targetType,
    targetId: row.targetId,
    targetName: row.targetName,
    outcome: row.outcome,
    error: row.error,
    details: row.details,
    durationMs: row.durationMs,
  };
}

/** Runs a sealing transaction alone (see serialised). */
export function sealing<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  return serialised(() => db.$transaction(fn));
}

export const INTERRUPTED_ERROR = "Berth stopped before the end of this action was recorded: it may or may not have happened.";

/**
 * At start-up, before any request: entries a crash left pending are sealed as
 * "interrupted", and complete entries from before the chain existed are sealed
 * as they are, oldest first. Returns how many were sealed.
 */
export async function sealUnsealed(): Promise<number> {
  let sealed = 0;
  for (;;) {
    const batch = await db.auditEntry.findMany({ where: { seq: null }, orderBy: { id: "asc" }, take: 200, select: { id: true, outcome: true } });
    if (!batch.length) return sealed;
    await sealing(async (tx) => {
      for (const row of batch) {
        const pending = row.outcome === "pending";
        const full = await tx.auditEntry.findFirst({ where: { id: row.id, seq: null } });
        if (!full) continue;
        const content = pending ? { ...pickContent(full), outcome: "interrupted", error: INTERRUPTED_ERROR } : pickContent(full);
        const head = await chainHead(tx);
        await tx.auditEntry.update({ where: { id: row.id }, data: { ...content, ...sealAfter(head, content) } });
        sealed++;
      }
    });
  }
}

export interface BrokenEntry {
  id: number;
  seq: number | null;
  reason: string;
}

export interface VerifyResult {
  ok: boolean;
  /** Sealed entries checked (up to the first broken one). */
  checked: number;
  firstBroken?: BrokenEntry;
  /** The last entry checked: write its seq and hash down to detect a later cut of the chain's end. */
  head?: { seq: number; hash: string };
}

const VERIFY_BATCH = 500;

/** The checkpoint that records dropping everything before `seq`, whose last dropped hash was `prevHash`. */
async function checkpointFor(seq: number, prevHash: string | null): Promise<boolean> {
  let cursor: number | undefined;
  for (;;) {
    const rows = await db.auditEntry.findMany({
      where: { action: CHECKPOINT_ACTION, seq: cursor === undefined ? { not: null } : { lt: cursor } },
      orderBy: { seq: "desc" },
      take: 100,
      select: { seq: true, details: true },
    });
    if (!rows.length) return false;
    for (const r of rows) {
      try {
        const d = JSON.parse(r.details ?? "null") as { toSeq?: unknown; lastDroppedHash?: unknown } | null;
        if (d?.toSeq === seq - 1 && d.lastDroppedHash === prevHash) return true;
      } catch {
        // not a checkpoint's details: its own hash check will say so
      }
    }
    cursor = rows[rows.length - 1]!.seq!;
  }
}

/** What is wrong with `row` as the link after `prev` (null: the oldest remaining entry), or null. */
async function linkProblem(row: StoredRow, prev: { seq: number; hash: string } | null): Promise<string | null> {
  const seq = row.seq!;
  if (prev === null) {
    if (seq === 1) return row.prevHash === "" ? null : "the first entry of the history names a previous entry";
    if (await checkpointFor(seq, row.prevHash)) return null;
    return `the entries before it (seq < ${seq}) are gone, and no retention checkpoint records dropping them`;
  }
  if (seq !== prev.seq + 1) return `entries ${prev.seq + 1}–${seq - 1} of the chain are missing (deleted)`;
  if (row.prevHash !== prev.hash) return `its previous-entry hash does not match entry seq ${prev.seq}: one of the two was altered`;
  return null;
}

/**
 * Recomputes the chain in seq order, a batch at a time (never the whole table in
 * memory), and stops at the first broken entry. Then checks that no complete
 * entry sits outside the chain (one inserted directly would).
 */
export async function verifyChain(batch = VERIFY_BATCH): Promise<VerifyResult> {
  if (g.__berthAuditPruning) await g.__berthAuditPruning.catch(() => undefined);
  g.__berthAuditVerifying = (g.__berthAuditVerifying ?? 0) + 1;
  try {
    let prev: { seq: number; hash: string } | null = null;
    let checked = 0;
    for (;;) {
      const rows: StoredRow[] = await db.auditEntry.findMany({
        where: { seq: prev ? { gt: prev.seq } : { not: null } },
        orderBy: { seq: "asc" },
        take: batch,
      });
      for (const row of rows) {
        const broken = (reason: string): VerifyResult => ({ ok: false, checked, firstBroken: { id: row.id, seq: row.seq, reason }, ...(prev ? { head: prev } : {}) });
        const link = await linkProblem(row, prev);
        if (link) return broken(link);
        const expected = entryHash({ ...pickContent(row), seq: row.seq!, prevHash: row.prevHash ?? "" });
        if (row.hash !== expected) return broken("its content does not match its hash: it was altered after it was written");
        checked++;
        prev = { seq: row.seq!, hash: row.hash };
      }
      if (rows.length < batch) break;
    }
    const outside = await db.auditEntry.findFirst({ where: { seq: null, outcome: { not: "pending" } }, orderBy: { id: "asc" }, select: { id: true } });
    if (outside) return { ok: false, checked, firstBroken: { id: outside.id, seq: null, reason: "it is complete but not in the chain (written directly into the table)" }, ...(prev ? { head: prev } : {}) };
    return { ok: true, checked, ...(prev ? { head: prev } : {}) };
  } finally {
    g.__berthAuditVerifying!--;
  }
}

/** For retention: whether a verification is running (a prune then waits for the next round). */
export const verifying = () => (g.__berthAuditVerifying ?? 0) > 0;

/** For retention: marks a prune in progress, so a verification starting meanwhile waits for it. */
export function whilePruning<T>(fn: () => Promise<T>): Promise<T> {
  const run = fn();
  g.__berthAuditPruning = run;
  return run.finally(() => {
    if (g.__berthAuditPruning === run) g.__berthAuditPruning = undefined;
  });
}
