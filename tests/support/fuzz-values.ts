/**
 * The hostile values the fuzz test mixes into otherwise well-formed inputs:
 * wrong types, huge strings, NULs, `..`, catastrophic regexes, prototype keys,
 * out-of-range numbers, unicode edge cases, deep nesting. Huge strings are
 * built once and shared, so thousands of generated inputs cost no memory.
 */
import fc from "fast-check";

const MB = 1 << 20;
export const huge = {
  k64: "x".repeat(64 * 1024),
  m1: "y".repeat(MB + 100),
  m3: "z".repeat(3 * MB),
  m1nul: `${"y".repeat(MB)}\u0000`,
};

/** Patterns whose backtracking explodes on a line of `a`s ending in another character. */
export const catastrophicRegexes = ["(a+)+$", "(a|aa)+$", "(a*)*b", "^(a+)+$", "(.*a){25}", "(a|a?)+$", "((a+)+)+z", "(\\w+\\s?)+$"];

const pathTricks = ["..", "../..", "a/../../b", "../../../../etc/passwd", "./..", "%2e%2e/%2e%2e", "..\\..\\windows", "/..", "a/..", "....//", "..;/", ".../"];
const nulStrings = ["\u0000", "a\u0000b", "busybox\u0000", "\u0000\u0000\u0000", "id\u0000; rm -rf /"];
const unicodeEdges = [
  "\uD800", // lone high surrogate
  "\uDFFF",
  "\uFEFFbom",
  "\u202Egnp.exe", // right-to-left override
  "a\u200Bb", // zero-width space
  "e\u0301\u0301\u0301",
  "１２３", // fullwidth digits
  "İıſK", // case-folding traps
  "\u2028\u2029",
  "😀👩‍👩‍👧‍👦",
  "\uFFFF\uFFFE",
  "𝔞𝔟𝔠",
  "\r\nX-Injected: 1",
  "a\tb\vc\fd\be",
];
const injections = ["${jndi:ldap://127.0.0.1/a}", "{{7*7}}", "'; DROP TABLE AuditEntry; --", "<script>alert(1)</script>", "%s%n%x", "`id`", "$(id)", "\\", '"', "'", "*", "?", "[", "{", "NaN", "undefined", "null", "true", "-1", "0x10", "1e999"];
const emptyish = ["", " ", "   ", "\t\n", "-", ".", "/", ":", "@", "#"];

export const nastyStringArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...pathTricks, ...nulStrings, ...unicodeEdges, ...injections, ...emptyish, ...catastrophicRegexes) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 300 }) },
  { weight: 1, arbitrary: fc.constantFrom(...pathTricks).map((p) => `fz-${p}`) },
  { weight: 1, arbitrary: fc.constant(huge.k64) },
);

/** A few MB: used sparingly by the callers, they are slow to send. */
export const hugeStringArb: fc.Arbitrary<string> = fc.constantFrom(huge.m1, huge.m3, huge.m1nul);

export const nastyNumberArb: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(-1, 0, -0, 0.5, -0.5, 1e21, -1e21, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 2, Number.MAX_VALUE, Number.MIN_VALUE, -Number.MAX_VALUE, 65536, 1e308),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

/** Keys that try to reach Object.prototype through merges and lookups. */
export const protoKeys = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf", "__defineGetter__"];

/** An object parsed from JSON with a real own `__proto__` key (an object literal would set the prototype instead). */
export function withProtoKey(key: string, value: unknown): Record<string, unknown> {
  return JSON.parse(`{${JSON.stringify(key)}:${JSON.stringify(value ?? null)}}`);
}

/** Nesting of the given depth built without recursion. */
export function deep(depth: number, leaf: unknown = 1): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

export const protoArb: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(fc.constantFrom(...protoKeys), fc.constantFrom<unknown>({ polluted: "yes" }, { prototype: { polluted: "yes" } }, null, 1, "x"))
  .map(([k, v]) => withProtoKey(k, v));

/** Any hostile JSON value; `depth` bounds the structural recursion. */
export const nastyValueArb: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    { weight: 5, arbitrary: nastyStringArb },
    { weight: 2, arbitrary: nastyNumberArb },
    { weight: 1, arbitrary: fc.constantFrom<unknown>(null, true, false, [], {}, [[]], [null], { "": "" }) },
    { weight: 1, arbitrary: protoArb },
    // Deeper nesting is sent as raw text (JSON.stringify itself would overflow).
    { weight: 1, arbitrary: fc.constantFrom(64, 300).map((d) => deep(d)) },
    { weight: 1, arbitrary: fc.array(tie("value"), { maxLength: 4 }) },
    { weight: 1, arbitrary: fc.dictionary(fc.oneof(nastyStringArb.filter((s) => s.length < 100), fc.constantFrom(...protoKeys)), tie("value"), { maxKeys: 3 }) },
  ),
})).value;

/** A few bytes that are not UTF-8: lone continuation bytes, overlongs, surrogates encoded as UTF-8, 0xFF. */
export const invalidUtf8Arb: fc.Arbitrary<Buffer> = fc
  .constantFrom([0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0x80], [0xc3, 0x28], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82], [0xfe, 0xfe, 0xff, 0xff])
  .map((b) => Buffer.from(b));
