/**
 * Custom templates (the CustomTemplate table): a compose file with `{{ VAR }}`
 * placeholders and their definitions, written by a person or saved from a
 * stack. Changed or removed only by its owner, Environment administrators and
 * Administrators.
 */
import { db } from "../db";
import { BerthError } from "../errors";
import type { CatalogEntry, Viewer } from "./entry";
import { safeLogo } from "./parse";
import { placeholders } from "./render";
import type { AppTemplate, CustomTemplateInput } from "./types";

type Row = Awaited<ReturnType<typeof db.customTemplate.findMany>>[number];
type Variable = NonNullable<AppTemplate["variables"]>[number];

function jsonList<T>(text: string): T[] {
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? (v as T[]) : [];
  } catch {
    return [];
  }
}

function mayChange(viewer: Viewer, ownerId: string | null): boolean {
  return viewer.admin || viewer.envAdmin || (ownerId !== null && ownerId === viewer.userId);
}

function toEntry(row: Row, viewer: Viewer, owners: Map<string, string>): CatalogEntry {
  const variables = jsonList<Variable>(row.variables);
  const logo = row.logo ? safeLogo(row.logo) : undefined;
  const template: AppTemplate = {
    id: `custom:${row.id}`,
    source: "custom",
    ...(row.ownerId && owners.has(row.ownerId) ? { sourceName: owners.get(row.ownerId) } : {}),
    type: "stack",
    title: row.title,
    description: row.description,
    ...(row.note ? { note: row.note } : {}),
    categories: jsonList<string>(row.categories).filter((c) => typeof c === "string"),
    ...(logo ? { logo } : {}),
    ports: [],
    volumes: [],
    // The deploy form shows the variables like a template's env.
    env: variables.map((v) => ({ name: v.name, ...(v.label ? { label: v.label } : {}), ...(v.description ? { description: v.description } : {}), default: v.defaultValue })),
    labels: [],
    hasStackFile: true,
    ownerId: row.ownerId,
    editable: mayChange(viewer, row.ownerId),
    variables,
  };
  return { template, stackFile: { content: row.content } };
}

/** All custom templates, or the one with `id` (an empty list when there is none). */
export async function customTemplates(viewer: Viewer, id?: string): Promise<CatalogEntry[]> {
  const rows = await db.customTemplate.findMany({ where: id === undefined ? {} : { id }, orderBy: { title: "asc" }, take: 1000 });
  const ownerIds = [...new Set(rows.map((r) => r.ownerId).filter((o): o is string => !!o))];
  const owners = new Map((await db.user.findMany({ where: { id: { in: ownerIds } }, select: { id: true, username: true } })).map((u) => [u.id, u.username]));
  return rows.map((r) => toEntry(r, viewer, owners));
}

/** Every `{{ VAR }}` of the content is declared, and no variable is declared twice. */
function checkInput(input: CustomTemplateInput): void {
  const declared = new Set<string>();
  input.variables.forEach((v, i) => {
    if (declared.has(v.name)) throw new BerthError("BAD_REQUEST", `variables[${i}].name: "${v.name}" is declared twice`, { field: `variables.${i}.name` });
    declared.add(v.name);
  });
  const unknown = placeholders(input.content).find((n) => !declared.has(n));
  if (unknown) throw new BerthError("BAD_REQUEST", `content: {{ ${unknown} }} is not one of the template's variables: declare it`, { field: "content" });
  if (input.logo && !safeLogo(input.logo)) throw new BerthError("BAD_REQUEST", "logo: must be an http(s) URL", { field: "logo" });
}

function columns(input: CustomTemplateInput) {
  return {
    title: input.title,
    description: input.description,
    note: input.note,
    logo: input.logo,
    categories: JSON.stringify(input.categories),
    type: "stack",
    content: input.content,
    variables: JSON.stringify(input.variables),
  };
}

/** Custom templates one user may keep, and all users together: each may be 512 KB, so the table is bounded. */
export const MAX_CUSTOM_PER_OWNER = 100;
export const MAX_CUSTOM_TEMPLATES = 1000;

export async function createCustom(viewer: Viewer, input: CustomTemplateInput): Promise<AppTemplate> {
  checkInput(input);
  const [mine, all] = await Promise.all([db.customTemplate.count({ where: { ownerId: viewer.userId } }), db.customTemplate.count()]);
  if (mine >= MAX_CUSTOM_PER_OWNER) throw new BerthError("BAD_REQUEST", `custom templates: you have ${mine}, the most one user may keep; delete one first`);
  if (all >= MAX_CUSTOM_TEMPLATES) throw new BerthError("BAD_REQUEST", `custom templates: Berth holds ${all}, the most it keeps; delete one first`);
  const row = await db.customTemplate.create({ data: { ...columns(input), ownerId: viewer.userId } });
  return (await customTemplates(viewer, row.id))[0]!.template;
}

async function changeable(viewer: Viewer, id: string): Promise<Row> {
  const row = await db.customTemplate.findUnique({ where: { id } });
  if (!row) throw new BerthError("NOT_FOUND", `id: no custom template "${id}"`, { field: "id" });
  if (!mayChange(viewer, row.ownerId)) {
    throw new BerthError("FORBIDDEN", `id: only its owner, Environment administrators and Administrators may change the custom template "${row.title}"`, { field: "id" });
  }
  return row;
}

/** `custom:<row id>` or the row id alone. */
export function customRowId(id: string): string {
  return id.startsWith("custom:") ? id.slice("custom:".length) : id;
}

export async function updateCustom(viewer: Viewer, id: string, input: CustomTemplateInput): Promise<AppTemplate> {
  const row = await changeable(viewer, customRowId(id));
  checkInput(input);
  await db.customTemplate.update({ where: { id: row.id }, data: columns(input) });
  return (await customTemplates(viewer, row.id))[0]!.template;
}

export async function removeCustom(viewer: Viewer, id: string): Promise<{ id: string; title: string }> {
  const row = await changeable(viewer, customRowId(id));
  await db.customTemplate.delete({ where: { id: row.id } });
  return { id: `custom:${row.id}`, title: row.title };
}
