/**
 * Registry credentials at rest and on the way out: the password is sealed in
 * the database (bound to its row), never in the list, never in the audit;
 * edits keep or clear it; registryAuthFor finds it by image reference; the
 * procedures are administrators' only and name the field of bad input.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useMigratedDatabase } from "../support/migrated-db";

type Caller = ReturnType<(typeof import("../../server/api/routers/index").appRouter)["createCaller"]>;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "berth-registries-"));
const SECRET = "dckr_pat_Sup3r-Secret-Token-41";
let m: {
  db: typeof import("../../server/db").db;
  box: typeof import("../../server/auth/secret-box");
  creds: typeof import("../../server/registries/credentials");
  caller: Caller;
  userCaller: Caller;
};

beforeAll(async () => {
  process.env.BERTH_DATA_DIR = dir;
  useMigratedDatabase(path.join(dir, "berth.db"));
  const db = (await import("../../server/db")).db;
  const { appRouter } = await import("../../server/api/routers/index");
  const { createCallerFactory } = await import("../../server/api/trpc");
  const admin = await db.user.create({ data: { username: "admin", passwordHash: "x", role: "admin" } });
  const user = await db.user.create({ data: { username: "plain", passwordHash: "x", role: "user" } });
  const factory = createCallerFactory(appRouter);
  m = {
    db,
    box: await import("../../server/auth/secret-box"),
    creds: await import("../../server/registries/credentials"),
    caller: factory({ user: { id: admin.id, username: "admin", role: "admin", sid: "s1" } as never, via: "session", sourceIp: "127.0.0.1", audit: {} }),
    userCaller: factory({ user: { id: user.id, username: "plain", role: "user", sid: "s2" } as never, via: "session", sourceIp: "127.0.0.1", audit: {} }),
  };
});

afterAll(async () => {
  await m?.db.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function errorOf(p: Promise<unknown>): Promise<TRPCError> {
  try {
    await p;
  } catch (err) {
    return err as TRPCError;
  }
  throw new Error("the call succeeded");
}

describe("registry secrets", () => {
  it("sealed in the database, bound to the row, never in the list nor the audit", async () => {
    const created = await m.caller.registries.create({ name: "Ours", kind: "custom", url: "https://Registry.Example.com:5000/", username: "deploy", password: SECRET, insecure: false });
    expect(created).toMatchObject({ name: "Ours", kind: "custom", url: "registry.example.com:5000", username: "deploy", hasSecret: true, insecure: false });

    const row = await m.db.registry.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.secret).toMatch(/^v1\./);
    expect(row.secret).not.toContain(SECRET);
    expect(row.secret).not.toContain(Buffer.from(SECRET).toString("base64"));
    expect(m.box.open(row.secret!, `registry:${row.id}`)).toBe(SECRET);
    // Bound to its row: the same ciphertext does not open for another.
    expect(m.box.open(row.secret!, "registry:other")).toBeNull();

    const list = await m.caller.registries.list();
    expect(list).toHaveLength(1);
    expect(list[0]).toEqual({ ...created, hasSecret: true });
    const listed = JSON.stringify(list);
    expect(listed).not.toContain(SECRET);
    expect(listed).not.toContain(row.secret!);
    expect(Object.keys(list[0]!)).not.toContain("secret");
    expect(Object.keys(list[0]!)).not.toContain("password");

    const audit = await m.db.auditEntry.findMany({ where: { action: "registry.manage" } });
    expect(audit.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit)).not.toContain(SECRET);
    expect(audit[0]!.outcome).toBe("ok");
  });

  it("edit without a password keeps it; a new one replaces it; clearPassword forgets it", async () => {
    const [r] = await m.caller.registries.list();
    const kept = await m.caller.registries.update({ id: r!.id, name: "Ours renamed", kind: "custom", url: r!.url, username: "deploy", insecure: true });
    expect(kept).toMatchObject({ name: "Ours renamed", hasSecret: true, insecure: true });
    expect((await m.creds.registryAuthFor("registry.example.com:5000/team/app:1"))?.password).toBe(SECRET);

    await m.caller.registries.update({ id: r!.id, name: "Ours renamed", kind: "custom", url: r!.url, username: "deploy", password: "second-secret", insecure: true });
    expect((await m.creds.registryAuthFor("registry.example.com:5000/app"))?.password).toBe("second-secret");

    const cleared = await m.caller.registries.update({ id: r!.id, name: "Ours renamed", kind: "custom", url: r!.url, username: "", clearPassword: true, insecure: true });
    expect(cleared.hasSecret).toBe(false);
    expect((await m.db.registry.findUniqueOrThrow({ where: { id: r!.id } })).secret).toBeNull();
    expect(await m.creds.registryAuthFor("registry.example.com:5000/app")).toBeUndefined();
    expect(JSON.stringify(await m.db.auditEntry.findMany())).not.toContain("second-secret");
  });

  it("registryAuthFor: Docker Hub for short names, the right host:port, nothing for others", async () => {
    const hub = await m.caller.registries.create({ name: "Docker Hub", kind: "dockerhub", username: "me", password: "hub-token", insecure: true });
    expect(hub).toMatchObject({ url: "docker.io", kind: "dockerhub", insecure: false });
    for (const ref of ["nginx", "library/nginx:1", "me/app", "docker.io/me/app", "index.docker.io/library/redis"]) {
      expect(await m.creds.registryAuthFor(ref), ref).toEqual({ username: "me", password: "hub-token", serveraddress: "https://index.docker.io/v1/" });
    }
    const local = await m.caller.registries.create({ name: "Local", url: "127.0.0.1:5000", username: "u", password: "p", insecure: true });
    expect(await m.creds.registryAuthFor("127.0.0.1:5000/library/busybox:latest")).toEqual({ username: "u", password: "p", serveraddress: "127.0.0.1:5000" });
    expect(await m.creds.registryAuthFor("127.0.0.1:5001/library/busybox")).toBeUndefined();
    expect(await m.creds.registryAuthFor("quay.io/x/y")).toBeUndefined();
    await m.caller.registries.remove({ id: local.id });
    expect(await m.creds.registryAuthFor("127.0.0.1:5000/library/busybox:latest")).toBeUndefined();
  });

  it("bad input names the field; duplicates are CONFLICT", async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ name: "x", url: "registry.example.com/v2" }, "url", /url: no path/],
      [{ name: "x", url: "u:p@registry.example.com" }, "url", /url: no user name or password/],
      [{ name: "x", url: "registry.example.com:70000" }, "url", /url: port "70000"/],
      [{ name: "x", url: "a b" }, "url", /url: a space/],
      [{ name: "x", url: "" }, "url", /url: the registry URL is empty/],
      [{ name: "", url: "r.example.com" }, "name", /name is required/],
      [{ name: "x\u0000", url: "r.example.com" }, "name", /control characters/],
      [{ name: "x", url: "r.example.com", username: "a:b", password: "p" }, "username", /must not contain ':'/],
      [{ name: "x", url: "r.example.com", password: "p" }, "username", /username: give the user name/],
      [{ name: "x", url: "r.example.com", password: "x".repeat(9000), username: "u" }, "password", /at most 8192/],
      [{ name: "Docker Hub", url: "r.example.com" }, "name", /already exists/],
      [{ name: "Other", url: "index.docker.io" }, "url", /already registered/],
    ];
    for (const [input, field, message] of cases) {
      const err = await errorOf(m.caller.registries.create(input as never));
      expect(err.message, JSON.stringify(input)).toMatch(message);
      const named = (err.cause as { field?: string; issues?: { path: string[] }[] }).field ?? (err.cause as { issues?: { path: string[] }[] }).issues?.[0]?.path[0];
      expect(named, JSON.stringify(input)).toBe(field);
    }
    const err = await errorOf(m.caller.registries.remove({ id: "nope" }));
    expect(err.code).toBe("NOT_FOUND");
  });

  it("a user who is not an administrator is refused every procedure", async () => {
    expect((await errorOf(m.userCaller.registries.list())).code).toBe("FORBIDDEN");
    expect((await errorOf(m.userCaller.registries.create({ name: "x", url: "r.example.com" } as never))).code).toBe("FORBIDDEN");
    expect(await m.db.registry.count({ where: { name: "x" } })).toBe(0);
  });
});
