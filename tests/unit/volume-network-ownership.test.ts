/**
 * Volumes and networks under `own` access: createOwned keyed by name (volumes) or
 * id (networks), Private by default for a Standard user; the events a user sees (their
 * volumes by name, their networks by id; others' hidden), and how a network
 * named by name or id prefix is resolved to the id its ownership is keyed by.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useMigratedDatabase } from "../support/migrated-db";
import type { Control } from "../../server/authz/ownership";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "berth-vn-own-"));
let m: {
  db: typeof import("../../server/db").db;
  authorize: typeof import("../../server/authz/authorize");
  ownership: typeof import("../../server/authz/ownership");
  owned: typeof import("../../server/authz/container-ownership");
  refs: typeof import("../../server/authz/network-refs");
  filters: typeof import("../../server/authz/stream-filters");
};

beforeAll(async () => {
  useMigratedDatabase(path.join(dir, "berth.db"));
  process.env.BERTH_DATA_DIR = dir;
  m = {
    db: (await import("../../server/db")).db,
    authorize: await import("../../server/authz/authorize"),
    ownership: await import("../../server/authz/ownership"),
    owned: await import("../../server/authz/container-ownership"),
    refs: await import("../../server/authz/network-refs"),
    filters: await import("../../server/authz/stream-filters"),
  };
  await m.db.environment.create({ data: { id: "local", name: "local" } });
  for (const id of ["u1", "u2"]) await m.db.user.create({ data: { id, username: id, passwordHash: "x", role: "user" } });
});

afterAll(async () => {
  await m?.db.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

const NET_MINE = "a".repeat(64);
const NET_OTHER = "b".repeat(64);

function controls(rows: Omit<Control, "userIds" | "teamIds">[]): Map<string, Control> {
  const m = new Map<string, Control>();
  for (const r of rows) {
    const c = { ...r, userIds: [], teamIds: [] };
    m.set(`${c.resourceType}\u0000${c.resourceId}`, c);
    m.set(`id\u0000${c.id}`, c);
  }
  return m;
}

const access = () => m.authorize.ownAccess(
  "standard",
  { id: "u1", teamIds: new Set() },
  controls([
    { id: "rc_1", resourceType: "volume", resourceId: "mine", access: "private", ownerId: "u1" },
    { id: "rc_2", resourceType: "volume", resourceId: "theirs", access: "private", ownerId: "u2" },
    { id: "rc_3", resourceType: "network", resourceId: NET_MINE, access: "private", ownerId: "u1" },
    { id: "rc_4", resourceType: "network", resourceId: NET_OTHER, access: "public", ownerId: "u2" },
  ]),
);

describe("events of volumes and networks under own access", () => {
  it("shows the user's volumes' events (Docker names a volume by its name), hides others'", () => {
    expect(m.filters.eventVisible(access(), { type: "volume", id: "mine", attributes: { driver: "local" } })).toBe(true);
    expect(m.filters.eventVisible(access(), { type: "volume", id: "theirs", attributes: { driver: "local" } })).toBe(false);
    expect(m.filters.eventVisible(access(), { type: "volume", id: "nobodys", attributes: {} })).toBe(false);
  });
  it("shows networks' events by id: own and public ones", () => {
    expect(m.filters.eventVisible(access(), { type: "network", id: NET_MINE, attributes: { name: "n1", type: "bridge" } })).toBe(true);
    expect(m.filters.eventVisible(access(), { type: "network", id: NET_OTHER, attributes: { name: "n2" } })).toBe(true);
    expect(m.filters.eventVisible(access(), { type: "network", id: "c".repeat(64), attributes: { name: "bridge" } })).toBe(false);
  });
  it("a volume's row is not a network's of the same key, nor a container's through its label", () => {
    expect(access().sees("network", "mine")).toBe(false);
    expect(access().sees("container", "x", { "io.berth.access": "rc_1" })).toBe(false);
  });
});

describe("resolveNetworkRef", () => {
  const nets = [
    { id: NET_MINE, name: "web" },
    { id: NET_OTHER, name: "db" },
    { id: `ab${"0".repeat(62)}`, name: "aa" },
  ];
  it("resolves a name, a full id and a unique prefix the way Docker does", () => {
    expect(m.refs.resolveNetworkRef("web", nets)).toBe(NET_MINE);
    expect(m.refs.resolveNetworkRef(NET_OTHER, nets)).toBe(NET_OTHER);
    expect(m.refs.resolveNetworkRef("bbbb", nets)).toBe(NET_OTHER);
    // A name wins over a prefix; an ambiguous prefix resolves to nothing.
    expect(m.refs.resolveNetworkRef("aa", nets)).toBe(`ab${"0".repeat(62)}`);
    expect(m.refs.resolveNetworkRef("a", nets)).toBe("a");
    expect(m.refs.resolveNetworkRef("nope", nets)).toBe("nope");
  });
});

describe("createOwned for volumes and networks", () => {
  const rowOf = (type: string, id: string) => m.db.resourceControl.findUnique({ where: { environmentId_resourceType_resourceId: { environmentId: "local", resourceType: type, resourceId: id } } });

  it("a Standard user's new volume is Private to them, keyed by its name; remove drops it", async () => {
    const r = await m.owned.createOwned({ env: "local", type: "volume", userId: "u1", role: "standard", create: async () => ({ id: "data" }) });
    expect(r.id).toBe("data");
    expect(await rowOf("volume", "data")).toMatchObject({ access: "private", ownerId: "u1" });
    expect(await m.db.resourceControl.count({ where: { resourceId: { startsWith: "pending:" } } })).toBe(0);
    await m.ownership.dropControl("local", "volume", "data");
    expect(await rowOf("volume", "data")).toBeNull();
  });

  it("a stale row of a name reused outside Berth is replaced, not inherited; a failed create leaves no row", async () => {
    await m.ownership.setControl({ env: "local", type: "volume", resourceId: "reused", access: "public", ownerId: "u2" });
    await m.owned.createOwned({ env: "local", type: "volume", userId: "u1", role: "standard", create: async () => ({ id: "reused" }) });
    expect(await rowOf("volume", "reused")).toMatchObject({ access: "private", ownerId: "u1" });
    await expect(m.owned.createOwned({ env: "local", type: "network", userId: "u1", role: "standard", create: async () => Promise.reject(new Error("refused")) })).rejects.toThrow("refused");
    expect(await m.db.resourceControl.count({ where: { resourceType: "network" } })).toBe(0);
  });

  it("an administrator's new network is for administrators unless told; a chosen access is kept", async () => {
    await m.owned.createOwned({ env: "local", type: "network", userId: "u2", role: "admin", create: async () => ({ id: NET_OTHER }) });
    expect(await rowOf("network", NET_OTHER)).toMatchObject({ access: "admins" });
    await m.owned.createOwned({ env: "local", type: "network", userId: "u1", role: "standard", access: { access: "public", userIds: [], teamIds: [] }, create: async () => ({ id: NET_MINE }) });
    expect(await rowOf("network", NET_MINE)).toMatchObject({ access: "public", ownerId: "u1" });
  });
});
