/**
 * compose.yaml's text → plain values, keeping where each value was written.
 *
 * The `yaml` package parses (duplicate keys refused with their line); this file
 * then walks the node tree itself instead of calling toJS, so that every value
 * gets its line and column, aliases and merge keys (`<<: *defaults`) expand under
 * a node budget (a "billion laughs" file is refused, not expanded), nesting is
 * bounded, and maps are null-prototype objects: `__proto__` or `constructor` as a
 * key is a plain name, never the prototype.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import type { ComposeError } from "./model";

export interface Loc {
  line: number;
  column: number;
}

export const YAML_LIMITS = {
  /** Values after alias expansion: a real compose file has a few thousand. */
  nodes: 100_000,
  /** Compose's own shapes nest about eight deep; extension fields a little more. */
  depth: 48,
  /** One scalar (a 512 KB file can hold one, but nothing in a compose file needs it). */
  stringLength: 256 * 1024,
} as const;

export type Tree = unknown;

export interface ParsedYaml {
  value: Tree;
  /** Path (`services.web.ports[0]`) → where its key (for a map entry) or its item was written. */
  locs: Map<string, Loc>;
}

/** `services.web` + `ports` → `services.web.ports`; keys that are not plain names are quoted: `labels["a b"]`. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  const plain = /^[A-Za-z0-9_-]+$/.test(key) ? key : undefined;
  if (plain === undefined) return `${parent}[${JSON.stringify(key)}]`;
  return parent === "" ? plain : `${parent}.${plain}`;
}

/** The nearest written location of a path or of one of its parents. */
export function locate(locs: Map<string, Loc>, path: string): Loc | undefined {
  for (let p = path; ; ) {
    const loc = locs.get(p);
    if (loc) return loc;
    const cut = Math.max(p.lastIndexOf("."), p.lastIndexOf("["));
    if (cut <= 0) return undefined;
    p = p.slice(0, cut);
  }
}

/** An error that says its line and key: `line 7, services.web.image: …`. */
export function errorAt(kind: ComposeError["kind"], locs: Map<string, Loc>, path: string, text: string): ComposeError {
  const loc = locate(locs, path);
  const where = [loc ? `line ${loc.line}` : undefined, path || undefined].filter(Boolean).join(", ");
  return { kind, path, line: loc?.line, column: loc?.column, message: where ? `${where}: ${text}` : text };
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A map's own value (null-prototype objects, but also safe on any object). */
export function own(v: unknown, key: string): unknown {
  return isRecord(v) && Object.hasOwn(v, key) ? v[key] : undefined;
}

class Budget extends Error {
  constructor(
    message: string,
    readonly loc?: Loc,
  ) {
    super(message);
  }
}

export function parseYaml(text: string): { ok: true; parsed: ParsedYaml } | { ok: false; errors: ComposeError[] } {
  if (text.includes("\0")) {
    const line = text.slice(0, text.indexOf("\0")).split("\n").length;
    return { ok: false, errors: [{ kind: "yaml", line, path: "", message: `line ${line}: the file contains a NUL character` }] };
  }
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    // Duplicate keys are found by the walk below with one lookup per key: the parser's own check
    // compares every pair of a map's keys, seconds of CPU for a map of a few thousand keys.
    doc = parseDocument(text, { lineCounter, merge: true, uniqueKeys: false, prettyErrors: true });
  } catch {
    return { ok: false, errors: [{ kind: "yaml", path: "", message: "the file nests too deeply to read" }] };
  }
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.slice(0, 20).map((e) => {
        const pos = e.linePos?.[0];
        const what = e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
        const key = (/^[^:\n]{0,80}/.exec(text.slice(e.pos[0], e.pos[0] + 200))?.[0] ?? "").trim().replace(/^["']|["']$/g, "");
        const why = /call stack/i.test(what) ? "values nest too deeply to read" : what;
        const say = e.code === "DUPLICATE_KEY" ? `duplicate key "${key}": a key may be given only once in a map` : why;
        return { kind: "yaml", path: "", line: pos?.line, column: pos?.col, message: pos ? `line ${pos.line}, column ${pos.col}: ${say}` : say };
      }),
    };
  }
  const locs = new Map<string, Loc>();
  const at = (node: { range?: [number, number, number] | null } | null | undefined): Loc | undefined => {
    if (!node?.range) return undefined;
    const p = lineCounter.linePos(node.range[0]);
    return { line: p.line, column: p.col };
  };
  let count = 0;
  const errors: ComposeError[] = [];

  const walk = (node: unknown, path: string, depth: number): unknown => {
    if (++count > YAML_LIMITS.nodes) throw new Budget(`the file expands to more than ${YAML_LIMITS.nodes} values (YAML aliases?)`);
    if (depth > YAML_LIMITS.depth) throw new Budget(`values nest more than ${YAML_LIMITS.depth} levels deep`, at(node as Node));
    if (node === null || node === undefined) return null;
    if (isAlias(node)) return walk(node.resolve(doc), path, depth + 1);
    if (isScalar(node)) {
      const v = node.value;
      if (typeof v === "string" && v.length > YAML_LIMITS.stringLength) {
        errors.push(errorAt("yaml", locs, path, `the value is longer than ${YAML_LIMITS.stringLength / 1024} KB`));
        return "";
      }
      if (typeof v === "string" && v.includes("\0")) {
        // Written as "\0" in a double-quoted string: no container setting can hold it.
        errors.push(errorAt("yaml", locs, path, "the value contains a NUL character"));
        return "";
      }
      if (typeof v === "bigint") return Number(v);
      return v === undefined ? null : v;
    }
    if (isSeq(node)) {
      return node.items.map((item, i) => {
        const p = childPath(path, i);
        const loc = at(item as Node);
        if (loc && !locs.has(p)) locs.set(p, loc);
        return walk(item, p, depth + 1);
      });
    }
    if (isMap(node)) {
      const out: Record<string, unknown> = Object.create(null);
      const merged: Record<string, unknown>[] = [];
      for (const pair of node.items) {
        const k = pair.key;
        if (isScalar(k) && typeof k.value === "symbol") {
          // `<<: *defaults` or `<<: [*a, *b]`: the map's own keys win, then the first source.
          const src = walk(pair.value, path, depth + 1);
          for (const m of Array.isArray(src) ? src : [src]) {
            if (!isRecord(m)) {
              errors.push(errorAt("yaml", locs, path, "a merge key (<<) must name a map or a list of maps"));
              continue;
            }
            merged.push(m);
          }
          continue;
        }
        if (!isScalar(k) || (typeof k.value !== "string" && typeof k.value !== "number" && typeof k.value !== "boolean")) {
          const loc = at(k as Node);
          errors.push({ kind: "yaml", path, line: loc?.line, column: loc?.column, message: `${loc ? `line ${loc.line}, ` : ""}${path || "top level"}: a key must be a plain text value` });
          continue;
        }
        const key = String(k.value);
        const p = childPath(path, key);
        const loc = at(k);
        if (Object.hasOwn(out, key)) {
          errors.push({ kind: "yaml", path: p, line: loc?.line, column: loc?.column, message: `${loc ? `line ${loc.line}, column ${loc.column}: ` : ""}duplicate key "${key}": a key may be given only once in a map` });
          continue;
        }
        if (loc) locs.set(p, loc);
        out[key] = walk(pair.value, p, depth + 1);
      }
      for (const m of merged) for (const key of Object.keys(m)) if (!Object.hasOwn(out, key)) out[key] = m[key];
      return out;
    }
    return null;
  };

  try {
    const value = walk(doc.contents, "", 0);
    if (errors.length > 0) return { ok: false, errors };
    return { ok: true, parsed: { value, locs } };
  } catch (e) {
    if (e instanceof Budget) {
      const where = e.loc ? `line ${e.loc.line}: ` : "";
      return { ok: false, errors: [{ kind: "yaml", path: "", line: e.loc?.line, column: e.loc?.column, message: `${where}${e.message}` }] };
    }
    if (e instanceof RangeError) return { ok: false, errors: [{ kind: "yaml", path: "", message: "the file nests too deeply to read" }] };
    throw e;
  }
}
