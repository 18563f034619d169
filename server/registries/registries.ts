/**
 * The registries Berth knows, as administrators manage them: add, edit,
 * remove, list. The password or access token is sealed under the data
 * directory's key, bound to the row (`registry:<id>`), and never leaves the
 * dashboard: the list says only whether one is saved.
 */
import { open, seal } from "../auth/secret-box";
import { db } from "../db";
import { BerthError } from "../errors";
import { plainChange, type ChangeRunner, type Tx } from "../users/change";
import type { RegistryAuth } from "~/runtime/protocol/registry-auth";
import { DOCKER_HUB, parseRegistryAddress, serverAddress } from "~/runtime/registries/address";

export type RegistryKind = "dockerhub" | "custom";

export interface RegistryRow {
  id: string;
  name: string;
  kind: RegistryKind;
  url: string;
  username: string | null;
  insecure: boolean;
  /** Whether a password or token is saved (never the value). */
  hasSecret: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface RegistryInput {
  name: string;
  kind: RegistryKind;
  /** host[:port]; ignored for Docker Hub. */
  url?: string;
  username?: string;
  /** Create: the secret, if any. Update: undefined keeps the saved one. */
  password?: string;
  /** Update: forget the saved secret. */
  clearPassword?: boolean;
  insecure?: boolean;
}

/** Never the sealed secret: the columns are chosen one by one. */
const listed = { id: true, name: true, kind: true, url: true, username: true, insecure: true, secret: true, createdAt: true, updatedAt: true } as const;

function shown(r: { id: string; name: string; kind: string; url: string; username: string | null; insecure: boolean; secret: string | null; createdAt: Date; updatedAt: Date }): RegistryRow {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind === "dockerhub" ? "dockerhub" : "custom",
    url: r.url,
    username: r.username,
    insecure: r.insecure,
    hasSecret: !!r.secret,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

export const purpose = (id: string) => `registry:${id}`;

export async function listRegistries(): Promise<RegistryRow[]> {
  return (await db.registry.findMany({ select: listed, orderBy: { name: "asc" } })).map(shown);
}

function notFound(id: string): BerthError {
  return new BerthError("NOT_FOUND", `id: no registry with id "${id.slice(0, 64)}"`, { field: "id" });
}

/** Kind, address and flags as stored: Docker Hub is always "docker.io" over HTTPS. */
function normalise(input: RegistryInput): { kind: RegistryKind; url: string; insecure: boolean } {
  if (input.kind === "dockerhub") return { kind: "dockerhub", url: DOCKER_HUB, insecure: false };
  const r = parseRegistryAddress(input.url ?? "");
  if (!r.ok) throw new BerthError("BAD_REQUEST", `url: ${r.error}`, { field: "url" });
  if (r.host === DOCKER_HUB) return { kind: "dockerhub", url: DOCKER_HUB, insecure: false };
  // `http://host` says plain HTTP as clearly as the checkbox does.
  return { kind: "custom", url: r.host, insecure: input.insecure === true || r.scheme === "http" };
}

async function checkFree(field: "name" | "url", value: string, except?: string): Promise<void> {
  const other = await db.registry.findFirst({ where: { [field]: value, ...(except ? { id: { not: except } } : {}) }, select: { name: true } });
  if (!other) return;
  const message = field === "name" ? `name: a registry named "${value}" already exists` : `url: ${value} is already registered (as "${other.name}")`;
  throw new BerthError("CONFLICT", message, { field });
}

export async function createRegistry(input: RegistryInput, run: ChangeRunner = plainChange): Promise<RegistryRow> {
  const n = normalise(input);
  await checkFree("name", input.name);
  await checkFree("url", n.url);
  const username = input.username || null;
  if (input.password && !username) throw new BerthError("BAD_REQUEST", "username: give the user name the password belongs to", { field: "username" });
  return run({ type: "registry", name: input.name }, async (tx) => {
    const row = await tx.registry.create({ data: { name: input.name, kind: n.kind, url: n.url, username, insecure: n.insecure }, select: { id: true } });
    const secret = input.password ? seal(input.password, purpose(row.id)) : null;
    return shown(await tx.registry.update({ where: { id: row.id }, data: { secret }, select: listed }));
  });
}

export async function updateRegistry(id: string, input: RegistryInput, run: ChangeRunner = plainChange): Promise<RegistryRow> {
  const before = await db.registry.findUnique({ where: { id }, select: { id: true, name: true, secret: true } });
  if (!before) throw notFound(id);
  const n = normalise(input);
  await checkFree("name", input.name, id);
  await checkFree("url", n.url, id);
  const username = input.username || null;
  const secret = input.clearPassword ? null : input.password ? seal(input.password, purpose(id)) : before.secret;
  if (secret && !username) throw new BerthError("BAD_REQUEST", "username: give the user name the password belongs to", { field: "username" });
  return run({ type: "registry", id, name: input.name }, async (tx: Tx) =>
    shown(await tx.registry.update({ where: { id }, data: { name: input.name, kind: n.kind, url: n.url, username, insecure: n.insecure, secret }, select: listed })),
  );
}

export async function removeRegistry(id: string, run: ChangeRunner = plainChange): Promise<{ id: string; name: string }> {
  const before = await db.registry.findUnique({ where: { id }, select: { id: true, name: true } });
  if (!before) throw notFound(id);
  return run({ type: "registry", id, name: before.name }, async (tx) => {
    await tx.registry.delete({ where: { id } });
    return before;
  });
}

/** Where a registry is and its decrypted credentials, for one runtime call (never for the browser). */
export interface RegistryEndpoint {
  id: string;
  name: string;
  url: string;
  insecure: boolean;
  auth?: RegistryAuth;
}

function credentials(row: { id: string; url: string; username: string | null; secret: string | null }): RegistryAuth | undefined {
  if (!row.username || !row.secret) return undefined;
  const password = open(row.secret, purpose(row.id));
  if (password === null) {
    throw new BerthError("INTERNAL", `the saved password of registry ${row.url} cannot be decrypted (the data directory's key changed?): enter it again`);
  }
  return { username: row.username, password, serveraddress: serverAddress(row.url) };
}

export async function registryEndpoint(id: string): Promise<RegistryEndpoint> {
  const row = await db.registry.findUnique({ where: { id }, select: { id: true, name: true, url: true, insecure: true, username: true, secret: true } });
  if (!row) throw notFound(id);
  const auth = credentials(row);
  return { id: row.id, name: row.name, url: row.url, insecure: row.insecure, ...(auth ? { auth } : {}) };
}

/** The credentials for registry address `url` (host[:port] or "docker.io"), if Berth holds any. */
export async function credentialsForAddress(url: string): Promise<RegistryAuth | undefined> {
  const row = await db.registry.findUnique({ where: { url }, select: { id: true, url: true, username: true, secret: true } });
  return row ? credentials(row) : undefined;
}

/**
 * Every saved registry's credentials, for a build (its FROM lines may name any
 * of them): Docker's X-Registry-Config shape, by server address. A registry
 * whose secret no longer opens is left out rather than failing the build.
 */
export async function allCredentials(): Promise<Record<string, { username: string; password: string; serveraddress: string }>> {
  const rows = await db.registry.findMany({ where: { username: { not: null }, secret: { not: null } }, select: { id: true, url: true, username: true, secret: true } });
  const out: Record<string, { username: string; password: string; serveraddress: string }> = {};
  for (const row of rows) {
    try {
      const auth = credentials(row);
      if (auth) out[auth.serveraddress] = auth;
    } catch {
      // the build goes on without this registry's login; a pull from it says so
    }
  }
  return out;
}
