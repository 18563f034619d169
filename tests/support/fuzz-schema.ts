/**
 * Inputs shaped by a procedure's own schema (zod → JSON Schema), so a new field
 * or procedure is fuzzed without editing the test: `validArb` makes values the
 * schema accepts (mostly), `fuzzedArb` takes one and breaks a single spot of it
 * (a field replaced by a hostile value, an optional field added with one, a
 * prototype key, an extra array item), which reaches deeper than random JSON.
 */
import fc from "fast-check";
import { z } from "zod";
import { hugeStringArb, nastyValueArb, protoKeys } from "./fuzz-values";

export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}

export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  return mergedObjects(z.toJSONSchema(schema, { unrepresentable: "any", io: "input" }) as JsonSchema);
}

/**
 * An intersection of objects (e.g. `{ env }` and a runtime method's input) as one
 * object schema, so every field of every part is generated and broken.
 */
function mergedObjects(s: JsonSchema): JsonSchema {
  const parts = s.allOf?.map(mergedObjects);
  if (!parts?.length || !parts.every((p) => p.type === "object")) return s;
  const { allOf: _parts, ...rest } = s;
  return {
    ...rest,
    type: "object",
    properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})),
    required: [...new Set(parts.flatMap((p) => p.required ?? []))],
  };
}

function stringArb(s: JsonSchema): fc.Arbitrary<string> {
  const min = s.minLength ?? 0;
  const max = Math.min(s.maxLength ?? 40, 40);
  const fits = (v: string) => v.length >= min && v.length <= (s.maxLength ?? Infinity);
  if (s.format === "ipv4") return fc.ipV4();
  if (s.format === "ipv6") return fc.ipV6();
  if (s.format === "mac") return fc.constant("92:d0:c6:0a:29:33");
  if (s.pattern) {
    try {
      // Mostly matching, sometimes anything: both sides of the check get exercised.
      const matching = fc.stringMatching(new RegExp(s.pattern)).filter(fits);
      return fc.oneof({ weight: 4, arbitrary: matching }, { weight: 1, arbitrary: fc.string({ minLength: min, maxLength: Math.max(min, max) }) });
    } catch {
      // a pattern fast-check cannot invert (lookarounds, backreferences)
    }
  }
  return fc.string({ minLength: min, maxLength: Math.max(min, max) });
}

function numberArb(s: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const lo = Math.max(s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : -1e6), -1e9);
  const hi = Math.min(s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : 1e6), 1e9);
  if (integer) return fc.integer({ min: Math.ceil(lo), max: Math.max(Math.ceil(lo), Math.floor(hi)) });
  return fc.double({ min: lo, max: Math.max(lo, hi), noNaN: true, noDefaultInfinity: true });
}

/** Values the schema (mostly) accepts; `depth` stops runaway recursion in open schemas. */
export function validArb(s: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 6) return fc.constant(null);
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((a) => validArb(a, depth + 1)));
  if (s.allOf?.length) return validArb(s.allOf[0]!, depth + 1);
  if (Array.isArray(s.type)) return fc.oneof(...s.type.map((t) => validArb({ ...s, type: t }, depth + 1)));
  switch (s.type) {
    case "string":
      return stringArb(s);
    case "integer":
      return numberArb(s, true);
    case "number":
      return numberArb(s, false);
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array":
      return fc.array(s.items ? validArb(s.items, depth + 1) : fc.string(), {
        minLength: s.minItems ?? 0,
        maxLength: Math.max(s.minItems ?? 0, Math.min(s.maxItems ?? 3, 3)),
      });
    case "object": {
      const props = s.properties ?? {};
      const fixed = Object.keys(props).length
        ? fc.record(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, validArb(v, depth + 1)])), { requiredKeys: s.required ?? [] })
        : fc.constant({});
      const extra = typeof s.additionalProperties === "object" ? s.additionalProperties : undefined;
      if (!extra) return fixed;
      return fc.tuple(fixed, fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), validArb(extra, depth + 1), { maxKeys: 3 })).map(([a, b]) => ({ ...b, ...a }));
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

type Path = (string | number)[];

/** Every spot of `value` a mutation can hit, with the absent optional properties the schema names. */
function slots(value: unknown, schema: JsonSchema | undefined, path: Path = [], out: Path[] = []): Path[] {
  out.push(path);
  if (Array.isArray(value)) value.forEach((v, i) => slots(v, schema?.items, [...path, i], out));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) slots(v, schema?.properties?.[k], [...path, k], out);
    for (const k of Object.keys(schema?.properties ?? {})) if (!(k in value)) out.push([...path, k]);
  }
  return out;
}

/** Sets an own property, `__proto__` included (plain assignment would change the prototype). */
export function setOwn(obj: object, key: string | number, value: unknown) {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (!path.length) return value;
  let cur = root as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) cur = cur[k] as Record<string | number, unknown>;
  setOwn(cur, path[path.length - 1]!, value);
  return root;
}

function getAt(root: unknown, path: Path): unknown {
  return path.reduce<unknown>((cur, k) => (cur as Record<string | number, unknown>)?.[k], root);
}

/** Hostile replacement values: rarely a few MB (slow to send), otherwise anything nasty. */
export const replacementArb: fc.Arbitrary<unknown> = fc.oneof({ weight: 200, arbitrary: nastyValueArb }, { weight: 1, arbitrary: hugeStringArb });

/** A valid value broken in one spot (or, now and then, left valid: the happy path must not fail either). */
export function fuzzedArb(schema: JsonSchema, valid: fc.Arbitrary<unknown> = validArb(schema)): fc.Arbitrary<unknown> {
  return fc
    .tuple(valid, fc.nat(), fc.nat(9), replacementArb, fc.constantFrom(...protoKeys))
    .map(([v, pick, how, replacement, protoKey]) => {
      if (how === 0) return v;
      const copy = v === undefined ? undefined : JSON.parse(JSON.stringify(v));
      const all = slots(copy, schema);
      const at = all[pick % all.length]!;
      const target = getAt(copy, at);
      if (how === 1 && target && typeof target === "object") {
        setOwn(target, Array.isArray(target) ? target.length : protoKey, replacement);
        return copy;
      }
      return setAt(copy, at, replacement);
    });
}
