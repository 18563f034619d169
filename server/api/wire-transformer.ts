/**
 * tRPC's transformer on both sides: superjson (Dates, Maps…), which refuses
 * any object key named `__proto__`, `constructor` or `prototype`. Docker
 * objects may rightly carry such keys (`docker network create --label
 * constructor=x`, an image's `LABEL prototype=…`), and one such label must not
 * make a whole list fail. Only then, those keys are sent escaped and restored
 * on arrival as plain own properties, never through the prototype.
 */
import superjson from "superjson";

const RISKY = new Set(["__proto__", "constructor", "prototype"]);
/** Appended to a risky key on the wire; a key that already ends with it is escaped too, so the mapping stays one-to-one. */
const MARK = "\u0000berth";

type Json = unknown;

function escapeKeys(v: Json, depth = 0): Json {
  if (depth > 256 || v === null || typeof v !== "object" || v instanceof Date || v instanceof Map || v instanceof Set) return v;
  if (Array.isArray(v)) return v.map((x) => escapeKeys(x, depth + 1));
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const key = RISKY.has(k) || k.endsWith(MARK) ? k + MARK : k;
    out[key] = escapeKeys((v as Record<string, unknown>)[k], depth + 1);
  }
  return out;
}

function restoreKeys(v: Json, depth = 0): Json {
  if (depth > 256 || v === null || typeof v !== "object" || v instanceof Date || v instanceof Map || v instanceof Set) return v;
  if (Array.isArray(v)) return v.map((x) => restoreKeys(x, depth + 1));
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const key = k.endsWith(MARK) ? k.slice(0, -MARK.length) : k;
    // An own data property, whatever the name (`out.__proto__ = …` would set the prototype).
    Object.defineProperty(out, key, { value: restoreKeys((v as Record<string, unknown>)[k], depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

interface Wire {
  json: unknown;
  meta?: unknown;
  /** Set when risky keys were escaped. */
  escaped?: true;
}

export const wireTransformer = {
  serialize(value: unknown): Wire {
    try {
      return superjson.serialize(value) as Wire;
    } catch (err) {
      if (!/prototype pollution/.test((err as Error)?.message ?? "")) throw err;
      return { ...(superjson.serialize(escapeKeys(value)) as Wire), escaped: true };
    }
  },
  deserialize(wire: unknown): unknown {
    const w = wire as Wire;
    const value = superjson.deserialize(w as Parameters<typeof superjson.deserialize>[0]);
    return w && typeof w === "object" && w.escaped === true ? restoreKeys(value) : value;
  },
};
