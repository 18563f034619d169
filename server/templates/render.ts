/**
 * A template and the values of its deploy form, rendered into what is deployed:
 * a container template into a RunSpec (the create form's model), a stack
 * template into a compose file and its `.env`, a custom template's `{{ VAR }}`
 * placeholders filled in. Pure: every error is a BerthError naming the field of
 * the form (`env.MYSQL_ROOT_PASSWORD`, `ports[1]`, `name`).
 */
import { parse as shellParse } from "shell-quote";
import { runSpecSchema, volumeNamePattern, type PortSpec, type RunSpec, type VolumeSpec } from "~/runtime/run-spec/schema";
import { parsePortSpec } from "~/runtime/run-spec/syntax-storage";
import { fieldPath } from "~/runtime/protocol/zod-issues";
import { stackNameSchema } from "~/runtime/stacks/protocol";
import { BerthError } from "../errors";
import type { AppTemplate, TemplateValues } from "./types";

export type Rendered = { kind: "container"; spec: RunSpec } | { kind: "stack"; name: string; file: string; env: string };

const bad = (field: string, message: string) => new BerthError("BAD_REQUEST", `${field}: ${message}`, { field });
const envName = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** A value Docker and a `.env` file can carry: no NUL, and (for `.env`) no line break. */
function checkValue(name: string, value: string, oneLine: boolean): void {
  if (value.includes("\0")) throw bad(`env.${name}`, "must not contain a NUL character");
  if (oneLine && /[\r\n]/.test(value)) throw bad(`env.${name}`, "must be one line (a line break would end the .env entry)");
}

/** The value of each of the template's variables: presets fixed, selects checked, defaults filled in. */
export function resolveEnv(template: AppTemplate, given: Record<string, string>, opts: { extra: boolean; oneLine: boolean }): [string, string][] {
  const known = new Map(template.env.map((v) => [v.name, v]));
  for (const name of Object.keys(given)) {
    if (known.has(name)) continue;
    if (!opts.extra) throw bad(`env.${name}`, `the template has no variable ${name}`);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw bad(`env.${name}`, "a variable name: letters, digits and _, not starting with a digit");
  }
  const out: [string, string][] = [];
  for (const v of template.env) {
    let value: string;
    if (v.preset) value = v.default ?? "";
    else if (v.select?.length) {
      const chosen = given[v.name];
      const fallback = (v.select.find((s) => s.default) ?? v.select[0])!.value;
      if (chosen !== undefined && chosen !== "" && !v.select.some((s) => s.value === chosen)) {
        throw bad(`env.${v.name}`, `must be one of ${v.select.map((s) => JSON.stringify(s.value)).join(", ")}`);
      }
      value = chosen || fallback;
    } else value = given[v.name] ?? v.default ?? "";
    checkValue(v.name, value, opts.oneLine);
    out.push([v.name, value]);
  }
  if (opts.extra) {
    for (const [name, value] of Object.entries(given)) {
      if (known.has(name)) continue;
      checkValue(name, value, opts.oneLine);
      out.push([name, value]);
    }
  }
  return out;
}

/** Ports as Portainer writes them (`80/tcp`, `8080:80/tcp`) or as edited (`[hostIp:]hostPort:containerPort[/proto]`). */
export function renderPorts(ports: string[], field = "ports"): PortSpec[] {
  const out: PortSpec[] = [];
  ports.forEach((text, i) => {
    const t = text.trim();
    if (t === "") return;
    const r = parsePortSpec(t);
    if ("error" in r) throw bad(`${field}[${i}]`, r.error);
    if (r.value.hostPortEnd !== undefined || r.value.containerPortEnd !== undefined) throw bad(`${field}[${i}]`, "a range of ports is not supported in a template: publish one port per entry");
    out.push(r.value);
  });
  return out;
}

/** A named volume's name for a template volume without `bind`: `<container name>-<last path segment>`. */
export function volumeName(container: string, target: string): string {
  const last = target.split("/").filter(Boolean).pop() ?? "data";
  const name = `${container}-${last}`.replace(/[^a-zA-Z0-9_.-]/g, "_").slice(0, 200);
  return volumeNamePattern.test(name) ? name : `v${name}`;
}

export function renderVolumes(containerName: string, volumes: { container: string; bind?: string; readonly?: boolean }[]): VolumeSpec[] {
  return volumes.map((v, i) => {
    if (!v.container.startsWith("/")) throw bad(`volumes[${i}].container`, "must be an absolute path in the container");
    if (v.container.includes(":") || v.container.includes("\0")) throw bad(`volumes[${i}].container`, "must not contain : or NUL");
    const bind = v.bind?.trim();
    if (bind) {
      if (!bind.startsWith("/")) throw bad(`volumes[${i}].bind`, "must be an absolute path on the host (or empty for a named volume)");
      if (bind.includes(":") || bind.includes("\0")) throw bad(`volumes[${i}].bind`, "must not contain : or NUL");
    }
    return { source: bind || volumeName(containerName, v.container), target: v.container, ...(v.readonly ? { mode: "ro" as const } : {}) };
  });
}

/** A command as a shell would split it; variables stay as written, operators are refused. */
export function splitCommand(command: string): string[] {
  const words: string[] = [];
  for (const e of shellParse(command, (key: string) => `$${key}`)) {
    if (typeof e === "string") words.push(e);
    else if ("op" in e && e.op === "glob") words.push(e.pattern);
    else if ("comment" in e) break;
    else throw bad("command", `the shell operator "${e.op}" is not supported: the command runs without a shell (wrap it in sh -c)`);
  }
  return words;
}

/** A container template → the RunSpec the create pipeline takes. */
export function renderContainer(template: AppTemplate, values: TemplateValues): RunSpec {
  if (template.type !== "container" || !template.image) throw bad("id", `"${template.title}" is not a container template`);
  const env = resolveEnv(template, values.env, { extra: false, oneLine: false }).filter(([, v]) => v !== "");
  const spec: RunSpec = {
    name: values.name,
    image: template.image,
    restart: (template.restartPolicy ?? "always") as RunSpec["restart"],
  };
  if (env.length) spec.env = env.map(([k, v]) => `${k}=${v}`);
  const ports = renderPorts(values.ports ?? template.ports);
  if (ports.length) spec.ports = ports;
  const volumes = renderVolumes(values.name, values.volumes ?? template.volumes);
  if (volumes.length) spec.volumes = volumes;
  if (template.labels.length) spec.labels = Object.fromEntries(template.labels.map((l) => [l.name, l.value]));
  if (template.privileged) spec.privileged = true;
  if (template.interactive) Object.assign(spec, { interactive: true, tty: true });
  if (template.command) spec.command = splitCommand(template.command);
  if (template.hostname) spec.hostname = template.hostname;
  if (template.network) spec.network = template.network;
  if (template.memory) spec.memory = template.memory;
  const r = runSpecSchema.safeParse(spec);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const field = fieldPath(issue.path) || "spec";
    throw bad(field, issue.message);
  }
  return r.data;
}

/** A `.env` line's value, quoted only when it must be (single quotes: taken literally). */
export function envFileValue(value: string): string {
  if (/^[A-Za-z0-9_./:@%+,=-]*$/.test(value)) return value;
  if (!value.includes("'")) return `'${value}'`;
  // Double quotes read \\ and \" as escapes (python-dotenv's rules, runtime/compose/dotenv.ts); nothing is interpolated.
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

export function envFile(entries: [string, string][]): string {
  return entries.map(([k, v]) => `${k}=${envFileValue(v)}\n`).join("");
}

const placeholderRe = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** The names of a content's `{{ VAR }}` placeholders, in order, once each. */
export function placeholders(content: string): string[] {
  return [...new Set([...content.matchAll(placeholderRe)].map((m) => m[1]!))];
}

/** Fills `{{ VAR }}` in; an unknown or unfilled variable is an error naming it. */
export function substitute(content: string, values: Record<string, string>, field = "env"): string {
  for (const name of placeholders(content)) {
    if (!(name in values)) throw bad(`${field}.${name}`, `{{ ${name} }} is not one of the template's variables`);
    if (values[name] === "") throw bad(`${field}.${name}`, `is required: {{ ${name} }} has no value and no default`);
  }
  return content.replace(placeholderRe, (_m, name: string) => values[name]!);
}

/** A stack template (and its compose file) → the stack to create. */
export function renderStack(template: AppTemplate, values: TemplateValues, file: string): Extract<Rendered, { kind: "stack" }> {
  if (template.type !== "stack") throw bad("id", `"${template.title}" is not a stack template`);
  const name = stackNameSchema.safeParse(values.name);
  if (!name.success) throw bad("name", name.error.issues[0]!.message);
  if (template.source === "custom") {
    // `{{ VAR }}` are the template's variables; other names go to .env for `${VAR}` in the file.
    const vars = new Set((template.variables ?? []).map((v) => v.name));
    const filled = resolveEnv(template, values.env, { extra: true, oneLine: true });
    const subst = Object.fromEntries(filled.filter(([k]) => vars.has(k)));
    return { kind: "stack", name: name.data, file: substitute(file, subst), env: envFile(filled.filter(([k]) => !vars.has(k))) };
  }
  const entries = resolveEnv(template, values.env, { extra: true, oneLine: true });
  for (const [k] of entries) if (!envName.test(k)) throw bad(`env.${k}`, "is not a name a .env file can set");
  return { kind: "stack", name: name.data, file, env: envFile(entries) };
}
