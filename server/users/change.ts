/**
 * How server/users/ and server/security/ write: every change to Berth's own
 * rows runs in one transaction, and a tRPC mutation passes a runner that puts
 * its audit entry in that same transaction (server/api/audited-change.ts →
 * auditedTransaction), so the change and its record are committed together or
 * not at all. The target is named before the transaction starts (the entry's
 * content is fixed when it is sealed), so callers read names first.
 */
import type { Prisma } from "@prisma/client";
import type { AuditTarget } from "../audit";
import { db } from "../db";

export type Tx = Prisma.TransactionClient;

/** Runs `fn` in one transaction that also records `target` as the change's audit target. `fn` uses only `tx` and does no slow work. */
export type ChangeRunner = <T>(target: AuditTarget, fn: (tx: Tx) => Promise<T>) => Promise<T>;

/** A transaction without an audit entry of its own (scripts, tests; tRPC's guard still audits every mutation). */
export const plainChange: ChangeRunner = (_target, fn) => db.$transaction(fn);
