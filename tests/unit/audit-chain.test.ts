/**
 * The audit hash chain against a real SQLite database migrated exactly as
 * `prisma migrate deploy` would: sealing, verification, tamper detection naming
 * the entry, start-up sealing, audited transactions, and retention checkpoints.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { useMigratedDatabase } from "../support/migrated-db";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "berth-audit-chain-"));
const file = path.join(dir, "berth.db");
let raw: Database.Database;
let m: {
  db: typeof import("../../server/db").db;
  audit: typeof import("../../server/audit");
  chain: typeof import("../../server/audit-chain");
  retention: typeof import("../../server/audit-retention");
};

beforeAll(async () => {
  useMigratedDatabase(file);
  m = {
    db: (await import("../../server/db")).db,
    audit: await import("../../server/audit"),
    chain: await import("../../server/audit-chain"),
    retention: await import("../../server/audit-retention"),
  };
  raw = new Database(file);
  raw.pragma("busy_timeout = 2000");
});

afterAll(async () => {
  raw?.close();
  await m?.db.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  raw.exec("DELETE FROM AuditEntry; DELETE FROM Setting;");
});

type Row = { id: number; seq: number | null; prevHash: string | null; hash: string | null; outcome: string; durationMs: number | null; targetName: string | null; details: string | null; action: string };
const rows = (): Row[] => raw.prepare("SELECT * FROM AuditEntry ORDER BY id").all() as Row[];
const byId = (id: number): Row => raw.prepare("SELECT * FROM AuditEntry WHERE id = ?").get(id) as Row;

async function actions(n: number, name = "c") {
  for (let i = 0; i < n; i++) {
    const id = await m.audit.beginAudit({ userId: "u1", username: "alice", sourceIp: "10.0.0.1", userAgent: "test", action: "container.start", target: { env: "local", id: `${name}${i}` } });
    await m.audit.finishAudit(id, { outcome: "ok", target: { env: "local", id: `${name}${i}`, name: `${name}-${i}` } });
  }
}

describe("sealing", () => {
  it("a pending entry is outside the chain; completing it seals it as the next link, with its duration", async () => {
    const id = await m.audit.beginAudit({ username: "alice", action: "container.start", userAgent: "UA/1", teamContext: "ops, dev", target: { env: "local", id: "abc" } });
    expect(byId(id)).toMatchObject({ outcome: "pending", seq: null, hash: null });
    await new Promise((r) => setTimeout(r, 20));
    await m.audit.finishAudit(id, { outcome: "ok", target: { env: "local", id: "abc", name: "web" } });
    const first = byId(id);
    expect(first).toMatchObject({ outcome: "ok", seq: 1, prevHash: "", targetName: "web", userAgent: "UA/1", teamContext: "ops, dev" });
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(first.durationMs).toBeGreaterThanOrEqual(15);

    await m.audit.writeAudit({ action: "auth.sign-in", username: "bob", outcome: "error", error: "Wrong username or password." });
    await m.audit.recordEvent({ action: "auth.sign-out", username: "alice" });
    await m.audit.recordDenial({ action: "container.remove", username: "carol", error: "Your role may not container.remove." });
    const all = rows();
    expect(all.map((r) => [r.seq, r.outcome])).toEqual([
      [1, "ok"],
      [2, "error"],
      [3, "ok"],
      [4, "denied"],
    ]);
    for (let i = 1; i < all.length; i++) expect(all[i]!.prevHash).toBe(all[i - 1]!.hash);
    // A sealed entry is never completed again, nor discarded.
    await m.audit.finishAudit(id, { outcome: "error", error: "late" });
    await m.audit.discardAudit(id);
    expect(byId(id)).toMatchObject({ outcome: "ok", seq: 1, hash: first.hash });
    expect(await m.chain.verifyChain()).toMatchObject({ ok: true, checked: 4, head: { seq: 4 } });
  });

  it("concurrent writers still make one unbroken chain", async () => {
    await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => m.audit.writeAudit({ action: "auth.sign-in", username: `u${i}`, outcome: "ok" })),
      ...Array.from({ length: 10 }, async (_, i) => {
        const id = await m.audit.beginAudit({ action: "container.stop", target: { id: `x${i}` } });
        await m.audit.finishAudit(id, { outcome: i % 2 ? "ok" : "error", error: i % 2 ? undefined : "boom" });
      }),
    ]);
    const seqs = rows().map((r) => r.seq).sort((a, b) => a! - b!);
    expect(seqs).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    // Small batches: the verification pages through the chain.
    expect(await m.chain.verifyChain(7)).toEqual(expect.objectContaining({ ok: true, checked: 30 }));
  });

  it("start-up seals entries left pending as interrupted, and complete entries from before the chain as they are", async () => {
    await actions(2);
    const pending = await m.audit.beginAudit({ action: "container.restart", target: { id: "crashed" } });
    raw.prepare("INSERT INTO AuditEntry (at, action, outcome) VALUES (?, 'legacy.action', 'ok')").run(new Date().toISOString().replace("Z", "+00:00"));
    expect((await m.chain.verifyChain()).firstBroken?.reason).toMatch(/not in the chain/);
    expect(await m.chain.sealUnsealed()).toBe(2);
    expect(byId(pending)).toMatchObject({ outcome: "interrupted", seq: 3 });
    expect(await m.chain.verifyChain()).toMatchObject({ ok: true, checked: 4 });
    expect(await m.chain.sealUnsealed()).toBe(0);
  });
});

describe("tamper detection", () => {
  it("an entry altered in the database is named; put back, the chain verifies again", async () => {
    await actions(6);
    const victim = rows()[3]!;
    raw.prepare("UPDATE AuditEntry SET targetName = 'innocent' WHERE id = ?").run(victim.id);
    const r = await m.chain.verifyChain(2);
    expect(r).toMatchObject({ ok: false, checked: 3, firstBroken: { id: victim.id, seq: victim.seq } });
    expect(r.firstBroken!.reason).toMatch(/altered/);
    raw.prepare("UPDATE AuditEntry SET targetName = ? WHERE id = ?").run(victim.targetName, victim.id);
    expect(await m.chain.verifyChain()).toMatchObject({ ok: true, checked: 6 });
  });

  it("an entry re-hashed after being altered is caught by the next one's link", async () => {
    await actions(4);
    const [, second, third] = rows();
    raw.prepare("UPDATE AuditEntry SET outcome = 'error', hash = ? WHERE id = ?").run("f".repeat(64), second!.id);
    const r = await m.chain.verifyChain();
    // The altered entry's own hash no longer matches its content: named first.
    expect(r.firstBroken?.id).toBe(second!.id);
    raw.prepare("UPDATE AuditEntry SET outcome = 'ok' WHERE id = ?").run(second!.id);
    expect((await m.chain.verifyChain()).firstBroken?.id).toBe(second!.id);
    // The link check: an entry whose prevHash was changed is named.
    raw.prepare("UPDATE AuditEntry SET hash = ? WHERE id = ?").run(second!.hash, second!.id);
    raw.prepare("UPDATE AuditEntry SET prevHash = ? WHERE id = ?").run("0".repeat(64), third!.id);
    expect(await m.chain.verifyChain()).toMatchObject({ ok: false, firstBroken: { id: third!.id, reason: expect.stringMatching(/previous-entry hash/) } });
  });

  it("a deleted entry is named by the one after the gap; a cut at the start without a checkpoint too", async () => {
    await actions(5);
    const all = rows();
    raw.prepare("DELETE FROM AuditEntry WHERE id = ?").run(all[2]!.id);
    expect(await m.chain.verifyChain()).toMatchObject({ ok: false, checked: 2, firstBroken: { id: all[3]!.id, reason: expect.stringMatching(/missing/) } });
    raw.prepare("DELETE FROM AuditEntry WHERE id IN (?, ?)").run(all[0]!.id, all[1]!.id);
    expect(await m.chain.verifyChain()).toMatchObject({ ok: false, checked: 0, firstBroken: { id: all[3]!.id, reason: expect.stringMatching(/no retention checkpoint/) } });
  });
});

describe("audited transactions", () => {
  const KEY = "test.key";
  it("commits the change and its sealed entry together", async () => {
    await m.audit.auditedTransaction({ username: "admin", action: "settings.manage", target: { type: "setting", id: KEY } }, (tx) =>
      tx.setting.create({ data: { key: KEY, value: "1" } }),
    );
    expect(raw.prepare("SELECT value FROM Setting WHERE key = ?").get(KEY)).toEqual({ value: "1" });
    expect(rows()).toMatchObject([{ action: "settings.manage", outcome: "ok", seq: 1 }]);
  });

  it("a failing change leaves nothing changed, and an error entry", async () => {
    await expect(
      m.audit.auditedTransaction({ username: "admin", action: "settings.manage" }, async (tx) => {
        await tx.setting.create({ data: { key: KEY, value: "2" } });
        throw new Error("validation failed");
      }),
    ).rejects.toThrow("validation failed");
    expect(raw.prepare("SELECT value FROM Setting WHERE key = ?").get(KEY)).toBeUndefined();
    expect(rows()).toMatchObject([{ outcome: "error", seq: 1 }]);
    expect(await m.chain.verifyChain()).toMatchObject({ ok: true });
  });

  it("inside a guarded mutation it completes the mutation's pending entry instead of writing a second one", async () => {
    const id = await m.audit.beginAudit({ username: "admin", action: "settings.manage", details: { days: 30 } });
    await m.audit.withPendingAudit(id, () =>
      m.audit.auditedTransaction({ username: "admin", action: "settings.manage", target: { type: "setting", id: KEY } }, (tx) =>
        tx.setting.create({ data: { key: KEY, value: "3" } }),
      ),
    );
    // What the guard then does: a no-op on a sealed entry.
    await m.audit.finishAudit(id, { outcome: "ok" });
    expect(rows()).toMatchObject([{ id, outcome: "ok", seq: 1, targetType: "setting", details: JSON.stringify({ days: 30 }) }]);
  });
});

const DAY = 86_400_000;

async function sealedAt(at: Date, action = "container.start") {
  const c = { at, userId: null, username: "alice", sourceIp: null, userAgent: null, teamContext: null, action, environmentId: "local", targetType: "container", targetId: "x", targetName: null, outcome: "ok", error: null, details: null, durationMs: 1 };
  return m.chain.sealing((tx) => m.chain.insertSealed(tx, c));
}

describe("retention", () => {
  it("drops entries older than the retention, writes a checkpoint, and the chain still verifies", async () => {
    const now = new Date("2026-11-30T12:00:00Z");
    for (let i = 0; i < 5; i++) await sealedAt(new Date(now.getTime() - 400 * DAY + i));
    for (let i = 0; i < 3; i++) await sealedAt(new Date(now.getTime() - 10 * DAY + i));
    const lastOld = rows()[4]!;
    expect(await m.retention.pruneAudit(now)).toEqual({ dropped: 5, fromSeq: 1, toSeq: 5 });
    const left = rows();
    expect(left.map((r) => r.seq)).toEqual([6, 7, 8, 9]);
    const checkpoint = left[3]!;
    expect(checkpoint.action).toBe("audit.checkpoint");
    expect(JSON.parse(checkpoint.details!)).toMatchObject({ dropped: 5, fromSeq: 1, toSeq: 5, lastDroppedHash: lastOld.hash, retentionDays: 365 });
    expect(await m.chain.verifyChain()).toMatchObject({ ok: true, checked: 4 });
    // Nothing more to drop.
    expect(await m.retention.pruneAudit(now)).toEqual({ dropped: 0 });

    // The checkpoint is part of the chain: altered, it is named; deleted, the cut is unrecorded.
    raw.prepare("UPDATE AuditEntry SET details = replace(details, '\"dropped\":5', '\"dropped\":4') WHERE id = ?").run(checkpoint.id);
    expect((await m.chain.verifyChain()).firstBroken?.id).toBe(checkpoint.id);
    raw.prepare("DELETE FROM AuditEntry WHERE id = ?").run(checkpoint.id);
    expect((await m.chain.verifyChain()).firstBroken).toMatchObject({ id: left[0]!.id, reason: expect.stringMatching(/no retention checkpoint/) });
  });

  it("follows the retention setting, drops only a prefix of the chain, and in steps each with its checkpoint", async () => {
    const now = new Date("2026-11-30T12:00:00Z");
    raw.prepare("INSERT INTO Setting (key, value) VALUES ('audit.retentionDays', '30')").run();
    for (let i = 0; i < 4; i++) await sealedAt(new Date(now.getTime() - 40 * DAY + i));
    // A long action sealed late: older than its predecessor in the chain, but after a recent entry.
    await sealedAt(new Date(now.getTime() - 1 * DAY));
    await sealedAt(new Date(now.getTime() - 50 * DAY));
    expect(await m.retention.pruneAudit(now, 3)).toEqual({ dropped: 4, fromSeq: 1, toSeq: 4 });
    expect(rows().filter((r) => r.action === "audit.checkpoint")).toHaveLength(2);
    // The old entry after a recent one stays (dropping it would cut the chain in the middle).
    expect(rows().map((r) => r.seq)).toEqual([5, 6, 7, 8]);
    expect(await m.chain.verifyChain()).toMatchObject({ ok: true, checked: 4 });

    // Everything old: the latest checkpoint alone remains, chained to the last dropped entry.
    expect((await m.retention.pruneAudit(new Date(now.getTime() + 100 * DAY))).dropped).toBe(4);
    expect(rows()).toMatchObject([{ action: "audit.checkpoint", seq: 9 }]);
    expect(await m.chain.verifyChain()).toMatchObject({ ok: true, checked: 1 });
    await actions(2);
    expect(await m.chain.verifyChain()).toMatchObject({ ok: true, checked: 3 });
  });
});
