/**
 * Resource ownership ("access control", as Portainer names it): who may see
 * and manage one engine object. A row in ResourceControl, keyed by the
 * environment, the object's type and its engine id; containers Berth creates
 * also carry the row's id in a label (ACCESS_LABEL), so the row follows the
 * container through a recreate (a new id, the same labels).
 *
 * An object without a row is for administrators only (and for the roles that
 * see a whole environment: Environment administrator, Operator, Helpdesk).
 *
 * Rows are read once per environment and kept until one changes (a version on
 * globalThis: the pages' bundle and the custom server share it), so filtering a
 * stream's frames is a map lookup, not a query.
 */
import crypto from "node:crypto";
import { z } from "zod";
import { db } from "../db";
import type { ResourceType } from "../api/permissions";
import { BERTH_ACCESS_LABEL } from "../../runtime/protocol/berth-labels";

export const ACCESS_LABEL = BERTH_ACCESS_LABEL;
export const accessLevels = ["admins", "private", "restricted", "public"] as const;
export type AccessLevel = (typeof accessLevels)[number];

export interface Control {
  id: string;
  resourceType: ResourceType;
  resourceId: string;
  access: AccessLevel;
  ownerId: string | null;
  userIds: string[];
  teamIds: string[];
}

/** Who is asking: their id and the teams they belong to. */
export interface Viewer {
  id: string;
  teamIds: ReadonlySet<string>;
}

const idList = z.array(z.string().max(64)).max(1000).catch([]);
function parseIds(text: string): string[] {
  try {
    return idList.parse(JSON.parse(text));
  } catch {
    return [];
  }
}

interface Cache {
  version: number;
  byEnv: Map<string, { version: number; rows: Promise<Map<string, Control>> }>;
  listeners: Set<(env: string) => void>;
}
const g = globalThis as unknown as { __berthControls?: Cache };
const cache: Cache = g.__berthControls ?? (g.__berthControls = { version: 0, byEnv: new Map(), listeners: new Set() });

const key = (type: string, resourceId: string) => `${type}\u0000${resourceId}`;

/** Every control of an environment, by type and resource id, and by the control's own id (for labels). */
async function load(env: string): Promise<Map<string, Control>> {
  const rows = await db.resourceControl.findMany({ where: { environmentId: env } });
  const out = new Map<string, Control>();
  for (const r of rows) {
    const c: Control = {
      id: r.id,
      resourceType: r.resourceType as ResourceType,
      resourceId: r.resourceId,
      access: (accessLevels as readonly string[]).includes(r.access) ? (r.access as AccessLevel) : "admins",
      ownerId: r.ownerId,
      userIds: parseIds(r.userIds),
      teamIds: parseIds(r.teamIds),
    };
    out.set(key(c.resourceType, c.resourceId), c);
    out.set(`id\u0000${c.id}`, c);
  }
  return out;
}

export function controlsOf(env: string): Promise<Map<string, Control>> {
  const have = cache.byEnv.get(env);
  if (have && have.version === cache.version) return have.rows;
  const rows = load(env);
  cache.byEnv.set(env, { version: cache.version, rows });
  rows.catch(() => cache.byEnv.delete(env));
  return rows;
}

/** Called with an environment whose controls changed (streams re-send what they filter). */
export function onControlsChange(listener: (env: string) => void): () => void {
  cache.listeners.add(listener);
  return () => cache.listeners.delete(listener);
}

function changed(env: string) {
  cache.version++;
  for (const l of [...cache.listeners]) {
    try {
      l(env);
    } catch (err) {
      console.error("[authz] a controls listener failed", err);
    }
  }
}

/** The control of one object: by its id, else (a container) by the label Berth gave it. */
export function controlFor(controls: Map<string, Control>, type: ResourceType, resourceId: string, labels?: Record<string, string>): Control | undefined {
  const direct = controls.get(key(type, resourceId));
  if (direct) return direct;
  const labelled = labels?.[ACCESS_LABEL];
  if (!labelled) return undefined;
  const c = controls.get(`id\u0000${labelled}`);
  // A label names a row of this type only; a pasted label cannot borrow another kind's access.
  // A stack's containers carry the stack's row (the deploy sets it, replacing any label in the file).
  return c && (c.resourceType === type || (type === "container" && c.resourceType === "stack")) ? c : undefined;
}

/** Whether a viewer may see an object under this control (the `own` rule of the permission table). */
export function canSee(viewer: Viewer, c: Control | undefined): boolean {
  if (!c) return false;
  switch (c.access) {
    case "public":
      return true;
    case "private":
      return c.ownerId === viewer.id;
    case "restricted":
      return c.ownerId === viewer.id || c.userIds.includes(viewer.id) || c.teamIds.some((t) => viewer.teamIds.has(t));
    default:
      return false;
  }
}

export interface NewControl {
  env: string;
  type: ResourceType;
  resourceId: string;
  access: AccessLevel;
  ownerId?: string | null;
  userIds?: string[];
  teamIds?: string[];
}

/** A fresh control id, to label an object before it exists (then `setControl` with the same id). */
export function newControlId(): string {
  return `rc_${crypto.randomBytes(12).toString("base64url")}`;
}

/** Creates or replaces the control of one object. */
export async function setControl(c: NewControl, id?: string): Promise<Control> {
  const data = {
    access: c.access,
    ownerId: c.ownerId ?? null,
    userIds: JSON.stringify(c.userIds ?? []),
    teamIds: JSON.stringify(c.teamIds ?? []),
  };
  const row = await db.resourceControl.upsert({
    where: { environmentId_resourceType_resourceId: { environmentId: c.env, resourceType: c.type, resourceId: c.resourceId } },
    create: { ...(id ? { id } : {}), environmentId: c.env, resourceType: c.type, resourceId: c.resourceId, ...data },
    update: data,
  });
  changed(c.env);
  return { id: row.id, resourceType: c.type, resourceId: c.resourceId, access: c.access, ownerId: data.ownerId, userIds: c.userIds ?? [], teamIds: c.teamIds ?? [] };
}

/** The object got a new engine id (a recreate): its control follows it. */
export async function moveControl(env: string, type: ResourceType, fromId: string, toId: string): Promise<void> {
  if (fromId === toId) return;
  const moved = await db.resourceControl.updateMany({
    where: { environmentId: env, resourceType: type, resourceId: fromId },
    data: { resourceId: toId },
  });
  if (moved.count) changed(env);
}

/** The object is gone: so is its control. */
export async function dropControl(env: string, type: ResourceType, resourceId: string): Promise<void> {
  const gone = await db.resourceControl.deleteMany({ where: { environmentId: env, resourceType: type, resourceId } });
  if (gone.count) changed(env);
}
