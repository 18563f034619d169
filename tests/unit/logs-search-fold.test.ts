/**
 * Case-insensitive search on the linear-time engine rewrites the pattern
 * (runtime/logs/case-fold.ts). Oracle: V8's own `i` flag, on generated
 * patterns and texts, and on every UTF-16 code unit.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { caseVariants, foldCase } from "../../runtime/logs/case-fold";
import { buildMatcher, FilterError } from "../../runtime/logs/filter";

const FRAGMENTS = [
  "a", "B", "k", "K", "s", "ſ", "é", "É", "ß", "ı", "I", "İ", "Ω", "ω", "1", "_", "-", " ",
  "\\w", "\\W", "\\b", "\\B", "\\d", "\\D", "\\s", ".", "[a-c]", "[^a]", "[A-z]", "[\\b]", "[\\w-]", "[a-\\d]", "[K-k]", "[^\\W]",
  "\\x41", "\\x4", "\\u00e9", "\\u00C9", "\\101", "\\1", "\\8", "\\k", "\\k<Na>", "\\cJ", "\\c", "\\a", "\\-", "[\\c_]", "[\\01]", "[\\B]",
  "(", "(?:", "(?<Na>", ")", "|", "*", "+", "?", "{2}", "{1,", "}", "]", "^", "$",
];
const TEXT = ["a", "A", "b", "B", "c", "C", "k", "K", "\u212a", "s", "S", "ſ", "é", "É", "ß", "ı", "i", "I", "İ", "Ω", "ω", "1", "8", "_", "-", " ", "\n", "\u0001", "\n", "J", "]", "{", "}", "\\", "z", "Z", "[", "^", "N", "a"];

const valid = (p: string) => {
  try {
    new RegExp(p, "i");
    return true;
  } catch {
    return false;
  }
};

describe("case folding for the linear-time engine", () => {
  it("matches exactly what the i flag matches, on generated patterns and texts", () => {
    let checked = 0;
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength: 8 }), fc.array(fc.constantFrom(...TEXT), { maxLength: 12 }), (parts, chars) => {
        const p = parts.join("");
        fc.pre(valid(p));
        checked++;
        const t = chars.join("");
        expect(new RegExp(foldCase(p)).test(t), `${p} on ${JSON.stringify(t)}`).toBe(new RegExp(p, "i").test(t));
      }),
      { numRuns: 5000 },
    );
    expect(checked).toBeGreaterThan(1000);
  });

  it("groups every code unit with the ones the i flag treats as equal", () => {
    const hex = (c: number) => `\\u${c.toString(16).padStart(4, "0")}`;
    const wrong: string[] = [];
    for (let c = 0; c < 0x10000; c++) {
      const re = new RegExp(`^${hex(c)}$`, "i");
      const variants = new Set(caseVariants(c));
      const s = String.fromCharCode(c);
      const candidates = new Set([c, ...variants]);
      for (const f of [s.toLowerCase(), s.toUpperCase(), s.toLowerCase().toUpperCase(), s.toUpperCase().toLowerCase()]) if (f.length === 1) candidates.add(f.charCodeAt(0));
      for (const x of candidates) if (re.test(String.fromCharCode(x)) !== variants.has(x)) wrong.push(`${hex(c)}~${hex(x)}`);
    }
    expect(wrong).toEqual([]);
  });

  it("reads \\c without a control letter as a backslash and a c, as the i flag does", () => {
    for (const p of ["\\c", "x\\c", "\\c+", "\\c$"]) {
      for (const t of ["\\c", "\\C", "x\\cc", "c", "\\"]) expect(new RegExp(foldCase(p)).test(t), `${p} on ${t}`).toBe(new RegExp(p, "i").test(t));
    }
  });

  it("keeps group names and escapes that are not characters as written", () => {
    expect(foldCase("(?<Name>x)\\k<Name>\\w\\B")).toBe("(?<Name>[\\u0058\\u0078])\\k<Name>\\w\\B");
  });
});

describe("search matcher on the linear-time engine", () => {
  it("answers (a+)+$ over a long line at once, case-insensitive or not", () => {
    const line = `${"a".repeat(5000)}!`;
    for (const caseSensitive of [true, false]) {
      const m = buildMatcher({ q: "(a+)+$", regex: true, caseSensitive, invert: false })!;
      const t0 = performance.now();
      expect(m(line)).toBe(false);
      expect(performance.now() - t0).toBeLessThan(500);
    }
  });

  it("refuses what cannot run in linear time, naming the field", () => {
    for (const q of ["(a)\\1", "(?=a)b", "(?<!a)b", "a{100}"]) {
      expect(() => buildMatcher({ q, regex: true, caseSensitive: false, invert: false })).toThrow(
        new FilterError("search: this pattern cannot run in linear time (backreferences, lookaround and repetition counts over 16 are not supported)"),
      );
    }
    expect(() => buildMatcher({ q: "(", regex: true, caseSensitive: true, invert: false })).toThrow(/^search: invalid regular expression: \/\(\/: Unterminated group$/);
  });
});
