/**
 * The authorisation matrix: every tRPC procedure (enumerated from the router,
 * so a new one is covered without editing this file) and every WebSocket
 * channel, called as each of the six roles on an object the caller owns, one
 * someone else owns (Private), and a Public one, against a real SQLite
 * database. The expectation comes from the permission table alone
 * (server/api/permissions.ts): a call the table denies must be refused by the
 * authorisation layer (AccessDenied), one it allows must get past it (it may
 * still fail later, e.g. on its input or the missing engine: not an access question).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import type { z } from "zod";
import { useMigratedDatabase } from "../support/migrated-db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonSchemaOf, validArb } from "../support/fuzz-schema";
import type { Permission, Role } from "../../server/api/permissions";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "berth-matrix-"));
const file = path.join(dir, "berth.db");

type Mods = {
  db: typeof import("../../server/db").db;
  perms: typeof import("../../server/api/permissions");
  trpc: typeof import("../../server/api/trpc");
  router: typeof import("../../server/api/routers/index");
  authorize: typeof import("../../server/authz/authorize");
  channelAccess: typeof import("../../server/authz/request-access");
  channels: typeof import("../../server/realtime/channels/index");
};
let m: Mods;

const ROLES: Role[] = ["admin", "env-admin", "operator", "helpdesk", "standard", "readonly"];
const OWNERSHIP = ["owned", "not owned", "public"] as const;
type Ownership = (typeof OWNERSHIP)[number];

// 63 characters: one id names a container, a volume, a network and a stack (a compose project name is at most 63).
const hex = (seed: string) => Buffer.from(seed.padEnd(32, "0")).toString("hex").slice(0, 63);
const OTHER_OWNED = hex("someone-elses");
const PUBLIC = hex("public-container");
const ownedBy = (role: Role) => hex(`owned-${role}`);
const OWNED_TYPES = ["container", "volume", "network", "stack"] as const;
const users = new Map<Role, { id: string; username: string; role: string }>();
let otherId = "";
let teamId = "";

beforeAll(async () => {
  useMigratedDatabase(file, { wal: true });
  process.env.BERTH_DATA_DIR = dir;
  m = {
    db: (await import("../../server/db")).db,
    perms: await import("../../server/api/permissions"),
    trpc: await import("../../server/api/trpc"),
    router: await import("../../server/api/routers/index"),
    authorize: await import("../../server/authz/authorize"),
    channelAccess: await import("../../server/authz/request-access"),
    channels: await import("../../server/realtime/channels/index"),
  };
  const { db } = m;
  // The console, file-browsing and stack switches on: the matrix checks the permission table; the switches have their own tests.
  await db.environment.create({ data: { id: "local", name: "local", security: SWITCHES_ON } });
  const other = await db.user.create({ data: { username: "someone", passwordHash: "x", role: "user" } });
  otherId = other.id;
  const team = await db.team.create({ data: { name: "matrix-team" } });
  teamId = team.id;
  for (const role of ROLES) {
    const u = await db.user.create({ data: { username: `u-${role}`, passwordHash: "x", role: role === "admin" ? "admin" : "user" } });
    users.set(role, { id: u.id, username: u.username, role: u.role });
    if (role !== "admin") await db.roleGrant.create({ data: { environmentId: "local", userId: u.id, role } });
    // Every one is a member of the team and leads none: `team.members` is the "not owned" case for them.
    await db.teamMembership.create({ data: { teamId, userId: u.id, leader: false } });
    // Volumes (keyed by name), networks (by id) and stacks (by name) have owners too: the same ids stand for them.
    for (const resourceType of OWNED_TYPES) {
      await db.resourceControl.create({ data: { environmentId: "local", resourceType, resourceId: ownedBy(role), access: "private", ownerId: u.id } });
    }
  }
  for (const resourceType of OWNED_TYPES) {
    await db.resourceControl.create({ data: { environmentId: "local", resourceType, resourceId: OTHER_OWNED, access: "private", ownerId: otherId } });
    await db.resourceControl.create({ data: { environmentId: "local", resourceType, resourceId: PUBLIC, access: "public" } });
  }
});

afterAll(async () => {
  await m?.db.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

const SWITCHES_ON = JSON.stringify({ allowConsole: true, allowVolumeBrowsing: true, allowStackDeployment: true });

async function switchesOn() {
  await m.db.environment.update({ where: { id: "local" }, data: { security: SWITCHES_ON } });
}

/** What the permission table says, read independently of the authorisation code. */
function expected(role: Role, permission: Permission, ownership: Ownership, namesObject: boolean): boolean {
  const rule = m.perms.permissionTable[permission].rule as import("../../server/api/permissions").Rule;
  if (rule.scope === "public" || rule.scope === "self") return true;
  if (role === "admin") return true;
  if (rule.scope === "admin") return false;
  if (rule.scope === "team-leader") return false; // members, never leaders, in this matrix
  if (rule.all.includes(role as never)) return true;
  if (!rule.own?.includes(role as never)) return false;
  // `own`: allowed on objects the user may see; a call that names none (a list) is allowed and filtered.
  if (!rule.resource || !namesObject) return true;
  return ownership !== "not owned";
}

function objectFor(role: Role, ownership: Ownership): string {
  return ownership === "owned" ? ownedBy(role) : ownership === "not owned" ? OTHER_OWNED : PUBLIC;
}

interface ProcDef {
  _def: { type: string; meta?: { permission?: Permission }; inputs?: unknown[] };
}

/** The fields of a procedure's input that name objects (`id`, `ids`, `container`). */
function objectFields(proc: ProcDef): string[] {
  const props = (proc._def.inputs ?? []).flatMap((i) => Object.keys(jsonSchemaOf(i as z.ZodType).properties ?? {}));
  return ["id", "ids", "container"].filter((k) => props.includes(k));
}

/**
 * An input the procedure accepts, naming `object` in its object fields and
 * `local` as its environment: so what answers is the access check, not the
 * input's validation. Drawn from its own schema (several tries for refinements).
 */
function inputFor(proc: ProcDef, object: string): unknown {
  const parsers = (proc._def.inputs ?? []) as z.ZodType[];
  const fields = objectFields(proc);
  const named = (v: unknown) => {
    const o = { ...(v && typeof v === "object" ? v : {}) } as Record<string, unknown>;
    if ("env" in o || parsers.length) o.env = "local";
    if (fields.includes("id")) o.id = object;
    else if (fields.includes("ids")) o.ids = [object];
    if (fields.includes("container")) o.container = object;
    if ("teamId" in o) o.teamId = teamId;
    if ("type" in o && fields.length) o.type = "container";
    delete o.project;
    return o;
  };
  if (!parsers.length) return undefined;
  const schema = jsonSchemaOf(parsers[0]!);
  const required = new Set(schema.required ?? []);
  const samples = fc.sample(validArb(schema), { numRuns: 40, seed: 11 });
  // Required fields only first: optional ones drawn at random often trip a refinement.
  const minimal = samples.map((v) => Object.fromEntries(Object.entries((v ?? {}) as object).filter(([k]) => required.has(k))));
  for (const v of [...minimal, ...samples]) {
    const candidate = named(v);
    if (parsers.every((p) => p.safeParse(candidate).success)) return candidate;
  }
  return named(samples[0]);
}

async function outcome(call: () => Promise<unknown>): Promise<"allowed" | "denied"> {
  try {
    await call();
    return "allowed";
  } catch (err) {
    let e: unknown = err;
    for (let depth = 0; e && depth < 5; depth++) {
      if (e instanceof m.authorize.AccessDenied) return "denied";
      e = (e as { cause?: unknown }).cause;
    }
    return "allowed";
  }
}

describe("the authorisation matrix", () => {
  it("covers every procedure and channel × 6 roles × owned / not owned / public", { timeout: 120_000 }, async () => {
    const procedures = Object.entries(m.router.appRouter._def.procedures as unknown as Record<string, ProcDef>);
    const undeclared = procedures.filter(([, p]) => !p._def.meta?.permission || !(p._def.meta.permission in m.perms.permissionTable)).map(([k]) => k);
    expect(undeclared, "procedures without a declared permission").toEqual([]);
    expect(procedures.length).toBeGreaterThan(60);

    const failures: string[] = [];
    const timing = new Map<string, number>();
    let cases = 0;
    const tally = { allowed: 0, denied: 0 };
    for (const role of ROLES) {
      const user = users.get(role)!;
      const caller = m.trpc.createCallerFactory(m.router.appRouter)({ user: { ...user, sid: undefined }, sourceIp: "127.0.0.1", audit: {} } as never);
      for (const ownership of OWNERSHIP) {
        const object = objectFor(role, ownership);
        for (const [name, proc] of procedures) {
          const permission = proc._def.meta!.permission!;
          const input = inputFor(proc, object);
          const fn = name.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], caller) as (i: unknown) => Promise<unknown>;
          const t0 = performance.now();
          const got = await outcome(() => fn(input));
          // A security change drawn at random may turn the switches off: the matrix checks the table with them on.
          if (permission === "environment.security.manage") await switchesOn();
          timing.set(name, (timing.get(name) ?? 0) + performance.now() - t0);
          const want = expected(role, permission, ownership, objectFields(proc).length > 0) ? "allowed" : "denied";
          cases++;
          tally[got]++;
          if (got !== want) failures.push(`${name} (${permission}) as ${role}, ${ownership}: ${got}, table says ${want}`);
        }
        for (const channel of m.channels.channels) {
          const got = await outcome(() =>
            m.channelAccess.authorizeChannel({ ...user, sid: undefined } as never, channel.permission, { env: "local", ids: [object] }, "127.0.0.1"),
          );
          const want = expected(role, channel.permission, ownership, true) ? "allowed" : "denied";
          cases++;
          tally[got]++;
          if (got !== want) failures.push(`channel ${channel.name} (${channel.permission}) as ${role}, ${ownership}: ${got}, table says ${want}`);
        }
      }
    }
    console.log(
      `authorisation matrix: ${cases} cases (${procedures.length} procedures + ${m.channels.channels.length} channels) × ${ROLES.length} roles × ${OWNERSHIP.length} ownerships: ${tally.allowed} allowed, ${tally.denied} denied`,
    );
    if (process.env.MATRIX_TIMING) console.log([...timing].sort((a, b) => b[1] - a[1]).slice(0, 12));
    expect(failures).toEqual([]);
    // Both answers occur for every role but the administrator: the matrix is not all one way.
    expect(tally.denied).toBeGreaterThan(100);
  });

  it("a team's grant counts for its members, and the strongest grant wins", async () => {
    const { db } = m;
    const member = await db.user.create({ data: { username: "team-member", passwordHash: "x", role: "user" } });
    const t = await db.team.create({ data: { name: "operators" } });
    await db.teamMembership.create({ data: { teamId: t.id, userId: member.id } });
    const subject = { id: member.id, username: member.username, role: "user" };
    await expect(m.authorize.authorize(subject, "container.start", { env: "local", ids: [PUBLIC] })).rejects.toThrow(/no role/);
    await db.roleGrant.create({ data: { environmentId: "local", teamId: t.id, role: "operator" } });
    await expect(m.authorize.authorize(subject, "container.start", { env: "local", ids: [OTHER_OWNED] })).resolves.toMatchObject({ scope: "all" });
    await db.roleGrant.create({ data: { environmentId: "local", userId: member.id, role: "readonly" } });
    // Operator (team) beats Read-only (own grant).
    await expect(m.authorize.authorize(subject, "container.start", { env: "local", ids: [OTHER_OWNED] })).resolves.toMatchObject({ role: "operator" });
  });

  it("a team leader manages that team's members, and no other team's", async () => {
    const { db } = m;
    const lead = await db.user.create({ data: { username: "leader", passwordHash: "x", role: "user" } });
    const mine = await db.team.create({ data: { name: "led" } });
    await db.teamMembership.create({ data: { teamId: mine.id, userId: lead.id, leader: true } });
    const subject = { id: lead.id, username: lead.username, role: "user" };
    await expect(m.authorize.authorize(subject, "team.members", { teamId: mine.id })).resolves.toBeTruthy();
    await expect(m.authorize.authorize(subject, "team.members", { teamId })).rejects.toThrow(/leaders/);
    await expect(m.authorize.authorize(subject, "team.manage", { teamId: mine.id })).rejects.toThrow(/Administrators only/);
  });

  it("Restricted: a user of a chosen team sees the object, another team's member does not", async () => {
    const { db } = m;
    const a = await db.team.create({ data: { name: "team-a" } });
    const b = await db.team.create({ data: { name: "team-b" } });
    const ua = await db.user.create({ data: { username: "in-a", passwordHash: "x", role: "user" } });
    const ub = await db.user.create({ data: { username: "in-b", passwordHash: "x", role: "user" } });
    for (const [u, t] of [[ua, a], [ub, b]] as const) {
      await db.teamMembership.create({ data: { teamId: t.id, userId: u.id } });
      await db.roleGrant.create({ data: { environmentId: "local", userId: u.id, role: "standard" } });
    }
    const restricted = hex("restricted-to-a");
    const { setControl } = await import("../../server/authz/ownership");
    await setControl({ env: "local", type: "container", resourceId: restricted, access: "restricted", ownerId: otherId, teamIds: [a.id] });
    await expect(m.authorize.authorize({ ...ua, role: "user" }, "container.inspect", { env: "local", ids: [restricted] })).resolves.toBeTruthy();
    await expect(m.authorize.authorize({ ...ub, role: "user" }, "container.inspect", { env: "local", ids: [restricted] })).rejects.toThrow(/Access denied/);
    // A list is allowed and filtered: the restricted one is in A's view, not in B's.
    const seesA = await m.authorize.authorize({ ...ua, role: "user" }, "container.list", { env: "local" });
    const seesB = await m.authorize.authorize({ ...ub, role: "user" }, "container.list", { env: "local" });
    expect([seesA.sees("container", restricted), seesB.sees("container", restricted)]).toEqual([true, false]);
  });

  it("with the environment's console switch off, only administrators open a console", async () => {
    const { db } = m;
    await db.environment.create({ data: { id: "strict", name: "strict" } });
    const op = users.get("operator")!;
    await db.roleGrant.create({ data: { environmentId: "strict", userId: op.id, role: "operator" } });
    const envAdmin = users.get("env-admin")!;
    await db.roleGrant.create({ data: { environmentId: "strict", userId: envAdmin.id, role: "env-admin" } });
    await expect(m.authorize.authorize(op, "container.exec", { env: "strict", ids: [PUBLIC] })).rejects.toThrow(/console is not allowed.*Allow the console/);
    await expect(m.authorize.authorize(op, "container.start", { env: "strict", ids: [PUBLIC] })).resolves.toBeTruthy();
    await expect(m.authorize.authorize(envAdmin, "container.exec", { env: "strict", ids: [PUBLIC] })).resolves.toBeTruthy();
  });

  it("every denial is in the audit history as denied", async () => {
    const before = await m.db.auditEntry.count({ where: { outcome: "denied" } });
    expect(before).toBeGreaterThan(100);
  });
});
