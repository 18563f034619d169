/**
 * Compose's variable substitution on the file's string values, before the schema
 * check: `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?message}`,
 * `${VAR?message}`, `${VAR:+alt}`, `${VAR+alt}`, and `$$` for a literal `$`.
 *
 * Values come only from the stack's .env (the runtime's own environment is never
 * read: it would leak into containers). As compose 1.29 does, a braced expression
 * runs to the first `}` and its default is taken literally (no nesting, so no
 * recursion), an unset variable without a default becomes "" with a warning, and
 * a `$` that starts nothing valid is an error. The output is bounded: `${BIG}`
 * written a thousand times cannot grow the file past a few megabytes.
 */
import type { ComposeError } from "./model";
import { childPath, errorAt, isRecord, type Loc } from "./yaml-source";

export interface VariableInfo {
  name: string;
  set: boolean;
  hasDefault: boolean;
  required: boolean;
}

export interface InterpolationContext {
  vars: Map<string, string>;
  locs: Map<string, Loc>;
  uses: Map<string, VariableInfo>;
  warnings: string[];
  errors: ComposeError[];
  /** Characters the substitutions may still add in all. */
  budget: number;
}

export const INTERPOLATION_BUDGET = 4 * 1024 * 1024;
const name = /^[A-Za-z_][A-Za-z0-9_]*/;

export function newContext(vars: Map<string, string>, locs: Map<string, Loc>): InterpolationContext {
  return { vars, locs, uses: new Map(), warnings: [], errors: [], budget: INTERPOLATION_BUDGET };
}

function use(ctx: InterpolationContext, v: string, hasDefault: boolean, required: boolean) {
  const prev = ctx.uses.get(v);
  ctx.uses.set(v, {
    name: v,
    set: ctx.vars.has(v),
    hasDefault: (prev?.hasDefault ?? false) || hasDefault,
    required: (prev?.required ?? false) || required,
  });
}

/** One string; undefined when it has an error (pushed to ctx.errors). */
export function interpolateString(text: string, path: string, ctx: InterpolationContext): string | undefined {
  if (!text.includes("$")) return text;
  let out = "";
  let i = 0;
  const fail = (message: string) => {
    ctx.errors.push(errorAt("variable", ctx.locs, path, message));
    return undefined;
  };
  const add = (s: string) => {
    ctx.budget -= s.length;
    out += s;
  };
  while (i < text.length) {
    const dollar = text.indexOf("$", i);
    if (dollar < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === "$") {
      out += "$";
      i = dollar + 2;
      continue;
    }
    let varName: string;
    let op = "";
    let arg = "";
    if (next === "{") {
      const close = text.indexOf("}", dollar + 2);
      if (close < 0) return fail(`invalid interpolation format in "${clip(text)}": "\${" is never closed (write $$ for a literal $)`);
      const body = text.slice(dollar + 2, close);
      const m = name.exec(body);
      if (!m) return fail(`invalid interpolation format in "${clip(text)}": "\${${clip(body)}}" does not start with a variable name (write $$ for a literal $)`);
      varName = m[0];
      const rest = body.slice(varName.length);
      op = ([":-", ":?", ":+", "-", "?", "+"] as const).find((o) => rest.startsWith(o)) ?? "";
      if (op === "" && rest !== "") return fail(`invalid interpolation format in "${clip(text)}": unexpected "${clip(rest)}" after ${varName}`);
      arg = rest.slice(op.length);
      i = close + 1;
    } else {
      const m = name.exec(text.slice(dollar + 1, dollar + 1 + 256));
      if (!m) return fail(`invalid interpolation format in "${clip(text)}": a "$" must start a variable like $NAME or \${NAME} (write $$ for a literal $)`);
      varName = m[0];
      i = dollar + 1 + varName.length;
    }
    const value = ctx.vars.get(varName);
    const isSet = value !== undefined;
    const nonEmpty = isSet && value !== "";
    use(ctx, varName, op === ":-" || op === "-", op === ":?" || op === "?");
    if (op === ":?" || op === "?") {
      if (op === ":?" ? !nonEmpty : !isSet) return fail(`variable ${varName} is required${arg ? `: ${arg}` : ` (set it in .env)`}`);
      add(value as string);
    } else if (op === ":-" || op === "-") add((op === ":-" ? nonEmpty : isSet) ? (value as string) : arg);
    else if (op === ":+" || op === "+") add((op === ":+" ? nonEmpty : isSet) ? arg : "");
    else if (isSet) add(value);
    else if (!ctx.warnings.some((w) => w.includes(`"${varName}"`))) {
      const loc = ctx.locs.get(path);
      ctx.warnings.push(`${loc ? `line ${loc.line}, ` : ""}${path}: the "${varName}" variable is not set. Defaulting to a blank string.`);
    }
    if (ctx.budget < 0) return fail(`the substituted values are longer than ${INTERPOLATION_BUDGET / 1024 / 1024} MB in all`);
  }
  return out;
}

/** Keys whose value compose converts back to a number or a boolean after substitution. */
const intKeys = new Set([
  "published", "target", "retries", "replicas", "scale", "pids_limit", "pids", "cpu_shares", "oom_score_adj", "cpu_quota",
  "cpu_period", "mem_swappiness", "soft", "hard", "mode", "priority",
]);
const floatKeys = new Set(["cpus"]);
const boolKeys = new Set([
  "privileged", "read_only", "tty", "stdin_open", "init", "external", "internal", "attachable", "enable_ipv6", "disable",
  "oom_kill_disable", "required", "nocopy", "create_host_path",
]);

function cast(key: string | undefined, v: string): unknown {
  if (key === undefined) return v;
  if (intKeys.has(key) && /^-?\d+$/.test(v)) return Number(v);
  if (floatKeys.has(key) && /^\d+(\.\d+)?$/.test(v)) return Number(v);
  if (boolKeys.has(key) && /^(true|false)$/i.test(v)) return v.toLowerCase() === "true";
  return v;
}

/** Every string value under `value`; numbers and booleans stay as written. */
export function interpolateTree(value: unknown, path: string, ctx: InterpolationContext, key?: string): unknown {
  if (typeof value === "string") {
    const out = interpolateString(value, path, ctx);
    if (out === undefined) return value;
    return out !== value ? cast(key, out) : out;
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolateTree(v, childPath(path, i), ctx));
  if (isRecord(value)) {
    const out: Record<string, unknown> = Object.create(null);
    for (const k of Object.keys(value)) out[k] = interpolateTree(value[k], childPath(path, k), ctx, k);
    return out;
  }
  return value;
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
