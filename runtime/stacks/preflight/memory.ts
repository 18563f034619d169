/**
 * Memory: the project's memory limits (per replica) against the engine's
 * memory (`docker info` MemTotal), its free memory when known, and each Java
 * heap (-Xmx in the environment) against its container's limit and the engine.
 */
import fs from "node:fs/promises";
import { parseBytes } from "../../run-spec/units";
import type { PreflightCheck } from "../protocol";
import { type EngineFacts, reason } from "./facts";
import { humanBytes, javaHeap } from "./heap";
import type { Plan } from "./plan";

export interface MemoryFacts {
  /** The engine's MemTotal (docker info). */
  total?: number;
  /** Free memory, when the runtime can know it. */
  available?: number;
  /** Where `available` comes from, for the message. */
  availableSource?: string;
  /** Why the engine's memory is not known. */
  error?: string;
}

/** Below this share of MemTotal free, the engine's free memory is "low". */
const LOW_FREE_SHARE = 0.1;

/** MemAvailable from /proc/meminfo (kB) → bytes. */
export function memAvailable(meminfo: string): number | undefined {
  const m = /^MemAvailable:\s+(\d+)\s*kB/m.exec(meminfo);
  return m ? Number(m[1]) * 1024 : undefined;
}

/**
 * The engine's memory. `local`: the engine runs on the runtime's own host (a
 * unix socket), so /proc/meminfo here is the engine's host's too.
 */
export async function memoryFacts(facts: EngineFacts, local: boolean): Promise<MemoryFacts> {
  let total: number | undefined;
  try {
    total = (await facts.info()).MemTotal || undefined;
  } catch (err) {
    return { error: reason(err) };
  }
  if (!local || process.platform !== "linux") return { total };
  try {
    const available = memAvailable(await fs.readFile("/proc/meminfo", "utf8"));
    return { total, available, availableSource: "MemAvailable in /proc/meminfo; the engine runs on the runtime's host" };
  } catch {
    return { total };
  }
}

const who = (c: Plan["containers"][number]) => c.name || "the new container";

/** The memory checks of a plan, given what is known of the engine's memory. Pure. */
export function memoryChecks(plan: Plan, mem: MemoryFacts): PreflightCheck[] {
  const out: PreflightCheck[] = [];
  const limits = plan.containers.map((c) => ({ c, limit: c.spec.memory === undefined ? undefined : parseBytes(c.spec.memory) }));
  const sum = limits.reduce((s, l) => s + (l.limit ?? 0), 0);
  const unlimited = limits.filter((l) => !l.limit).length;
  const title = "Memory available on the engine";
  const { total, available } = mem;
  const freeText = available !== undefined ? `, ${humanBytes(available)} free (${mem.availableSource})` : "";
  const unlimitedText = unlimited ? `; ${unlimited} container${unlimited === 1 ? " has" : "s have"} no memory limit` : "";

  if (total === undefined) {
    out.push({ id: "memory", title, status: "warn", message: `could not be checked: the engine's memory is not known${mem.error ? ` (${mem.error})` : ""}` });
  } else {
    const tooBig = limits.find((l) => l.limit !== undefined && l.limit > total);
    if (tooBig) {
      out.push({
        id: "memory",
        title,
        status: "fail",
        message: `the memory limit ${humanBytes(tooBig.limit!)} of ${who(tooBig.c)} is larger than the engine's memory ${humanBytes(total)}`,
        fix: "lower the memory limit (mem_limit), or deploy on an engine with more memory",
      });
    } else if (sum > total) {
      out.push({
        id: "memory",
        title,
        status: "fail",
        message: `the memory limits add up to ${humanBytes(sum)} (per replica), more than the engine's memory ${humanBytes(total)}`,
        fix: "lower the memory limits (mem_limit) or the replicas, or deploy on an engine with more memory",
      });
    } else if (available !== undefined && sum > available) {
      out.push({
        id: "memory",
        title,
        status: "warn",
        message: `the memory limits add up to ${humanBytes(sum)}, more than the ${humanBytes(available)} free now (${mem.availableSource})`,
        fix: "stop containers you do not need, or lower the memory limits",
      });
    } else if (available !== undefined && available < total * LOW_FREE_SHARE) {
      out.push({
        id: "memory",
        title,
        status: "warn",
        message: `the engine's free memory is low: ${humanBytes(available)} of ${humanBytes(total)} (${mem.availableSource})`,
        fix: "stop containers you do not need before deploying",
      });
    } else {
      const free = available === undefined ? "; free memory not known (the engine is not on the runtime's host): compared with MemTotal from docker info" : freeText;
      out.push({ id: "memory", title, status: "pass", message: `memory limits add up to ${humanBytes(sum)} of the engine's ${humanBytes(total)}${free}${unlimitedText}` });
    }
  }

  const seen = new Set<string>();
  for (const { c, limit } of limits) {
    const heap = javaHeap(c.spec.env);
    if (!heap) continue;
    const key = c.service ?? who(c);
    if (seen.has(key)) continue;
    seen.add(key);
    const id = `java-heap:${key}`;
    const heapTitle = `Java heap of ${key} fits its memory`;
    const heapText = `the Java heap ${heap.option} (${heap.variable})`;
    if (limit && heap.bytes > limit) {
      out.push({
        id,
        title: heapTitle,
        status: "fail",
        message: `${heapText} is larger than the memory limit ${humanBytes(limit)}`,
        fix: `raise mem_limit above ${humanBytes(heap.bytes)} (with room for the JVM's own memory), or lower -Xmx below ${humanBytes(limit)}`,
      });
    } else if (total !== undefined && heap.bytes > total) {
      out.push({
        id,
        title: heapTitle,
        status: "fail",
        message: `${heapText} is larger than the engine's memory ${humanBytes(total)}`,
        fix: `lower -Xmx below ${humanBytes(total)}, or deploy on an engine with more memory`,
      });
    } else if (available !== undefined && !limit && heap.bytes > available) {
      out.push({ id, title: heapTitle, status: "warn", message: `${heapText} is more than the ${humanBytes(available)} free now (${mem.availableSource})`, fix: "stop containers you do not need, or lower -Xmx" });
    } else {
      const within = limit ? `the memory limit ${humanBytes(limit)}` : total !== undefined ? `the engine's memory ${humanBytes(total)} (no memory limit)` : "its container (no memory limit; the engine's memory is not known)";
      out.push({ id, title: heapTitle, status: "pass", message: `${heapText} fits in ${within}` });
    }
  }
  return out;
}
