/**
 * A runtime whose dashboard is gone (an older Berth killed with SIGKILL, or one
 * that failed half-way through its start) still holds the socket and Docker
 * access. At start, the pid file says which runtime was last started here: if
 * that process is a Berth runtime and no live Berth dashboard is its parent, it
 * is stopped so this start can take its place. If a live dashboard owns it,
 * another Berth is running on this data directory: the start stops with that reason.
 */
import fs from "node:fs";
import { alive, cmdline, parentOf } from "./proc";

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !alive(pid);
}

// From source (runtime/main.ts) or compiled (<dist>/berth/runtime.mjs, server/bin/bundle.mjs).
const isRuntime = (cmd: string | undefined) => !!cmd && /runtime[/\\]main\.ts|berth[/\\]runtime\.mjs/.test(cmd);
const isDashboard = (cmd: string | undefined) => !!cmd && /server[/\\]main\.ts|berth[/\\]server\.mjs/.test(cmd);

export async function replaceStaleRuntime(pidFile: string, log: (line: string) => void): Promise<void> {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(pidFile, "utf8").trim());
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 1 || !alive(pid) || !isRuntime(cmdline(pid))) {
    fs.rmSync(pidFile, { force: true });
    return;
  }
  const parent = parentOf(pid);
  if (parent && parent !== process.pid && isDashboard(cmdline(parent))) {
    throw new Error(`another Berth (pid ${parent}) is already running on this data directory (its runtime is pid ${pid}); stop it first`);
  }
  log(`a runtime (pid ${pid}) left by a Berth that is gone still runs: stopping it`);
  process.kill(pid, "SIGTERM");
  // A stopped process (SIGSTOP, a debugger) would never act on the SIGTERM.
  process.kill(pid, "SIGCONT");
  if (!(await waitGone(pid, 5000))) {
    process.kill(pid, "SIGKILL");
    if (!(await waitGone(pid, 2000))) throw new Error(`the stale runtime (pid ${pid}) did not stop`);
  }
  fs.rmSync(pidFile, { force: true });
}
