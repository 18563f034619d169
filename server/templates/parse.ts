/**
 * Reads a template list as Portainer writes it (`{"version":"2"|"3","templates":[…]}`),
 * leniently: a list from the internet is someone else's file, so each field is
 * read on its own, what is understood is kept, and every problem is reported
 * with the template's index and the field (`templates[4].ports[1]: …`). A
 * template without a title or without what it runs (an image, a stack file) is
 * left out, with the reason. Pure: no I/O (the stack file's location is resolved
 * by the caller, sources.ts).
 */
import { z } from "zod";
import type { AppTemplate, TemplateEnvVar } from "./types";

export interface ParsedTemplate {
  template: AppTemplate;
  /** Stack templates: Portainer's `repository` (a git repository URL, or a base, and the file in it). */
  repository?: { url: string; stackfile: string };
}

export interface ParsedList {
  version?: string;
  templates: ParsedTemplate[];
  problems: string[];
}

export interface ParseOptions {
  /** `builtin` or `source:<index>`: the prefix of each template's id. */
  idPrefix: string;
  source: AppTemplate["source"];
  sourceName?: string;
}

/** Bounds so a hostile list cannot make the page huge. */
export const MAX_TEMPLATES = 1000;
const short = z.string().max(200);
const text = z.string().max(8000);

const envVarSchema = z.looseObject({
  name: z.string().min(1).max(200),
  label: short.optional(),
  description: text.optional(),
  default: z.union([z.string(), z.number(), z.boolean()]).transform(String).optional(),
  preset: z.boolean().optional(),
  select: z.array(z.looseObject({ text: short, value: z.string().max(64 * 1024), default: z.boolean().optional() })).max(200).optional(),
});
const volumeSchema = z.looseObject({ container: z.string().min(1).max(4096), bind: z.string().max(4096).optional(), readonly: z.boolean().optional() });
const labelSchema = z.looseObject({ name: z.string().min(1).max(1000), value: z.string().max(64 * 1024) });
const portSchema = z.string().max(100).regex(/^(?:(?:\d{1,3}\.){3}\d{1,3}:)?(?:\d{1,5}(?:-\d{1,5})?:)?\d{1,5}(?:-\d{1,5})?(?:\/(?:tcp|udp|sctp))?$/i, "must look like 80/tcp or 8080:80/tcp");
const restartSchema = z.enum(["no", "always", "on-failure", "unless-stopped"]);
const repositorySchema = z.looseObject({ url: z.string().min(1).max(2048), stackfile: z.string().min(1).max(1024) });

/** A URL a browser may load as an image: http(s), or a path on this site. Never `javascript:` or `data:`. */
export function safeLogo(v: string): string | undefined {
  if (v.startsWith("/") && !v.startsWith("//")) return v;
  try {
    const u = new URL(v);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/** Portainer's notes are HTML: shown as text here, so tags go and the common entities are read. */
export function noteText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .trim();
}

function issueText(err: z.ZodError): string {
  const i = err.issues[0]!;
  const at = i.path.length ? `.${i.path.map((p) => (typeof p === "number" ? `[${p}]` : String(p))).join(".").replace(/\.\[/g, "[")}` : "";
  return `${at}: ${i.message}`;
}

/** Reads one list. `raw` is the JSON already parsed; anything not shaped like a list is one problem. */
export function parseTemplateList(raw: unknown, opts: ParseOptions): ParsedList {
  const problems: string[] = [];
  if (Array.isArray(raw)) {
    // Portainer 1.x lists were a bare array: read like v2, with a word about it.
    problems.push("the list is a bare array (Portainer 1.x): read as version 2");
    raw = { version: "2", templates: raw };
  }
  if (!raw || typeof raw !== "object") return { templates: [], problems: ['the list must be an object {"version": "2" or "3", "templates": [...]}'] };
  const obj = raw as { version?: unknown; templates?: unknown };
  const version = typeof obj.version === "string" || typeof obj.version === "number" ? String(obj.version) : undefined;
  if (version !== "2" && version !== "3") problems.push(`version: ${version === undefined ? "is missing" : `"${version}" is not 2 or 3`}: read as version 3`);
  if (!Array.isArray(obj.templates)) return { version, templates: [], problems: [...problems, "templates: must be a list"] };
  const list = obj.templates.slice(0, MAX_TEMPLATES);
  if (obj.templates.length > MAX_TEMPLATES) problems.push(`templates: only the first ${MAX_TEMPLATES} of ${obj.templates.length} are read`);
  const templates: ParsedTemplate[] = [];
  const seen = new Set<string>();
  list.forEach((entry, index) => {
    const r = parseOne(entry, index, version === "2" ? "2" : "3", opts, problems);
    if (!r) return;
    if (seen.has(r.template.id)) {
      problems.push(`templates[${index}].id: ${r.template.id.split(":").pop()} is used twice: left out`);
      return;
    }
    seen.add(r.template.id);
    templates.push(r);
  });
  return { version, templates, problems };
}

function parseOne(entry: unknown, index: number, version: "2" | "3", opts: ParseOptions, problems: string[]): ParsedTemplate | undefined {
  const at = `templates[${index}]`;
  if (!entry || typeof entry !== "object" || Array.isArray(entry)) {
    problems.push(`${at}: must be an object: left out`);
    return undefined;
  }
  const e = entry as Record<string, unknown>;
  /** A field read on its own: a wrong one is reported and dropped, the template stays. */
  const field = <T>(name: string, schema: z.ZodType<T>): T | undefined => {
    if (e[name] === undefined || e[name] === null) return undefined;
    const r = schema.safeParse(e[name]);
    if (r.success) return r.data;
    problems.push(`${at}.${name}${issueText(r.error)}`);
    return undefined;
  };
  /** A list read item by item: a wrong item is reported and dropped, the others stay. */
  const items = <T>(name: string, schema: z.ZodType<T>, max = 200): T[] => {
    const v = e[name];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      problems.push(`${at}.${name}: must be a list`);
      return [];
    }
    const out: T[] = [];
    v.slice(0, max).forEach((item, i) => {
      const r = schema.safeParse(item);
      if (r.success) out.push(r.data);
      else problems.push(`${at}.${name}[${i}]${issueText(r.error)}`);
    });
    return out;
  };

  const rawType = e.type;
  const type = rawType === 1 || rawType === "container" ? "container" : rawType === 2 || rawType === 3 || rawType === "stack" ? "stack" : undefined;
  const title = field("title", z.string().trim().min(1, "is required").max(200));
  if (!type) {
    problems.push(`${at}.type: ${rawType === 4 ? "4 (an edge stack) is not supported" : `${JSON.stringify(rawType) ?? "missing"} is not 1 (container), 2 or 3 (stack)`}: left out`);
    return undefined;
  }
  if (!title) {
    problems.push(`${at}.title: is required: left out`);
    return undefined;
  }
  let id = String(index);
  if (version === "3") {
    const n = field("id", z.union([z.number().int().min(0), z.string().regex(/^\d{1,12}$/)]));
    if (n !== undefined) id = String(n);
  }
  const template: AppTemplate = {
    id: `${opts.idPrefix}:${id}`,
    source: opts.source,
    ...(opts.sourceName ? { sourceName: opts.sourceName } : {}),
    type,
    title,
    description: field("description", text) ?? "",
    categories: items("categories", z.string().min(1).max(50), 20),
    ports: [],
    volumes: [],
    env: items("env", envVarSchema).map(envVar),
    labels: items("labels", labelSchema).map((l) => ({ name: l.name, value: l.value })),
  };
  const note = field("note", text);
  if (note) template.note = noteText(note);
  const logo = field("logo", z.string().max(2048));
  if (logo) {
    const safe = safeLogo(logo);
    if (safe) template.logo = safe;
    else problems.push(`${at}.logo: must be an http(s) URL: left out`);
  }
  const platform = field("platform", short);
  if (platform) template.platform = platform;
  if (field("administrator_only", z.boolean())) template.administratorOnly = true;

  if (type === "container") {
    const image = field("image", z.string().trim().min(1, "is required").max(1024));
    if (!image) {
      problems.push(`${at}.image: is required for a container template: left out`);
      return undefined;
    }
    const registry = field("registry", z.string().max(1024));
    template.image = registry && !image.startsWith(`${registry}/`) ? `${registry.replace(/\/+$/, "")}/${image}` : image;
    template.ports = items("ports", portSchema, 100);
    template.volumes = items("volumes", volumeSchema, 100).map((v) => ({ container: v.container, ...(v.bind ? { bind: v.bind } : {}), ...(v.readonly ? { readonly: true } : {}) }));
    for (const key of ["name", "command", "hostname", "network"] as const) {
      const v = field(key, z.string().max(key === "command" ? 8000 : 255));
      if (v) template[key] = v;
    }
    if (field("privileged", z.boolean())) template.privileged = true;
    if (field("interactive", z.boolean())) template.interactive = true;
    const restart = field("restart_policy", restartSchema);
    if (restart) template.restartPolicy = restart;
    // Berth's own field (Portainer has none, and ignores it).
    const memory = field("memory", z.string().regex(/^\d+(\.\d+)?[bkmg]?$/i, "must be a size like 512m or 1g"));
    if (memory) template.memory = memory;
    return { template };
  }
  const repository = field("repository", repositorySchema);
  if (!repository) {
    problems.push(`${at}.repository: a stack template needs {url, stackfile}: left out`);
    return undefined;
  }
  return { template, repository: { url: repository.url, stackfile: repository.stackfile } };
}

function envVar(v: z.output<typeof envVarSchema>): TemplateEnvVar {
  return {
    name: v.name,
    ...(v.label ? { label: v.label } : {}),
    ...(v.description ? { description: v.description } : {}),
    ...(v.default !== undefined ? { default: v.default } : {}),
    ...(v.preset ? { preset: true } : {}),
    ...(v.select?.length ? { select: v.select.map((s) => ({ text: s.text, value: s.value, ...(s.default ? { default: true } : {}) })) } : {}),
  };
}
