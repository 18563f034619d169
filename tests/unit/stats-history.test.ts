/**
 * The stats history store (runtime/stats/history.ts) on a real SQLite file:
 * 1-minute averages and rates, the open minute in reads, written on stop and
 * read back by a new store on the same directory, the 7-day and row caps.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { StatsHistory } from "../../runtime/stats/history";
import type { StatsSample } from "../../runtime/stats/protocol";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "berth-stats-history-"));
  dirs.push(d);
  return d;
};

const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);
const sample = (t: number, over: Partial<StatsSample> = {}): StatsSample => ({
  t,
  cpu: 10,
  mem: 1000,
  memLimit: 4000,
  memPct: 25,
  netRx: 0,
  netTx: 0,
  blkRead: 0,
  blkWrite: 0,
  pids: 2,
  ...over,
});

describe("stats history", () => {
  it("averages a minute, turns counters into rates, and writes it when the next minute begins", () => {
    const h = new StatsHistory(tmp());
    for (let i = 0; i < 60; i++) h.add("id1", "web", sample(T0 + i * 1000, { cpu: i % 2 ? 30 : 10, netRx: i * 500, blkWrite: i * 100 }));
    expect(h.rows()).toBe(0);
    // The open minute is already readable.
    expect(h.read("web", T0 - 60_000, T0 + 120_000)).toHaveLength(1);
    h.add("id1", "web", sample(T0 + 60_000, { netRx: 60 * 500, blkWrite: 6000 }));
    expect(h.rows()).toBe(1);
    const [m, open] = h.read("web", T0, T0 + 120_000);
    expect(m).toMatchObject({ t: T0, cpu: 20, mem: 1000, memLimit: 4000, pids: 2 });
    expect(m.netRx).toBeCloseTo(500, 6);
    expect(m.blkWrite).toBeCloseTo(100, 6);
    expect(open.t).toBe(T0 + 60_000);
    expect(h.read("other", T0, T0 + 120_000)).toEqual([]);
    h.stop();
  });

  it("a counter that goes back (a restart) counts nothing for that step", () => {
    const h = new StatsHistory(tmp());
    h.add("a", "web", sample(T0, { netTx: 10_000 }));
    h.add("a", "web", sample(T0 + 1000, { netTx: 11_000 }));
    h.add("a", "web", sample(T0 + 2000, { netTx: 50 }));
    expect(h.read("web", T0, T0 + 60_000)[0].netTx).toBeCloseTo(500, 6);
    h.stop();
  });

  it("stop writes the open minutes; a new store on the same directory reads them (a restart)", () => {
    const dir = tmp();
    const h = new StatsHistory(dir);
    h.add("a", "web", sample(T0 + 5000, { cpu: 42 }));
    h.add("b", "db", sample(T0 + 5000, { cpu: 7 }));
    h.stop();
    const again = new StatsHistory(dir);
    expect(again.rows()).toBe(2);
    expect(again.read("web", T0, T0 + 60_000)).toEqual([expect.objectContaining({ t: T0, cpu: 42 })]);
    expect(again.read("db", T0, T0 + 60_000)[0].cpu).toBe(7);
    again.stop();
  });

  it("a minute written in two parts (collection stopped and resumed within it) is merged, weighted by samples", () => {
    const h = new StatsHistory(tmp());
    h.add("a", "web", sample(T0 + 1000, { cpu: 10 }));
    h.close("a");
    for (let i = 0; i < 3; i++) h.add("b", "web", sample(T0 + 10_000 + i * 1000, { cpu: 50 }));
    h.close("b");
    expect(h.rows()).toBe(1);
    expect(h.read("web", T0, T0 + 60_000)).toEqual([expect.objectContaining({ t: T0, cpu: 40 })]);
    h.stop();
  });

  it("cleanup drops rows older than 7 days, then the oldest beyond the row cap", () => {
    const h = new StatsHistory(tmp(), 5);
    const old = T0 - 8 * 86_400_000;
    for (let i = 0; i < 3; i++) {
      h.add("x", "old", sample(old + i * 60_000));
    }
    for (let i = 0; i < 8; i++) h.add("y", "new", sample(T0 + i * 60_000));
    h.close("x");
    h.close("y");
    expect(h.rows()).toBe(11);
    h.cleanup(T0 + 10 * 60_000);
    expect(h.read("old", old - 60_000, T0)).toEqual([]);
    expect(h.rows()).toBe(5);
    // The newest are kept.
    expect(h.read("new", T0, T0 + 10 * 60_000).map((m) => m.t)).toEqual([3, 4, 5, 6, 7].map((i) => T0 + i * 60_000));
    h.stop();
  });
});
