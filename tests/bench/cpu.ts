/** CPU time by process from /proc, for the bench's verbose figures (where the CPU went). */
import fs from "node:fs";
/** CPU ticks (user+system, in 1/100 s) of every process, by pid, with its command name. */
export function cpuSnapshot(): Map<number, { comm: string; ticks: number }> {
  const out = new Map<number, { comm: string; ticks: number }>();
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const s = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      const close = s.lastIndexOf(")");
      const comm = s.slice(s.indexOf("(") + 1, close);
      const f = s.slice(close + 2).split(" ");
      out.set(Number(d), { comm, ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}
export function cpuDelta(a: ReturnType<typeof cpuSnapshot>, b: ReturnType<typeof cpuSnapshot>, names: Record<number, string>): Record<string, number> {
  const r: Record<string, number> = {};
  for (const [pid, v] of b) {
    const before = a.get(pid)?.ticks ?? 0;
    const d = v.ticks - before;
    if (d <= 0) continue;
    const k = names[pid] ?? v.comm;
    r[k] = (r[k] ?? 0) + d / 100;
  }
  return r;
}
