/**
 * `GET /api/health` (no sign-in): whether each environment's runtime answers,
 * whether the database can be written, and what each runtime last knew of its
 * engine, under `environments.<id>`. The top-level `runtime` and `engine` are the
 * default environment's. 503 with `status: "degraded"` when a runtime or the
 * database is not ok, each saying why; the checks have short deadlines so a
 * health probe never hangs.
 */
import path from "node:path";
import Database from "better-sqlite3";
import { databaseFile } from "../database-check";
import { connections, defaultEnvironmentId, type Connection } from "../engines/registry";
import pkg from "../../package.json" with { type: "json" };

const RUNTIME_DEADLINE_MS = 2_000;
const DATABASE_DEADLINE_MS = 1_000;

export interface Check {
  ok: boolean;
  reason?: string;
}


let probe: Database.Database | undefined;

/**
 * Takes SQLite's write lock and gives it back at once (BEGIN IMMEDIATE; ROLLBACK).
 * better-sqlite3 waits for a busy lock synchronously, blocking the event loop,
 * so its own wait is off (timeout 0) and a busy lock is retried here on timers.
 */
export async function checkDatabase(deadlineMs = DATABASE_DEADLINE_MS): Promise<Check> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    try {
      probe ??= new Database(databaseFile(path.resolve(process.env.BERTH_DATA_DIR ?? "./data")), { fileMustExist: true, timeout: 0 });
      probe.exec("BEGIN IMMEDIATE");
      probe.exec("ROLLBACK");
      return { ok: true };
    } catch (err) {
      const code = (err as { code?: string }).code ?? "";
      if (!/^SQLITE_(BUSY|LOCKED)/.test(code)) {
        probe?.close();
        probe = undefined;
        return { ok: false, reason: `the database cannot be written: ${(err as Error).message}` };
      }
      if (Date.now() >= until) {
        return { ok: false, reason: `the database is locked by another process (not released within ${deadlineMs} ms)` };
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** The runtime answers its own /health within the deadline (a stopped or blocked runtime does not). */
export async function checkRuntime(conn: Connection | undefined, deadlineMs = RUNTIME_DEADLINE_MS): Promise<Check> {
  if (!conn) return { ok: false, reason: "Berth runtime is not running" };
  try {
    await conn.runtime.ping(deadlineMs);
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
}

function engineOf(conn: Connection | undefined) {
  const engine = conn?.live.engine();
  return {
    reachable: engine?.reachable ?? false,
    version: engine?.version ?? null,
    apiVersion: engine?.apiVersion ?? null,
    ...(engine?.reachable ? {} : { reason: engine?.reason ?? "unknown" }),
  };
}

export async function health(): Promise<{ status: number; body: unknown }> {
  const all = connections();
  const [database, ...runtimes] = await Promise.all([checkDatabase(), ...all.map((c) => checkRuntime(c))]);
  const environments = Object.fromEntries(all.map((c, i) => [c.id, { runtime: runtimes[i]!, engine: engineOf(c) }]));
  const first = defaultEnvironmentId();
  const main = first === undefined ? { runtime: await checkRuntime(undefined), engine: engineOf(undefined) } : environments[first]!;
  const ok = database.ok && main.runtime.ok && runtimes.every((r) => r.ok);
  return {
    status: ok ? 200 : 503,
    body: {
      status: ok ? "ok" : "degraded",
      version: pkg.version,
      runtime: main.runtime,
      database,
      engine: main.engine,
      environments,
    },
  };
}
