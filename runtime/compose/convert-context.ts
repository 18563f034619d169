/**
 * What the conversion of a checked, interpolated file shares: where errors go
 * (with the YAML line of each key), the project's resources, and the small
 * readers for compose's "list or map" shapes. Keys the schema allows but Berth
 * does not support are refused here by name, never silently dropped.
 */
import type { ComposeError, ComposeNetwork, ComposeVolume } from "./model";
import { isInside, resolvePath } from "./paths";
import { childPath, errorAt, isRecord, type Loc } from "./yaml-source";

export interface ConvertContext {
  project: string;
  workingDir: string;
  locs: Map<string, Loc>;
  errors: ComposeError[];
  warnings: string[];
  /** .env's values: `environment: [KEY]` takes its value from there (Berth has no shell environment). */
  vars: Map<string, string>;
  readFile?: (absolutePath: string) => string | undefined;
  networks: Record<string, ComposeNetwork>;
  volumes: Record<string, ComposeVolume>;
  /** Top-level secrets and configs: name → the absolute path of their file. */
  secrets: Map<string, string>;
  configs: Map<string, string>;
}

export function fail(ctx: ConvertContext, kind: ComposeError["kind"], path: string, message: string): undefined {
  ctx.errors.push(errorAt(kind, ctx.locs, path, message));
  return undefined;
}

/** Refuses every key of `obj` that is not in `allowed` (and not an `x-` extension), naming it. */
export function only(ctx: ConvertContext, obj: unknown, path: string, allowed: readonly string[]): void {
  if (!isRecord(obj)) return;
  for (const key of Object.keys(obj)) {
    if (key.startsWith("x-") || allowed.includes(key)) continue;
    fail(ctx, "unsupported", childPath(path, key), `Berth does not support "${key}" yet`);
  }
}

/** A name that becomes an object key in the RunSpec: `__proto__` would be taken as the object's prototype. */
export function safeKey(ctx: ConvertContext, key: string, path: string): boolean {
  if (key !== "__proto__") return true;
  fail(ctx, "value", path, `"__proto__" cannot be used as a name here`);
  return false;
}

export const scalarText = (v: unknown): string => (v === null || v === undefined ? "" : String(v));

/**
 * compose's list_or_dict: `["A=1", "B"]` or `{A: 1, B: null}` → entries; a
 * missing value is `null` (`B` alone), an empty one "".
 */
export function listOrDict(v: unknown, sep = "="): [string, string | null, string | number][] {
  if (Array.isArray(v)) {
    return v.map((item, i) => {
      const s = scalarText(item);
      const at = s.indexOf(sep);
      return at < 0 ? [s, null, i] : [s.slice(0, at), s.slice(at + 1), i];
    });
  }
  if (isRecord(v)) return Object.keys(v).map((k) => [k, v[k] === null ? null : scalarText(v[k]), k]);
  return [];
}

/** A record with null prototype from list_or_dict entries (a missing value is ""). */
export function toRecord(ctx: ConvertContext, v: unknown, path: string, sep = "="): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val, at] of listOrDict(v, sep)) if (safeKey(ctx, k, childPath(path, at))) out[k] = val ?? "";
  return out;
}

export function stringList(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).map(scalarText);
}

/**
 * A path of the stack folder (env_file, secrets, configs, a build context): made
 * absolute from the folder, refused when it leads out of it, since the runtime
 * would otherwise read a host file into a container.
 */
export function pathInFolder(ctx: ConvertContext, p: string, path: string): string | undefined {
  const abs = resolvePath(ctx.workingDir, p);
  if (!isInside(ctx.workingDir, abs)) return fail(ctx, "value", path, `"${p}" is outside the stack folder: only files of the stack folder can be used`);
  return abs;
}
