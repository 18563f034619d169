/**
 * Users, teams, role grants and security settings against a real SQLite
 * database migrated as `prisma migrate deploy` would: the last-admin rule inside
 * the transaction, sessions and streams ended on disable, what the list never
 * returns, team grants reaching members, and who the security settings bind.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { useMigratedDatabase } from "../support/migrated-db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "berth-users-"));
const file = path.join(dir, "berth.db");
let m: {
  db: typeof import("../../server/db").db;
  users: typeof import("../../server/users/users");
  teams: typeof import("../../server/users/teams");
  grants: typeof import("../../server/users/grants");
  security: typeof import("../../server/security/settings");
  sessions: typeof import("../../server/auth/sessions");
  changes: typeof import("../../server/authz/changes");
  roles: typeof import("../../server/authz/roles");
};

beforeAll(async () => {
  useMigratedDatabase(file);
  m = {
    db: (await import("../../server/db")).db,
    users: await import("../../server/users/users"),
    teams: await import("../../server/users/teams"),
    grants: await import("../../server/users/grants"),
    security: await import("../../server/security/settings"),
    sessions: await import("../../server/auth/sessions"),
    changes: await import("../../server/authz/changes"),
    roles: await import("../../server/authz/roles"),
  };
  await m.db.environment.create({ data: { id: "local", name: "local" } });
});

afterAll(async () => {
  await m?.db.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

const PW = "a perfectly long password";

describe("users", () => {
  it("keeps the last enabled administrator, refuses changes to oneself, and names why", async () => {
    const a = await m.users.createUser({ username: "admin-a", password: PW, role: "admin" });
    const b = await m.users.createUser({ username: "admin-b", password: PW, role: "admin" });
    await expect(m.users.setDisabled(a.id, a.id, true)).rejects.toThrow("You cannot disable yourself");
    await m.users.setDisabled(a.id, b.id, true);
    // b (disabled) acting on a, the one enabled administrator left: refused.
    await expect(m.users.setDisabled(b.id, a.id, true)).rejects.toThrow("the last enabled administrator");
    await expect(m.users.deleteUser(b.id, a.id)).rejects.toThrow("the last enabled administrator");
    await expect(m.users.setRole(b.id, a.id, "user")).rejects.toThrow("the last enabled administrator");
    // A disabled administrator may go.
    await m.users.deleteUser(a.id, b.id);
    expect(await m.db.user.count({ where: { role: "admin" } })).toBe(1);
  });

  it("refuses a password the policy refuses, and a taken username, naming the field", async () => {
    await expect(m.users.createUser({ username: "weak", password: "short", role: "user" })).rejects.toMatchObject({ field: "password" });
    await expect(m.users.createUser({ username: "weak", password: "weak-password-with-weak", role: "user" })).rejects.toThrow("must not contain the username");
    await expect(m.users.createUser({ username: "admin-a", password: PW, role: "user" })).rejects.toMatchObject({ field: "username", code: "CONFLICT" });
  });

  it("disabling ends the user's sessions and open streams; the list carries no secret", async () => {
    const actor = (await m.db.user.findUniqueOrThrow({ where: { username: "admin-a" } })).id;
    const u = await m.users.createUser({ username: "dana", password: PW, role: "user" });
    const sid = await m.sessions.createSession(u.id, "127.0.0.1");
    let closed = 0;
    m.changes.onAccessChange(u.id, () => closed++);
    expect(await m.sessions.liveSession(sid, u.id)).not.toBeNull();
    await m.users.setDisabled(actor, u.id, true);
    expect(await m.sessions.liveSession(sid, u.id)).toBeNull();
    expect(closed).toBe(1);
    const listed = (await m.users.listUsers()).find((x) => x.id === u.id)!;
    expect(listed).toMatchObject({ username: "dana", role: "user", disabled: true, twoFactor: false });
    expect(JSON.stringify(await m.users.listUsers())).not.toMatch(/passwordHash|totpSecret|argon2/);

    await m.users.resetPassword(actor, u.id, "another long password");
    expect((await m.db.user.findUniqueOrThrow({ where: { id: u.id }, select: { mustChangePassword: true } })).mustChangePassword).toBe(true);
  });
});

describe("teams and grants", () => {
  it("a team's grant reaches its members (the strongest wins), and leaves with the membership", async () => {
    const u = await m.users.createUser({ username: "erin", password: PW, role: "user" });
    const team = await m.teams.createTeam("ops");
    await expect(m.teams.createTeam("ops")).rejects.toMatchObject({ field: "name" });
    await m.grants.grantRole("local", { userId: u.id }, "readonly");
    await m.grants.grantRole("local", { teamId: team.id }, "operator");
    expect(await m.roles.effectiveRole({ id: u.id, role: "user" }, "local")).toBe("readonly");
    let changed = 0;
    m.changes.onAccessChange(u.id, () => changed++);
    await m.teams.addMember(team.id, "erin");
    expect(changed).toBe(1);
    expect(await m.roles.effectiveRole({ id: u.id, role: "user" }, "local")).toBe("operator");
    await m.teams.setLeader(team.id, u.id, true);
    expect((await m.teams.listTeams({ leaderId: u.id })).map((t) => t.name)).toEqual(["ops"]);
    await m.teams.removeMember(team.id, u.id);
    expect(await m.roles.effectiveRole({ id: u.id, role: "user" }, "local")).toBe("readonly");
    await expect(m.grants.grantRole("nowhere", { userId: u.id }, "standard")).rejects.toMatchObject({ field: "env", code: "NOT_FOUND" });
    const listed = await m.grants.listGrants("local");
    expect(listed.map((g) => `${g.subject.type}:${g.subject.name}:${g.role}`).sort()).toEqual(["team:ops:operator", "user:erin:readonly"]);
    for (const g of listed) await m.grants.revokeGrant(g.id);
    expect(await m.roles.effectiveRole({ id: u.id, role: "user" }, "local")).toBeNull();
  });
});

describe("security settings", () => {
  it("bind Standard users, not Administrators nor Environment administrators; turning one off ends non-admins' streams", async () => {
    const std = await m.users.createUser({ username: "stan", password: PW, role: "user" });
    const envAdmin = await m.users.createUser({ username: "envy", password: PW, role: "user" });
    await m.grants.grantRole("local", { userId: std.id }, "standard");
    await m.grants.grantRole("local", { userId: envAdmin.id }, "env-admin");
    const stan = { id: std.id, role: "user" };
    expect(await m.security.securityAllows("local", stan, "allowConsole")).toBe(false);
    expect(await m.security.securityAllows("local", { id: envAdmin.id, role: "user" }, "allowConsole")).toBe(true);
    expect(await m.security.securityAllows("local", { id: "x", role: "admin" }, "allowConsole")).toBe(true);

    await m.security.changeSecurity("local", { allowConsole: true });
    expect(await m.security.securityAllows("local", stan, "allowConsole")).toBe(true);
    expect((await m.security.readSecurity("local")).allowBindMounts).toBe(false);
    let closed = 0;
    m.changes.onAccessChange(std.id, () => closed++);
    await m.security.changeSecurity("local", { allowConsole: false });
    expect(closed).toBe(1);
    expect(await m.security.securityAllows("local", stan, "allowConsole")).toBe(false);
    await expect(m.security.readSecurity("nowhere")).rejects.toMatchObject({ field: "env" });
  });
});
