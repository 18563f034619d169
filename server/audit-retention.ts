/**
 * Audit retention: entries older than the retention (a setting, 365 days by
 * default) are dropped by a periodic pruner, and each drop is recorded in a
 * checkpoint entry (action `audit.checkpoint`) that is itself sealed into the
 * chain: how many entries were dropped, their seq range and the hash of the
 * last one. Verify accepts the oldest remaining entry's prevHash when a
 * checkpoint records it, so the chain still verifies after a drop, and a cut
 * that no checkpoint records is still found.
 *
 * Only a prefix of the chain is ever dropped (seq 1…k with every entry in it
 * older than the retention): an entry's time is when its action began, so a
 * long action sealed late may be older than an entry before it in the chain.
 */
import { db } from "./db";
import { boundedDetails } from "./audit-bounds";
import { chainHead, CHECKPOINT_ACTION, insertSealed, sealing, verifying, whilePruning } from "./audit-chain";

export const RETENTION_KEY = "audit.retentionDays";
export const RETENTION_DEFAULT_DAYS = 365;
export const RETENTION_MIN_DAYS = 1;
export const RETENTION_MAX_DAYS = 3650;
/** Entries dropped per transaction: a long backlog is dropped in steps, each with its checkpoint, never blocking long. */
export const PRUNE_BATCH = 5000;
const DAY_MS = 86_400_000;
const PRUNE_EVERY_MS = 6 * 3600_000;

export async function retentionDays(): Promise<number> {
  const row = await db.setting.findUnique({ where: { key: RETENTION_KEY } });
  const days = Number(row?.value);
  return Number.isInteger(days) && days >= RETENTION_MIN_DAYS && days <= RETENTION_MAX_DAYS ? days : RETENTION_DEFAULT_DAYS;
}

export interface PruneResult {
  dropped: number;
  fromSeq?: number;
  toSeq?: number;
}

/**
 * One step: drops up to `batch` of the oldest sealed entries older than `cutoff`,
 * none after seq `maxSeq` (the checkpoints of earlier steps stay), with their checkpoint.
 */
async function pruneStep(cutoff: Date, days: number, batch: number, maxSeq: number): Promise<PruneResult> {
  return sealing(async (tx) => {
    const oldest = await tx.auditEntry.findFirst({ where: { seq: { not: null } }, orderBy: { seq: "asc" }, select: { seq: true, at: true } });
    if (!oldest || oldest.at >= cutoff) return { dropped: 0 };
    const firstKept = await tx.auditEntry.findFirst({ where: { seq: { not: null }, at: { gte: cutoff } }, orderBy: { seq: "asc" }, select: { seq: true } });
    const fromSeq = oldest.seq!;
    const toSeq = Math.min(firstKept ? firstKept.seq! - 1 : maxSeq, maxSeq, fromSeq + batch - 1);
    if (toSeq < fromSeq) return { dropped: 0 };
    const last = await tx.auditEntry.findUnique({ where: { seq: toSeq }, select: { hash: true } });
    // Read before the drop: when everything goes, the checkpoint still follows the last entry.
    const head = await chainHead(tx);
    const { count } = await tx.auditEntry.deleteMany({ where: { seq: { gte: fromSeq, lte: toSeq } } });
    await insertSealed(tx, {
      at: new Date(),
      userId: null,
      username: null,
      sourceIp: null,
      userAgent: null,
      teamContext: null,
      action: CHECKPOINT_ACTION,
      environmentId: null,
      targetType: "audit",
      targetId: null,
      targetName: null,
      outcome: "ok",
      error: null,
      details: boundedDetails({ dropped: count, fromSeq, toSeq, lastDroppedHash: last?.hash ?? "", retentionDays: days, olderThan: cutoff.toISOString() }, (v) => v),
      durationMs: null,
    }, head);
    return { dropped: count, fromSeq, toSeq };
  });
}

/**
 * Drops every sealed entry older than the retention (counted back from `now`), in
 * steps of `batch`. Skipped (dropped: 0) while a verification runs: it would see a
 * chain changing under it; the next round catches up.
 */
export async function pruneAudit(now = new Date(), batch = PRUNE_BATCH): Promise<PruneResult> {
  if (verifying()) return { dropped: 0 };
  const days = await retentionDays();
  const cutoff = new Date(now.getTime() - days * DAY_MS);
  return whilePruning(async () => {
    const head = await db.auditEntry.findFirst({ where: { seq: { not: null } }, orderBy: { seq: "desc" }, select: { seq: true } });
    const total: PruneResult = { dropped: 0 };
    if (!head) return total;
    for (;;) {
      const step = await pruneStep(cutoff, days, batch, head.seq!);
      if (!step.dropped) return total;
      total.dropped += step.dropped;
      total.fromSeq ??= step.fromSeq;
      total.toSeq = step.toSeq;
      // Let requests in between steps.
      await new Promise((r) => setImmediate(r));
    }
  });
}

/** Prunes a minute after start, then every 6 hours; a failure is logged and retried next round. */
export function startAuditRetention(log: (line: string) => void): () => void {
  const run = () =>
    void pruneAudit()
      .then((r) => r.dropped && log(`audit retention: dropped ${r.dropped} entries (seq ${r.fromSeq}–${r.toSeq}), checkpoint written`))
      .catch((err: unknown) => log(`audit retention failed (will retry): ${(err as Error)?.message ?? err}`));
  const first = setTimeout(run, 60_000).unref();
  const every = setInterval(run, PRUNE_EVERY_MS).unref();
  return () => {
    clearTimeout(first);
    clearInterval(every);
  };
}
