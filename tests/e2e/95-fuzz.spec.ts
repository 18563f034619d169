/**
 * Fuzz: generated inputs to every tRPC procedure (enumerated from the real
 * router), the download routes, sign-in, page paths and the /api/ws stream,
 * against a throwaway Berth with its own data directory. Whatever is sent:
 * no 5xx and no stack trace, the runtime is never restarted and keeps
 * answering, and the database grows by no more than the audit caps allow.
 *
 * Replay: the run prints its seed; BERTH_FUZZ_SEED=<seed> regenerates the same
 * inputs, BERTH_FUZZ_CASES=<i,j,…> sends only those. BERTH_FUZZ_RUNS and
 * BERTH_FUZZ_BUDGET_S change the number of inputs and the time allowed.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import fc from "fast-check";
import { expect, test } from "@playwright/test";
import { startBerth, type StartedBerth } from "../support/start-berth";
import { FuzzClient } from "../support/fuzz-client";
import { report, runFuzz } from "../support/fuzz-run";
import { ENV, PREFIX } from "../support/fuzz-cases";
import { caseArb, procedures } from "../support/fuzz-targets";
import { e2eDir } from "./env";
import { docker, dockerQuiet } from "./helpers";

const RUNS = Number(process.env.BERTH_FUZZ_RUNS ?? 12_000);
const MIN_INPUTS = Math.min(RUNS, 10_000);
const BUDGET_MS = Number(process.env.BERTH_FUZZ_BUDGET_S ?? 80) * 1000;
/** A slow machine still sends MIN_INPUTS, up to this long. */
const HARD_LIMIT_MS = 4 * BUDGET_MS;
/** The audit caps: short columns ≤ 256 characters, details ≤ 8 KB; a row with its index entries stays under this. */
const ROW_BYTES = 10 * 1024;
/** The WAL keeps up to ~1000 pages between checkpoints, plus page-level overhead. */
const DB_SLACK = 8 * 1024 * 1024;
const ADMIN = { username: "fuzz-admin", password: "fuzz password 1234567" };

/** The database's files on disk, its audit rows, and the rows after `afterId` heavier than a capped row can be. */
function dbState(dataDir: string, afterId = 0) {
  const file = path.join(dataDir, "berth.db");
  const size = [file, `${file}-wal`].reduce((sum, f) => sum + (fs.existsSync(f) ? fs.statSync(f).size : 0), 0);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const { rows, maxId } = db.prepare('SELECT count(*) AS rows, coalesce(max(id), 0) AS maxId FROM "AuditEntry"').get() as { rows: number; maxId: number };
    const columns = ["username", "sourceIp", "action", "environmentId", "targetType", "targetId", "targetName", "outcome", "error", "details"];
    const bytes = columns.map((c) => `coalesce(length(CAST("${c}" AS BLOB)), 0)`).join(" + ");
    const heavy = db
      .prepare(`SELECT id, action, ${bytes} AS bytes FROM "AuditEntry" WHERE id > ? AND ${bytes} > ? ORDER BY bytes DESC LIMIT 5`)
      .all(afterId, ROW_BYTES) as { id: number; action: string; bytes: number }[];
    return { size, rows, maxId, heavy };
  } finally {
    db.close();
  }
}

/** The runtime of this throwaway instance, if it outlived it (a runtime stuck on a request ignores SIGTERM). */
function killLeftRuntime(dataDir: string) {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDir, "runtime.pid"), "utf8"));
    if (pid && fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("runtime")) process.kill(pid, "SIGKILL");
  } catch {
    // gone already
  }
}

test("fuzz: no generated input gets a 5xx, stops the runtime or grows the database beyond the caps", async () => {
  test.setTimeout(HARD_LIMIT_MS + 180_000);
  const dir = path.join(e2eDir(), "fuzz");
  fs.rmSync(dir, { recursive: true, force: true });
  const fixture = { name: `fuzzfix-${crypto.randomBytes(4).toString("hex")}`, id: "" };
  let berth: StartedBerth | undefined;
  let fuzz: FuzzClient | undefined;
  try {
    berth = await startBerth({ dir });
    fuzz = new FuzzClient(berth.url);
    const setup = await fuzz.trpc("mutation", "setup.createAdmin", { setupToken: berth.token, ...ADMIN, confirmPassword: ADMIN.password });
    expect(setup.status, setup.body).toBe(200);
    expect(await fuzz.signIn(ADMIN.username, ADMIN.password)).toBe(true);

    // Log lines that make a backtracking regex explode, and bytes a log pipeline must survive.
    const line = `${"a".repeat(32)}!`;
    docker("run", "-d", "--name", fixture.name, "busybox", "sh", "-c",
      `head -c 100000 /dev/zero | tr '\\0' x; echo; while true; do echo ${line}; printf 'nul\\000 bad\\377\\376 utf8 \\033[31mred\\033[0m\\n'; echo '{"__proto__":{"x":1}}'; sleep 0.5; done`);
    fixture.id = docker("inspect", "-f", "{{.Id}}", fixture.name);
    const record = await fuzz.trpc("mutation", "logs.historySet", { env: ENV, container: fixture.name, enabled: true });
    expect(record.status, record.body).toBe(200);
    await expect.poll(async () => (await fuzz!.trpc("query", "containers.list", { env: ENV })).body, { timeout: 10_000 }).toContain(fixture.id);

    const procs = procedures();
    expect(procs.length).toBeGreaterThan(10);
    const seed = Number(process.env.BERTH_FUZZ_SEED ?? crypto.randomInt(2 ** 31));
    const only = process.env.BERTH_FUZZ_CASES ? new Set(process.env.BERTH_FUZZ_CASES.split(",").map(Number)) : undefined;
    const cases = fc.sample(caseArb(procs), { seed, numRuns: RUNS });
    console.log(`fuzz: seed ${seed}, ${procs.length} procedures (${procs.map((p) => p.path).join(", ")})`);

    const before = dbState(berth.dataDir);
    const result = await runFuzz({ client: fuzz, cases, only, fixture, runtimePidFile: path.join(berth.dataDir, "runtime.pid"), budgetMs: BUDGET_MS, minInputs: MIN_INPUTS, hardLimitMs: HARD_LIMIT_MS });
    const after = dbState(berth.dataDir, before.maxId);

    const rows = after.rows - before.rows;
    const growth = after.size - before.size;
    const allowed = rows * ROW_BYTES + DB_SLACK;
    const failures = [...result.failures];
    if (growth > allowed) {
      failures.push({ index: -1, target: "database", request: "", problem: `grew ${growth} bytes for ${rows} audit rows (allowed ${allowed})`, body: "" });
    }
    for (const row of after.heavy) {
      failures.push({ index: -1, target: "database", request: `audit row ${row.id} (${row.action})`, problem: `an audit row of ${row.bytes} bytes (a capped row stays under ${ROW_BYTES})`, body: "" });
    }
    console.log(`fuzz: ${result.sent} inputs, ${failures.length} failures in ${(result.ms / 1000).toFixed(1)} s (seed ${seed})`);
    console.log(`fuzz: database +${(growth / 1024).toFixed(0)} KB for ${rows} audit rows (allowed ${(allowed / 1024).toFixed(0)} KB); runtime pids ${result.runtimePids.join(" → ")}`);
    console.log(`fuzz: time went to ${result.slowest}`);
    if (failures.length) console.log(`fuzz failures, grouped:\n${report(failures, seed)}`);

    expect(failures.length, `fuzz failures (seed ${seed}): see the grouped list printed above`).toBe(0);
    if (!only) expect(result.sent, `inputs sent within ${HARD_LIMIT_MS / 1000} s`).toBeGreaterThanOrEqual(MIN_INPUTS);
  } finally {
    fuzz?.close();
    await berth?.stop();
    if (berth) killLeftRuntime(berth.dataDir);
    dockerQuiet("rm", "-f", fixture.name);
    const made = docker("ps", "-aq", "--filter", `name=^${PREFIX}`);
    if (made) dockerQuiet("rm", "-f", "-v", ...made.split("\n"));
  }
});
