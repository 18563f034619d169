/**
 * Sizes, durations and CPU counts, parsed and printed the way the docker CLI does
 * (go-units RAMInBytes, Go's time.ParseDuration, the CLI's NanoCPUs), so a value
 * typed in the form means exactly what it means on the command line.
 */

const sizeRe = /^(\d+(?:\.\d+)*) ?([kmgtp])?i?b?$/i;
const binaryUnits: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/** `512m`, `1.5g`, `10kb`, `100` → bytes (binary units, like go-units RAMInBytes); undefined if malformed. */
export function parseBytes(text: string | number): number | undefined {
  if (typeof text === "number") return Number.isSafeInteger(text) && text >= 0 ? text : undefined;
  const m = sizeRe.exec(text.trim());
  if (!m) return undefined;
  const value = Number.parseFloat(m[1]);
  if (!Number.isFinite(value)) return undefined;
  const unit = m[2] ? binaryUnits[m[2].toLowerCase()] : 1;
  // go-units multiplies as float64 and truncates to int64.
  const bytes = Math.trunc(value * unit);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** `--memory-swap` also takes `-1` (unlimited swap). */
export function parseSwapBytes(text: string | number): number | undefined {
  if (text === -1 || (typeof text === "string" && text.trim() === "-1")) return -1;
  return parseBytes(text);
}

/** Bytes → the shortest exact size the CLI reads back to the same number (`1g`, `512m`, `65536k`, `100`). */
export function formatBytes(bytes: number): string {
  if (bytes === -1) return "-1";
  for (const [unit, size] of [["g", 1024 ** 3], ["m", 1024 ** 2], ["k", 1024]] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return String(bytes);
}

const durationUnits: Record<string, number> = {
  ns: 1,
  us: 1e3,
  "µs": 1e3,
  "μs": 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};
const durationPart = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/** Go duration (`30s`, `1m30s`, `500ms`, `1.5h`) → nanoseconds; undefined if malformed. `0` is allowed. */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === "0") return 0;
  if (s === "") return undefined;
  let sign = 1;
  let i = 0;
  if (s[0] === "-" || s[0] === "+") {
    sign = s[0] === "-" ? -1 : 1;
    i = 1;
  }
  let total = 0;
  durationPart.lastIndex = i;
  while (durationPart.lastIndex < s.length) {
    const at = durationPart.lastIndex;
    const m = durationPart.exec(s);
    if (!m || m.index !== at) return undefined;
    total += Number.parseFloat(m[1]) * durationUnits[m[2]];
  }
  if (durationPart.lastIndex === i) return undefined;
  return sign * Math.round(total);
}

/** Nanoseconds → a Go duration the CLI parses back to the same value (`1m30s`, `500ms`, `1.5s`). */
export function formatDuration(ns: number): string {
  if (ns === 0) return "0s";
  if (ns < 0) return `-${formatDuration(-ns)}`;
  if (ns % 1e9 !== 0) {
    if (ns < 1e9 && ns % 1e6 === 0) return `${ns / 1e6}ms`;
    if (ns < 1e6 && ns % 1e3 === 0) return `${ns / 1e3}us`;
    if (ns < 1e3) return `${ns}ns`;
    // Exact decimal seconds: integer math avoids float noise like 1.5000000001s.
    const whole = Math.floor(ns / 1e9);
    const frac = String(ns % 1e9).padStart(9, "0").replace(/0+$/, "");
    return `${whole}.${frac}s`;
  }
  let secs = ns / 1e9;
  const h = Math.floor(secs / 3600);
  secs -= h * 3600;
  const m = Math.floor(secs / 60);
  secs -= m * 60;
  return `${h ? `${h}h` : ""}${m ? `${m}m` : ""}${secs ? `${secs}s` : ""}`;
}

/** `--cpus 1.5` → 1500000000 NanoCpus; undefined when more precise than 1e-9 (the CLI refuses those). */
export function cpusToNano(cpus: number | string): number | undefined {
  const text = typeof cpus === "number" ? cpusText(cpus) : cpus.trim();
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return undefined;
  const frac = m[2] ?? "";
  if (frac.replace(/0+$/, "").length > 9) return undefined;
  const nano = Number(m[1]) * 1e9 + Number(frac.padEnd(9, "0").slice(0, 9) || "0");
  return Number.isSafeInteger(nano) ? nano : undefined;
}

/** NanoCpus → the decimal the CLI prints (`1500000000` → 1.5). */
export function nanoToCpus(nano: number): number {
  return Number((nano / 1e9).toFixed(9));
}

/** A number as plain decimal text (no exponent), for exact NanoCpus arithmetic. */
function cpusText(n: number): string {
  if (!Number.isFinite(n) || n < 0) return "x";
  return n.toFixed(12).replace(/\.?0+$/, "");
}
