/**
 * Every template Berth shows: the built-in list (public/templates/templates.json),
 * the lists of the template sources setting (read and cached a few minutes; one
 * that fails is shown in the sources' status with its error and never breaks the
 * list), and the custom templates (custom.ts). Also where a stack template's file is.
 */
import path from "node:path";
import { z } from "zod";
import { db } from "../db";
import { BerthError } from "../errors";
import { customTemplates } from "./custom";
import type { CatalogEntry, Viewer } from "./entry";
import { describeLocation, fetchJson, fetchText, locationOf, stackFileLocation, type Location } from "./fetch";
import { parseTemplateList, type ParsedTemplate } from "./parse";
import { templateSourceSchema, type AppTemplate, type TemplateSource, type TemplateSourceStatus } from "./types";

export type { CatalogEntry, Viewer } from "./entry";

export const SOURCES_KEY = "templates.sources";
export const CACHE_MS = 3 * 60_000;
export const FAILURE_CACHE_MS = 30_000;
export const MAX_SOURCES = 20;

export const sourcesInputSchema = z.strictObject({ sources: z.array(templateSourceSchema).max(MAX_SOURCES, `at most ${MAX_SOURCES} sources`) });


/** The built-in list: `BERTH_TEMPLATES_DIR` or ./public/templates from the dashboard's working directory. */
export function builtinListPath(): string {
  return path.resolve(process.env.BERTH_TEMPLATES_DIR ?? path.join(process.cwd(), "public", "templates"), "templates.json");
}

interface Loaded {
  at: number;
  status: TemplateSourceStatus;
  entries: CatalogEntry[];
}
const cache = new Map<string, Loaded>();
const stackFiles = new Map<string, { at: number; text: string }>();
const inflight = new Map<string, Promise<Loaded>>();

/** Forget cached lists and stack files (the sources changed, or a test wants a fresh read). */
export function clearTemplateCache(): void {
  cache.clear();
  stackFiles.clear();
}

/** Reads one list (cached): never throws, a failure is the status's error. */
export function loadList(location: string, opts: { idPrefix: string; source: AppTemplate["source"]; name?: string }): Promise<Loaded> {
  const key = `${opts.idPrefix}|${location}|${opts.name ?? ""}`;
  const hit = cache.get(key);
  // A failure is asked again sooner: the server may be back.
  if (hit && Date.now() - hit.at < (hit.status.ok ? CACHE_MS : FAILURE_CACHE_MS)) return Promise.resolve(hit);
  // Pages opened together share one read.
  let pending = inflight.get(key);
  if (!pending) {
    pending = readList(key, location, opts).finally(() => inflight.delete(key));
    inflight.set(key, pending);
  }
  return pending;
}

async function readList(key: string, location: string, opts: { idPrefix: string; source: AppTemplate["source"]; name?: string }): Promise<Loaded> {
  const status: TemplateSourceStatus = { url: location, ...(opts.name ? { name: opts.name } : {}), ok: false, count: 0 };
  let entries: CatalogEntry[] = [];
  try {
    const where = locationOf(location);
    const json = await fetchJson(where);
    const parsed = parseTemplateList(json, { idPrefix: opts.idPrefix, source: opts.source, ...(opts.source === "source" ? { sourceName: opts.name || location } : {}) });
    entries = parsed.templates.map((p) => withStackFile(where, p));
    Object.assign(status, { ok: true, count: entries.length, ...(parsed.version ? { version: parsed.version } : {}) });
    if (parsed.problems.length) status.problems = parsed.problems.slice(0, 50);
  } catch (err) {
    status.error = err instanceof Error ? err.message : String(err);
  }
  const loaded = { at: Date.now(), status, entries };
  cache.set(key, loaded);
  return loaded;
}

function withStackFile(list: Location, p: ParsedTemplate): CatalogEntry {
  if (p.template.type !== "stack" || !p.repository) return { template: p.template };
  const stackFile = stackFileLocation(list, p.repository);
  const problem = "problem" in stackFile ? stackFile.problem : undefined;
  return { template: { ...p.template, hasStackFile: !problem, ...(problem ? { stackFileProblem: problem } : {}) }, stackFile };
}

export async function readSources(): Promise<TemplateSource[]> {
  const row = await db.setting.findUnique({ where: { key: SOURCES_KEY } });
  if (!row) return [];
  try {
    const r = sourcesInputSchema.shape.sources.safeParse(JSON.parse(row.value));
    return r.success ? r.data : [];
  } catch {
    return [];
  }
}

/** Saves the sources, refusing one that can never be read (naming it as `sources[i].url`). */
export async function writeSources(sources: TemplateSource[]): Promise<void> {
  sources.forEach((s, i) => {
    try {
      locationOf(s.url);
    } catch (err) {
      throw new BerthError("BAD_REQUEST", `sources[${i}].url: ${(err as Error).message}`, { field: `sources.${i}.url` });
    }
  });
  const value = JSON.stringify(sources);
  await db.setting.upsert({ where: { key: SOURCES_KEY }, create: { key: SOURCES_KEY, value }, update: { value } });
  clearTemplateCache();
}

/** The built-in list and every source, each with its status. */
export async function listedSources(): Promise<{ builtin: Loaded; sources: Loaded[] }> {
  const sources = await readSources();
  const [builtin, ...rest] = await Promise.all([
    loadList(builtinListPath(), { idPrefix: "builtin", source: "builtin" }),
    ...sources.map((s, i) => loadList(s.url, { idPrefix: `source:${i}`, source: "source", name: s.name })),
  ]);
  return { builtin: builtin!, sources: rest };
}


/** Every template a person sees (administrator-only ones only to administrators). */
export async function catalog(viewer: Viewer): Promise<{ entries: CatalogEntry[]; sources: TemplateSourceStatus[] }> {
  const { builtin, sources } = await listedSources();
  const custom = await customTemplates(viewer);
  const all = [...builtin.entries, ...sources.flatMap((s) => s.entries), ...custom];
  return {
    entries: all.filter((e) => !e.template.administratorOnly || viewer.admin),
    sources: sources.map((s) => s.status),
  };
}

/** One template by id, or NOT_FOUND naming `id`; an administrator-only one is FORBIDDEN to others. */
export async function findTemplate(viewer: Viewer, id: string): Promise<CatalogEntry> {
  let entry: CatalogEntry | undefined;
  if (id.startsWith("custom:")) {
    entry = (await customTemplates(viewer, id.slice("custom:".length)))[0];
  } else {
    const { builtin, sources } = await listedSources();
    entry = [...builtin.entries, ...sources.flatMap((s) => s.entries)].find((e) => e.template.id === id);
  }
  if (!entry) throw new BerthError("NOT_FOUND", `id: no template "${id}"`, { field: "id" });
  if (entry.template.administratorOnly && !viewer.admin) throw new BerthError("FORBIDDEN", `id: the template "${entry.template.title}" is for administrators only`, { field: "id" });
  return entry;
}

/** A stack template's compose file, or BAD_REQUEST saying why it cannot be read. */
export async function stackFileOf(entry: CatalogEntry): Promise<string> {
  const f = entry.stackFile;
  if (entry.template.type !== "stack" || !f) throw new BerthError("BAD_REQUEST", `id: "${entry.template.title}" is not a stack template`, { field: "id" });
  if ("content" in f) return f.content;
  if ("problem" in f) throw new BerthError("BAD_REQUEST", `id: the stack file of "${entry.template.title}" cannot be read: ${f.problem}`, { field: "id" });
  const key = `stackfile|${describeLocation(f)}`;
  const hit = stackFiles.get(key);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.text;
  try {
    const text = await fetchText(f, { maxBytes: 512 * 1024 });
    stackFiles.set(key, { at: Date.now(), text });
    return text;
  } catch (err) {
    throw new BerthError("BAD_REQUEST", `id: the stack file of "${entry.template.title}" cannot be read: ${(err as Error).message}`, { field: "id" });
  }
}
