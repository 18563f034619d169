/**
 * The Java heap a container asks for, read from its environment: `-Xmx512m` in
 * JAVA_OPTS, ES_JAVA_OPTS, CATALINA_OPTS, JVM_OPTS or any other variable. Pure.
 */

/** The JVM's size syntax: digits and an optional k, m, g or t (either case); no unit is bytes. */
const units: Record<string, number> = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** `512m`, `1g`, `1024k`, `1073741824` → bytes; undefined when the JVM would refuse it. */
export function parseJavaSize(text: string): number | undefined {
  const m = /^(\d{1,19})([kKmMgGtT]?)$/.exec(text);
  if (!m) return undefined;
  const bytes = Number(m[1]) * units[m[2]!.toLowerCase()]!;
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}

export interface JavaHeap {
  /** The variable it was found in. */
  variable: string;
  /** As written: `-Xmx512m`. */
  option: string;
  bytes: number;
}

/** Variables a JVM image reads its options from; any other variable with -Xmx counts too. */
export const JAVA_OPTION_VARIABLES = ["JAVA_OPTS", "ES_JAVA_OPTS", "CATALINA_OPTS", "JVM_OPTS", "JAVA_TOOL_OPTIONS", "OPENSEARCH_JAVA_OPTS"];

/**
 * The heap limit of a container from its `KEY=value` list: in each variable the
 * last -Xmx wins (as the JVM reads its command line); across variables the
 * largest is kept (which one the image reads is its own business, the largest is the safe guess).
 */
export function javaHeap(env: readonly string[] | undefined): JavaHeap | undefined {
  let best: JavaHeap | undefined;
  for (const entry of env ?? []) {
    const eq = entry.indexOf("=");
    if (eq <= 0) continue;
    const variable = entry.slice(0, eq);
    const value = entry.slice(eq + 1);
    if (!value.includes("-Xmx")) continue;
    let last: JavaHeap | undefined;
    for (const m of value.matchAll(/(?:^|\s)(-Xmx(\S+))/g)) {
      const bytes = parseJavaSize(m[2]!);
      if (bytes !== undefined) last = { variable, option: m[1]!, bytes };
    }
    if (last && (!best || last.bytes > best.bytes)) best = last;
  }
  return best;
}

/** Bytes as a person reads them: `512m`, `1g`, `1.5g`, `300k`. */
export function humanBytes(bytes: number): string {
  for (const [unit, size] of [["g", 1024 ** 3], ["m", 1024 ** 2], ["k", 1024]] as const) {
    if (bytes >= size) {
      const v = bytes / size;
      return `${Number.isInteger(v) ? v : v.toFixed(1)}${unit}`;
    }
  }
  return `${bytes}b`;
}
