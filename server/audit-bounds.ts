/**
 * Size bounds for what goes into (and comes out of) the audit table: columns cut
 * to a length, details kept as valid JSON of a bounded size.
 */

/** Stored details never exceed this many characters. */
export const DETAILS_MAX = 8192;
/** The audit list shows this much of a row's details; the rest is one fetch away. */
export const LISTED_DETAILS_MAX = 512;

const STRING_MAX = 1024;
const ITEMS_MAX = 100;
const DEPTH_MAX = 12;

/** ES2024's String methods (Node 20 has them; the TypeScript lib here is ES2023). */
type WellFormedString = string & { isWellFormed(): boolean; toWellFormed(): string };

/**
 * The text with each lone surrogate replaced by U+FFFD: Prisma's engine refuses
 * a query holding one ("unexpected end of hex escape"), and so would fail the
 * audit row, and with it the action.
 */
export function wellFormed(text: string): string {
  return (text as WellFormedString).toWellFormed();
}

/** Whether the text holds no lone surrogate. */
export function isWellFormed(text: string): boolean {
  return (text as WellFormedString).isWellFormed();
}

/**
 * Cuts to at most `max` characters, marked with "…", never splitting a
 * surrogate pair; lone surrogates become U+FFFD (see wellFormed).
 */
export function truncate(raw: string, max: number): string {
  const text = wellFormed(raw);
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/**
 * A copy small enough to serialise cheaply: long strings cut, long arrays and
 * objects shortened, deep nesting replaced by a marker (no recursion without bound).
 */
export function boundedCopy(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return truncate(value, STRING_MAX);
  if (typeof value === "bigint") return value.toString();
  if (value === null || typeof value !== "object" || value instanceof Date) return value;
  if (depth >= DEPTH_MAX) return "[nested too deep]";
  if (Array.isArray(value)) {
    const items = value.slice(0, ITEMS_MAX).map((v) => boundedCopy(v, depth + 1));
    if (value.length > ITEMS_MAX) items.push(`[${value.length - ITEMS_MAX} more]`);
    return items;
  }
  const out: Record<string, unknown> = {};
  let n = 0;
  for (const key in value as Record<string, unknown>) {
    if (!Object.hasOwn(value, key)) continue;
    if (n++ >= ITEMS_MAX) {
      out["[more keys]"] = true;
      break;
    }
    out[truncate(key, 256)] = boundedCopy((value as Record<string, unknown>)[key], depth + 1);
  }
  return out;
}

/** Valid JSON of at most DETAILS_MAX characters: the value itself, or a marked, shortened preview of it. */
function capJson(json: string): string {
  if (json.length <= DETAILS_MAX) return json;
  // Escaping can lengthen the preview (quotes, control characters): shrink until it fits.
  let keep = DETAILS_MAX - 64;
  for (;;) {
    const wrapped = JSON.stringify({ truncated: true, preview: truncate(json, keep) });
    if (wrapped.length <= DETAILS_MAX) return wrapped;
    keep = Math.floor(keep / 2);
  }
}

/**
 * What the details column holds for a call's input: redacted, bounded, valid JSON.
 * `stored`: `value` is already the column's JSON text (a row written before the caps).
 */
export function boundedDetails(value: unknown, redact: (v: unknown) => unknown, stored = false): string {
  if (stored) return capJson(String(value));
  let json: string | undefined;
  try {
    json = JSON.stringify(redact(boundedCopy(value)));
  } catch (err) {
    json = JSON.stringify({ unserialisable: truncate((err as Error).message, 200) });
  }
  return capJson(json ?? "null");
}

/** The audit list's preview of a row's details; `truncated` says a fetch would show more. */
export function listedDetails(details: string | null): { text: string | null; truncated: boolean } {
  if (details == null) return { text: null, truncated: false };
  if (details.length <= LISTED_DETAILS_MAX) return { text: details, truncated: false };
  return { text: truncate(details, LISTED_DETAILS_MAX), truncated: true };
}
