/**
 * Case-insensitive search on V8's linear-time engine, which in this Node
 * refuses the `i` flag: the pattern is rewritten so that each character also
 * matches its other cases (`a` → `[aA]`, `[a-c]` → `[ABCabc]`). Equivalence is
 * the one JavaScript's `i` uses without `u`: two code units match when their
 * upper case is the same single code unit, never mapping non-ASCII onto ASCII.
 *
 * Input is a pattern the RegExp constructor has already accepted without flags
 * (web-compatible syntax, so `\a` means `a`, `\101` may be octal, `]` and `{`
 * may stand alone). Only characters change; everything else is copied.
 */

function canonical(c: number): number {
  const up = String.fromCharCode(c).toUpperCase();
  if (up.length !== 1) return c;
  const u = up.charCodeAt(0);
  return c >= 128 && u < 128 ? c : u;
}

/**
 * Built when the runtime starts (about 0.1 s), not on a first search, which
 * would hold the event loop that long. Only code units with another case get a
 * group: a few thousand of 65,536.
 */
const canonOf = new Uint16Array(0x10000);
const groups = new Map<number, number[]>();
for (let x = 0; x < 0x10000; x++) {
  const k = (canonOf[x] = canonical(x));
  if (k === x) continue;
  const list = groups.get(k) ?? [k];
  list.push(x);
  groups.set(k, list);
}
for (const list of groups.values()) list.sort((a, b) => a - b);

/** Every code unit that matches `c` under `i` (c included), ascending. */
export function caseVariants(c: number): number[] {
  return groups.get(canonOf[c]) ?? [c];
}

const hex = (c: number) => `\\u${c.toString(16).padStart(4, "0")}`;

/** A class body (no brackets) for a set of code units, as ranges. */
function classBody(codes: Set<number>): string {
  const sorted = [...codes].sort((a, b) => a - b);
  let out = "";
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    out += j === i ? hex(sorted[i]) : j === i + 1 ? hex(sorted[i]) + hex(sorted[j]) : `${hex(sorted[i])}-${hex(sorted[j])}`;
    i = j + 1;
  }
  return out;
}

/** An escape at `i` (p[i] is the backslash): the code unit it stands for, or none (a set, an assertion, a backreference). */
interface Escape {
  end: number;
  char?: number;
}

const isHex = (s: string) => /^[0-9a-fA-F]+$/.test(s);
const octalAt = (p: string, i: number): Escape => {
  const m = /^[0-3][0-7]{0,2}|^[4-7][0-7]?/.exec(p.slice(i, i + 3))!;
  return { end: i + m[0].length, char: parseInt(m[0], 8) };
};

function escapeAt(p: string, i: number, inClass: boolean, ctx: { captures: number; named: boolean }): Escape {
  const n = p[i + 1];
  if (n === undefined) return { end: i + 1 };
  if (n === "c") {
    const x = p[i + 2];
    if (x !== undefined && (/[A-Za-z]/.test(x) || (inClass && /[0-9_]/.test(x)))) return { end: i + 3, char: x.charCodeAt(0) % 32 };
    // `\c` without a control letter is a backslash; the `c` is read next as itself.
    return { end: i + 1, char: 0x5c };
  }
  if (n === "x" && isHex(p.slice(i + 2, i + 4)) && p.slice(i + 2, i + 4).length === 2) return { end: i + 4, char: parseInt(p.slice(i + 2, i + 4), 16) };
  if (n === "u" && isHex(p.slice(i + 2, i + 6)) && p.slice(i + 2, i + 6).length === 4) return { end: i + 6, char: parseInt(p.slice(i + 2, i + 6), 16) };
  if (/[dDwWsS]/.test(n) || (!inClass && /[bB]/.test(n))) return { end: i + 2 };
  if (inClass && n === "b") return { end: i + 2, char: 8 };
  if (/[0-9]/.test(n)) {
    if (n === "0" && !/[0-9]/.test(p[i + 2] ?? "")) return { end: i + 2, char: 0 };
    if (!inClass) {
      const num = /^[0-9]+/.exec(p.slice(i + 1))![0];
      if (n !== "0" && Number(num) <= ctx.captures) return { end: i + 1 + num.length };
    }
    if (n === "8" || n === "9") return { end: i + 2, char: n.charCodeAt(0) };
    return octalAt(p, i + 1);
  }
  if (n === "k" && ctx.named && !inClass) return { end: p.indexOf(">", i) + 1 || i + 2 };
  return { end: i + 2, char: n.charCodeAt(0) };
}

/** Capturing groups and whether any is named: they decide what `\1` and `\k` mean. */
function scanGroups(p: string): { captures: number; named: boolean } {
  let captures = 0;
  let named = false;
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const ch = p[i];
    if (ch === "\\") i++;
    else if (inClass) inClass = ch !== "]";
    else if (ch === "[") inClass = true;
    else if (ch === "(" && p[i + 1] !== "?") captures++;
    else if (ch === "(" && p[i + 2] === "<" && p[i + 3] !== "=" && p[i + 3] !== "!") {
      captures++;
      named = true;
    }
  }
  return { captures, named };
}

/** Rewrites `pattern` so that, without `i`, it matches what it matches with `i`. */
export function foldCase(pattern: string): string {
  const p = pattern;
  const ctx = scanGroups(p);
  const literal = (c: number, src: string) => {
    const v = caseVariants(c);
    return v.length > 1 ? `[${classBody(new Set(v))}]` : src;
  };
  let out = "";
  let i = 0;
  while (i < p.length) {
    const ch = p[i];
    if (ch === "\\") {
      const e = escapeAt(p, i, false, ctx);
      // A lone `\` (from `\c` without a control letter) cannot be copied as written.
      const src = e.end - i === 1 ? hex(e.char ?? 0x5c) : p.slice(i, e.end);
      out += e.char === undefined ? p.slice(i, e.end) : literal(e.char, src);
      i = e.end;
    } else if (ch === "[") {
      const c = foldClass(p, i, ctx);
      out += c.text;
      i = c.end;
    } else if (ch === "(" || ch === "{") {
      // Group openers (a name must keep its case) and quantifiers are copied whole.
      const m = /^\(\?(?:<[=!]|<[^>]*>|[:=!])|^\{\d+(?:,\d*)?\}/.exec(p.slice(i));
      const len = m ? m[0].length : 1;
      out += p.slice(i, i + len);
      i += len;
    } else {
      out += literal(ch.charCodeAt(0), ch);
      i++;
    }
  }
  return out;
}

function foldClass(p: string, start: number, ctx: { captures: number; named: boolean }): { text: string; end: number } {
  let i = start + 1;
  const negate = p[i] === "^";
  if (negate) i++;
  const sets: string[] = [];
  const codes = new Set<number>();
  const add = (c: number) => caseVariants(c).forEach((v) => codes.add(v));
  /** One class atom at i: a code unit, or a set escape (copied). */
  const atom = (): { char?: number; text: string } => {
    if (p[i] === "\\") {
      const e = escapeAt(p, i, true, ctx);
      const text = p.slice(i, e.end);
      i = e.end;
      return { char: e.char, text };
    }
    return { char: p.charCodeAt(i), text: p[i++] };
  };
  while (i < p.length && p[i] !== "]") {
    const a = atom();
    if (a.char === undefined) {
      sets.push(a.text);
      continue;
    }
    if (p[i] === "-" && i + 1 < p.length && p[i + 1] !== "]") {
      i++;
      const b = atom();
      if (b.char === undefined) {
        // `[a-\d]`: web-compatible syntax reads the dash as itself.
        add(a.char);
        add(0x2d);
        sets.push(b.text);
      } else {
        for (let c = a.char; c <= b.char; c++) add(c);
      }
      continue;
    }
    add(a.char);
  }
  return { text: `[${negate ? "^" : ""}${sets.join("")}${classBody(codes)}]`, end: i + 1 };
}
