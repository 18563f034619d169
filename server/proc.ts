/**
 * What /proc says about a process (Linux): used to find a runtime left behind by
 * a dashboard that is gone, and by the start-up tests to see what a start leaves.
 * Every reader answers undefined for a process that is gone or unreadable.
 */
import fs from "node:fs";

/** The command line, its arguments joined by spaces. */
export function cmdline(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
  } catch {
    return undefined;
  }
}

export function parentOf(pid: number): number | undefined {
  try {
    // Field 4 of /proc/<pid>/stat, after the parenthesised command name (which may hold spaces).
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return undefined;
  }
}

/** Alive, even if owned by someone else (EPERM). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Every process id on the machine. */
export function allPids(): number[] {
  return fs.readdirSync("/proc").filter((e) => /^\d+$/.test(e)).map(Number);
}

/** Every process under `pid` (itself included, parents before children), with its command line. */
export function processTree(pid: number): { pid: number; cmd: string }[] {
  const children = new Map<number, number[]>();
  for (const p of allPids()) {
    const ppid = parentOf(p);
    if (ppid !== undefined) children.set(ppid, [...(children.get(ppid) ?? []), p]);
  }
  const out: { pid: number; cmd: string }[] = [];
  const visit = (p: number) => {
    const cmd = cmdline(p);
    if (cmd === undefined) return;
    out.push({ pid: p, cmd });
    for (const c of children.get(p) ?? []) visit(c);
  };
  visit(pid);
  return out;
}
