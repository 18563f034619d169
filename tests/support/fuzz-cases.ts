/**
 * The concrete requests the fuzz test sends, and the rules that keep them off
 * other tests' containers on the shared engine: every string a mutation could
 * use to name a container (keys in REF_KEYS, at any depth) gets the
 * `berth-fuzz-` prefix, which is not hex (so never an id prefix) and no other
 * test's name prefix. Reads may name the fixture container instead
 * (placeholders `$FIXTURE`, `$FIXTURE_ID`, filled in at send time).
 */
import { setOwn } from "./fuzz-schema";

export const PREFIX = "berth-fuzz-";

/** The environment the fuzzed Berth has (the one seeded at start). */
export const ENV = "local";

/**
 * A generated `env` that is well-formed becomes the real one most of the time:
 * a random slug is an unknown environment, and an input refused there never
 * reaches the fields behind it. Hostile `env` values are left as they are.
 */
export function aimAtEnv(value: unknown, bits: number): unknown {
  if (!value || typeof value !== "object" || Array.isArray(value)) return value;
  const env = (value as { env?: unknown }).env;
  if (typeof env !== "string" || !/^[a-z0-9][a-z0-9_-]{0,63}$/.test(env) || bits % 8 === 0) return value;
  const out = { ...(value as object) };
  setOwn(out, "env", ENV);
  return out;
}

/** encodeURIComponent, except that a lone surrogate (which UTF-8 cannot carry) becomes U+FFFD instead of throwing. */
export const enc = (s: string) => encodeURIComponent(s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD"));

export interface HttpCase {
  kind: "http";
  target: string;
  method: string;
  path: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  /** false: sent without the cookies (session, CSRF). */
  auth?: boolean;
}
export interface WsCase {
  kind: "ws";
  target: string;
  data: string | Buffer;
  binary?: boolean;
  /** A logs.open whose answer (tagged with this sid) is awaited. */
  sid?: string;
}
export type FuzzCase = HttpCase | WsCase;

/** Keys whose strings name containers (or become container names) in mutation inputs. */
export const REF_KEYS = new Set(["id", "ids", "name", "names", "container", "containers", "project"]);

/** Rewrites every container reference of a mutation input to the fuzz prefix; leaves the rest as generated. */
export function confine(value: unknown, isRef = false): unknown {
  if (typeof value === "string") return isRef && !value.startsWith(PREFIX) ? PREFIX + value : value;
  if (Array.isArray(value)) return value.map((v) => confine(v, isRef));
  if (value && typeof value === "object") {
    const out = {};
    for (const [k, v] of Object.entries(value)) setOwn(out, k, confine(v, isRef || REF_KEYS.has(k)));
    return out;
  }
  return value;
}

/**
 * Points some container references of a read at the fixture container (by name or id); the
 * others get the prefix too, so no read lands on another test's container (a log flood, say).
 */
export function aimAtFixture(value: unknown, bits: number, isRef = false): unknown {
  if (typeof value === "string" && isRef) return bits % 3 === 0 ? confine(value, true) : bits % 3 === 1 ? "$FIXTURE" : "$FIXTURE_ID";
  if (Array.isArray(value)) return value.map((v, i) => aimAtFixture(v, bits >> (i % 8), isRef));
  if (value && typeof value === "object") {
    const out = {};
    for (const [k, v] of Object.entries(value)) setOwn(out, k, aimAtFixture(v, bits, isRef || REF_KEYS.has(k)));
    return out;
  }
  return value;
}
