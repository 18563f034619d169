/**
 * Stats history: 1-minute averages of every collected container in an SQLite
 * file of the data directory (`stats/history.db`), kept STATS_HISTORY_DAYS
 * days and at most MAX_ROWS rows (the oldest go first), so it survives a
 * restart of Berth and cannot grow without bound. Rows are keyed by container
 * name: a recreated container (compose, `docker run --rm` again) continues its
 * history. A minute is written when the first sample of the next one arrives,
 * and every open minute when the runtime stops.
 *
 * CPU, memory and pids are averages of the minute's samples; network and block
 * I/O are rates (bytes/s) over the minute, from the engine's running totals (a
 * counter that goes back, a restart, counts nothing for that step). A minute
 * written in two parts (collection stopped and resumed within it) is merged.
 */
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import type BetterSqlite3 from "better-sqlite3";
import { STATS_HISTORY_DAYS, type StatsMinute, type StatsSample } from "./protocol";

const MINUTE = 60_000;
/** 7 days of 1-minute rows for ~100 containers. */
export const MAX_ROWS = 1_000_000;
const CLEANUP_EVERY_MS = 10 * MINUTE;

interface Open {
  name: string;
  minute: number;
  n: number;
  cpu: number;
  mem: number;
  memLimit: number;
  pids: number;
  /** Sums of the counters' increases and of the time they took (ms). */
  dNetRx: number;
  dNetTx: number;
  dBlkRead: number;
  dBlkWrite: number;
  dt: number;
  prev?: StatsSample;
}

/** Loaded on first use: the native module and its database cost the runtime memory from start otherwise (idle memory). */
const requireNative = createRequire(import.meta.url);

interface Store {
  db: BetterSqlite3.Database;
  insert: BetterSqlite3.Statement;
}

export class StatsHistory {
  private readonly open = new Map<string, Open>();
  private handle?: Store;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly dataDir: string,
    private readonly maxRows = MAX_ROWS,
  ) {}

  /** The database, opened (and cleaned once) the first time a minute is written or read. */
  private get store(): Store {
    if (this.handle) return this.handle;
    const Database = requireNative("better-sqlite3") as typeof BetterSqlite3;
    const dir = path.join(this.dataDir, "stats");
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const db = new Database(path.join(dir, "history.db"));
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.exec(`CREATE TABLE IF NOT EXISTS minutes (
      name TEXT NOT NULL, t INTEGER NOT NULL, cpu REAL NOT NULL, mem REAL NOT NULL, mem_limit REAL NOT NULL,
      net_rx REAL NOT NULL, net_tx REAL NOT NULL, blk_read REAL NOT NULL, blk_write REAL NOT NULL, pids REAL NOT NULL,
      n INTEGER NOT NULL, PRIMARY KEY (name, t)) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS minutes_t ON minutes (t);`);
    // A minute written twice (its collection stopped and began again within it) is merged, weighted by samples.
    const merge = (c: string) => `${c} = (${c} * n + excluded.${c} * excluded.n) / (n + excluded.n)`;
    const insert = db.prepare(
      `INSERT INTO minutes (name, t, cpu, mem, mem_limit, net_rx, net_tx, blk_read, blk_write, pids, n) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (name, t) DO UPDATE SET ${["cpu", "mem", "net_rx", "net_tx", "blk_read", "blk_write", "pids"].map(merge).join(", ")},
       mem_limit = excluded.mem_limit, n = n + excluded.n`,
    );
    this.handle = { db, insert };
    this.cleanup();
    return this.handle;
  }

  start(): void {
    // Nothing to clean in a database not opened yet: it is cleaned when it opens.
    this.timer = setInterval(() => this.handle && this.cleanup(), CLEANUP_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    for (const o of this.open.values()) this.write(o);
    this.open.clear();
    this.handle?.db.close();
    this.handle = undefined;
  }

  /** One sample of a collected container. */
  add(id: string, name: string, s: StatsSample): void {
    const minute = Math.floor(s.t / MINUTE) * MINUTE;
    let o = this.open.get(id);
    if (o && (o.minute !== minute || o.name !== name)) {
      if (s.t < o.minute) return; // out of order: the engine's clock went back
      this.write(o);
      o = { ...fresh(name, minute), prev: o.prev };
      this.open.set(id, o);
    } else if (!o) {
      o = fresh(name, minute);
      this.open.set(id, o);
    }
    o.n++;
    o.cpu += s.cpu;
    o.mem += s.mem;
    o.memLimit = s.memLimit;
    o.pids += s.pids;
    const p = o.prev;
    if (p && s.t > p.t && s.t - p.t < 5 * MINUTE) {
      o.dt += s.t - p.t;
      o.dNetRx += Math.max(0, s.netRx - p.netRx);
      o.dNetTx += Math.max(0, s.netTx - p.netTx);
      o.dBlkRead += Math.max(0, s.blkRead - p.blkRead);
      o.dBlkWrite += Math.max(0, s.blkWrite - p.blkWrite);
    }
    o.prev = s;
  }

  /** The container was removed or stopped being collected: its open minute is written now. */
  close(id: string): void {
    const o = this.open.get(id);
    if (o) this.write(o);
    this.open.delete(id);
  }

  /** Minutes of `name` from `since` to `until` (ms), oldest first, with the open minute (not written yet) last. */
  read(name: string, since: number, until = Date.now()): StatsMinute[] {
    const rows = this.store.db
      .prepare("SELECT t, cpu, mem, mem_limit, net_rx, net_tx, blk_read, blk_write, pids FROM minutes WHERE name = ? AND t >= ? AND t <= ? ORDER BY t LIMIT ?")
      .all(name, since - MINUTE + 1, until, (STATS_HISTORY_DAYS + 1) * 1440) as Row[];
    const out = rows.map(fromRow);
    for (const o of this.open.values()) {
      if (o.name === name && o.n > 0 && o.minute >= since - MINUTE + 1 && o.minute <= until && !out.some((m) => m.t === o.minute)) out.push(average(o));
    }
    return out;
  }

  rows(): number {
    return (this.store.db.prepare("SELECT count(*) AS n FROM minutes").get() as { n: number }).n;
  }

  /** Older than the kept days, then the oldest beyond MAX_ROWS. */
  cleanup(now = Date.now()): void {
    this.store.db.prepare("DELETE FROM minutes WHERE t < ?").run(now - STATS_HISTORY_DAYS * 1440 * MINUTE);
    const over = this.rows() - this.maxRows;
    if (over > 0) {
      const cut = this.store.db.prepare("SELECT t FROM minutes ORDER BY t LIMIT 1 OFFSET ?").get(over - 1) as { t: number } | undefined;
      if (cut) this.store.db.prepare("DELETE FROM minutes WHERE t <= ?").run(cut.t);
    }
  }

  private write(o: Open) {
    if (o.n === 0) return;
    const m = average(o);
    this.store.insert.run(o.name, m.t, m.cpu, m.mem, m.memLimit, m.netRx, m.netTx, m.blkRead, m.blkWrite, m.pids, o.n);
  }
}

interface Row {
  t: number;
  cpu: number;
  mem: number;
  mem_limit: number;
  net_rx: number;
  net_tx: number;
  blk_read: number;
  blk_write: number;
  pids: number;
}

const fromRow = (r: Row): StatsMinute => ({
  t: r.t,
  cpu: r.cpu,
  mem: r.mem,
  memLimit: r.mem_limit,
  netRx: r.net_rx,
  netTx: r.net_tx,
  blkRead: r.blk_read,
  blkWrite: r.blk_write,
  pids: r.pids,
});

function fresh(name: string, minute: number): Open {
  return { name, minute, n: 0, cpu: 0, mem: 0, memLimit: 0, pids: 0, dNetRx: 0, dNetTx: 0, dBlkRead: 0, dBlkWrite: 0, dt: 0 };
}

function average(o: Open): StatsMinute {
  const rate = (d: number) => (o.dt > 0 ? (d * 1000) / o.dt : 0);
  return {
    t: o.minute,
    cpu: o.cpu / o.n,
    mem: o.mem / o.n,
    memLimit: o.memLimit,
    netRx: rate(o.dNetRx),
    netTx: rate(o.dNetTx),
    blkRead: rate(o.dBlkRead),
    blkWrite: rate(o.dBlkWrite),
    pids: o.pids / o.n,
  };
}
