/**
 * Ends an exec'd process whose caller went away. Docker does not: closing the
 * hijacked connection leaves a TTY exec running (moby#9098), so a closed tab
 * would leave a shell behind in the container for good.
 *
 * The process is hung up like a terminal that closed: SIGHUP to its process
 * group (a TTY exec is its session's leader, so the shell passes the hang-up on
 * to its foreground job), then SIGKILL if it is still there after GRACE_MS. The
 * signal goes from here when this process may signal it (same host, root or
 * same user); otherwise from a `kill` exec'd inside the container as root,
 * addressed by the pid the container sees (NSpid).
 */
import fs from "node:fs";
import type Docker from "dockerode";

const GRACE_MS = 1500;

export async function endExecProcess(docker: Docker, exec: Docker.Exec, containerId: string): Promise<void> {
  try {
    // A moment for a process that is ending anyway (its stdin closed) to go by itself.
    await new Promise((r) => setTimeout(r, 100));
    if (!(await signalIfRunning(docker, exec, containerId, "SIGHUP"))) return;
    await new Promise((r) => setTimeout(r, GRACE_MS));
    if (await signalIfRunning(docker, exec, containerId, "SIGKILL")) {
      console.error(`berth runtime: exec ${exec.id.slice(0, 12)} in ${containerId.slice(0, 12)} did not end on SIGHUP; sent SIGKILL`);
    }
  } catch (err) {
    // The container may be gone already; nothing else to do, and never a crash.
    const text = (err as Error)?.message ?? String(err);
    if (!/no such (exec|container)|is not running/i.test(text)) console.error(`berth runtime: could not end an abandoned exec: ${text.slice(0, 300)}`);
  }
}

/** True when the exec was still running and was sent `signal`. */
async function signalIfRunning(docker: Docker, exec: Docker.Exec, containerId: string, signal: "SIGHUP" | "SIGKILL"): Promise<boolean> {
  const s = await exec.inspect();
  if (!s.Running || !s.Pid) return false;
  // The engine's pid is a pid on the engine's host: only act on it here when this
  // host's process of that pid is in the container's cgroup (a remote engine, a VM,
  // a rootless engine's namespace would otherwise have us signal a stranger).
  if (!inContainer(s.Pid, containerId)) {
    console.error(`berth runtime: cannot end abandoned exec pid ${s.Pid}: it is not a process of this host's container ${containerId.slice(0, 12)}`);
    return true;
  }
  if (signalFromHost(s.Pid, signal)) return true;
  const nspid = containerPid(s.Pid);
  if (nspid === undefined) {
    console.error(`berth runtime: cannot signal abandoned exec pid ${s.Pid} (not permitted, and its pid inside the container is unknown)`);
    return true;
  }
  await runKill(docker, containerId, signal === "SIGHUP" ? "HUP" : "KILL", nspid);
  return true;
}

function signalFromHost(pid: number, signal: NodeJS.Signals): boolean {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, signal);
      return true;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // ESRCH for the group: not a group leader; try the process alone. EPERM: not ours to signal.
      if (code === "EPERM") return false;
    }
  }
  return false;
}

function inContainer(hostPid: number, containerId: string): boolean {
  try {
    return fs.readFileSync(`/proc/${hostPid}/cgroup`, "utf8").includes(containerId);
  } catch {
    return false;
  }
}

/** The process's pid in its own namespace: the last NSpid entry of /proc/<pid>/status, when readable. */
function containerPid(hostPid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${hostPid}/status`, "utf8");
    const line = /^NSpid:\s*(.+)$/m.exec(status)?.[1];
    const last = Number(line?.trim().split(/\s+/).pop());
    return Number.isInteger(last) && last > 0 ? last : undefined;
  } catch {
    return undefined;
  }
}

async function runKill(docker: Docker, containerId: string, signal: string, pid: number): Promise<void> {
  const killer = await docker.getContainer(containerId).exec({ Cmd: ["kill", "-s", signal, String(pid)], User: "0", AttachStdout: false, AttachStderr: false });
  await killer.start({ Detach: true });
}
