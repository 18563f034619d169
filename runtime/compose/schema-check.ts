/**
 * The Compose Specification's JSON schema (compose-spec.json, see README.md),
 * checked with ajv after interpolation, each error said in words at the YAML
 * line of the value: `line 12, services.web.ports[0]: must be a string or number`,
 * `line 5, services.web.volumez: unknown key "volumez"`.
 *
 * The schema is compiled once, on first use. ajv runs in strict mode except for
 * what this schema needs: its `id` annotations (draft-04 style) are dropped,
 * union types are allowed, and its custom formats accept any
 * string (the RunSpec conversion checks those values with better messages).
 */
import { Ajv2019, type ErrorObject, type ValidateFunction } from "ajv/dist/2019.js";
import spec from "./compose-spec.json";
import type { ComposeError } from "./model";
import { childPath, errorAt, type Loc } from "./yaml-source";

let compiled: ValidateFunction | undefined;

function schema(): object {
  type Json = { [k: string]: Json } & Json[];
  const s = stripIds(spec) as Json;
  // The file names draft 2019-09 by its old address (http, with a trailing #).
  s.$schema = "https://json-schema.org/draft/2019-09/schema" as unknown as Json;
  // Keys of the current specification the vendored copy predates.
  s.properties.name = { type: "string" } as unknown as Json;
  const dependsOn = s.definitions.service.properties.depends_on.oneOf[1].patternProperties["^[a-zA-Z0-9._-]+$"];
  dependsOn.properties.required = { type: "boolean" } as unknown as Json;
  dependsOn.properties.restart = { type: "boolean" } as unknown as Json;
  s.definitions.deployment.properties.resources.properties.limits.properties.pids = { type: "integer" } as unknown as Json;
  return s;
}

/** The schema's draft-04 `id` annotations: ajv refuses the keyword, and nothing refers to them. */
function stripIds(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripIds);
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (k !== "id") out[k] = stripIds(x);
    return out;
  }
  return v;
}

function validator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv2019({ allErrors: true, allowUnionTypes: true, strictRequired: false, strictTypes: false });
    for (const f of ["ports", "expose", "duration", "subnet_ip_address"]) ajv.addFormat(f, true);
    compiled = ajv.compile(schema());
  }
  return compiled;
}

/** `/services/web/ports/0` → `services.web.ports[0]` (a segment is an index only where the value is a list). */
function toPath(pointer: string, doc: unknown): string {
  let node = doc;
  let path = "";
  for (const raw of pointer.split("/").slice(1)) {
    const seg = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(node)) {
      path = childPath(path, Number(seg));
      node = node[Number(seg)];
    } else {
      path = childPath(path, seg);
      node = node && typeof node === "object" && Object.hasOwn(node, seg) ? (node as Record<string, unknown>)[seg] : undefined;
    }
  }
  return path;
}

const typeWords: Record<string, string> = {
  string: "a string",
  number: "a number",
  integer: "a whole number",
  boolean: "true or false",
  object: "a map",
  array: "a list",
  null: "empty",
};

function words(list: string[]): string {
  const u = [...new Set(list)];
  return u.length <= 1 ? (u[0] ?? "") : `${u.slice(0, -1).join(", ")} or ${u[u.length - 1]}`;
}

export function schemaErrors(doc: unknown, locs: Map<string, Loc>): ComposeError[] {
  const validate = validator();
  if (validate(plain(doc))) return [];
  const raw = (validate.errors ?? []) as ErrorObject[];
  // Only the most specific errors: a wrong value deep inside an object is reported
  // there, not again as "must match one of" on each of its parents.
  const paths = raw.map((e) => e.instancePath);
  // An unknown or missing key is always said (it is about a child, not the map's shape).
  const deepest = raw.filter(
    (e) => e.keyword === "additionalProperties" || e.keyword === "required" || !paths.some((p) => p !== e.instancePath && p.startsWith(`${e.instancePath}/`)),
  );
  const byPath = new Map<string, ErrorObject[]>();
  for (const e of deepest) byPath.set(e.instancePath, [...(byPath.get(e.instancePath) ?? []), e]);
  const out: ComposeError[] = [];
  for (const [pointer, errs] of byPath) {
    const path = toPath(pointer, doc);
    const unknown = errs.filter((e) => e.keyword === "additionalProperties");
    if (unknown.length > 0) {
      for (const key of new Set(unknown.map((e) => String(e.params.additionalProperty)))) {
        const isService = pointer === "/services";
        out.push(errorAt("schema", locs, childPath(path, key), isService ? `"${key}" is not a valid service name (letters, digits, . _ -)` : `unknown key "${key}"`));
      }
      continue;
    }
    const types = errs.filter((e) => e.keyword === "type").flatMap((e) => [e.params.type].flat().map(String));
    if (types.length > 0) {
      out.push(errorAt("schema", locs, path, `must be ${words(types.map((t) => typeWords[t] ?? t))}`));
      continue;
    }
    const enums = errs.filter((e) => e.keyword === "enum").flatMap((e) => (e.params.allowedValues as unknown[]).map(String));
    if (enums.length > 0) {
      out.push(errorAt("schema", locs, path, `must be one of ${words(enums)}`));
      continue;
    }
    for (const e of errs) {
      if (e.keyword === "required") out.push(errorAt("schema", locs, path, `the key "${String(e.params.missingProperty)}" is required`));
      else if (e.keyword === "uniqueItems") out.push(errorAt("schema", locs, path, `has the same entry twice (items ${e.params.j} and ${e.params.i})`));
      else if (e.keyword === "oneOf" || e.keyword === "anyOf") out.push(errorAt("schema", locs, path, "has a shape compose does not accept here"));
      else out.push(errorAt("schema", locs, path, e.message ?? "is invalid"));
    }
  }
  return dedupe(out);
}

/**
 * A copy with ordinary objects for ajv (its equality check calls valueOf, which a
 * null-prototype map lacks); keys are defined, not assigned, so `__proto__` stays a key.
 */
function plain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === "object") {
    const out = {};
    for (const k of Object.keys(v)) Object.defineProperty(out, k, { value: plain((v as Record<string, unknown>)[k]), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return v;
}

function dedupe(errors: ComposeError[]): ComposeError[] {
  const seen = new Set<string>();
  return errors.filter((e) => (seen.has(e.message) ? false : (seen.add(e.message), true)));
}
