/**
 * The catalogue against a real SQLite database: custom templates (who may change
 * them), administrator-only templates, template sources (a failing one shows its
 * error and never breaks the list; sources that can never be read are refused).
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useMigratedDatabase } from "../support/migrated-db";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "berth-tpl-cat-"));
let m: {
  db: typeof import("../../server/db").db;
  catalog: typeof import("../../server/templates/catalog");
  custom: typeof import("../../server/templates/custom");
};
let server: http.Server;
let base = "";
const owner = { userId: "u1", admin: false, envAdmin: false };
const other = { userId: "u2", admin: false, envAdmin: false };
const envAdmin = { userId: "u3", admin: false, envAdmin: true };
const admin = { userId: "u4", admin: true, envAdmin: false };
const input = { title: "Web", description: "", note: "", logo: "", categories: ["web"], content: "services:\n  web:\n    image: {{ IMAGE }}\n", variables: [{ name: "IMAGE", label: "Image", defaultValue: "nginx", description: "" }] };

beforeAll(async () => {
  useMigratedDatabase(path.join(dir, "berth.db"));
  process.env.BERTH_DATA_DIR = dir;
  process.env.BERTH_TEMPLATES_DIR = path.resolve(__dirname, "../../public/templates");
  m = {
    db: (await import("../../server/db")).db,
    catalog: await import("../../server/templates/catalog"),
    custom: await import("../../server/templates/custom"),
  };
  for (const id of ["u1", "u2", "u3", "u4"]) await m.db.user.create({ data: { id, username: `user-${id}`, passwordHash: "x", role: id === "u4" ? "admin" : "user" } });
  server = http.createServer((req, res) => {
    if (req.url === "/v2.json") {
      res.end(JSON.stringify({ version: "2", templates: [
        { type: 1, title: "Open", image: "busybox" },
        { type: 1, title: "Admins", image: "busybox", administrator_only: true },
        { type: 3, title: "Remote stack", repository: { url: ".", stackfile: "stack.yml" } },
        { type: 3, title: "Git stack", repository: { url: "https://git.example.test/a/b.git", stackfile: "c.yml" } },
      ] }));
    } else if (req.url === "/stack.yml") res.end("services:\n  a:\n    image: busybox\n");
    else {
      res.statusCode = 500;
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.closeAllConnections();
  server?.close();
  await m?.db.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

const failure = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return { message: (e as Error).message, code: (e as { code?: string }).code, field: (e as { field?: string }).field };
  }
  throw new Error("no error");
};

describe("custom templates", () => {
  it("are listed with their owner and who may change them", async () => {
    const t = await m.custom.createCustom(owner, input);
    expect(t).toMatchObject({ source: "custom", type: "stack", title: "Web", sourceName: "user-u1", ownerId: "u1", editable: true, env: [{ name: "IMAGE", label: "Image", default: "nginx" }] });
    const seen = (v: typeof owner) => m.catalog.catalog(v).then((c) => c.entries.find((e) => e.template.id === t.id)!.template.editable);
    expect(await seen(other)).toBe(false);
    expect(await seen(envAdmin)).toBe(true);
    expect(await seen(admin)).toBe(true);
    const entry = await m.catalog.findTemplate(other, t.id);
    expect(await m.catalog.stackFileOf(entry)).toBe(input.content);
  });

  it("are changed and removed only by the owner, Environment administrators and Administrators", async () => {
    const t = await m.custom.createCustom(owner, input);
    expect(await failure(m.custom.updateCustom(other, t.id, { ...input, title: "Mine now" }))).toMatchObject({ code: "FORBIDDEN", field: "id" });
    expect(await failure(m.custom.removeCustom(other, t.id))).toMatchObject({ code: "FORBIDDEN" });
    expect((await m.custom.updateCustom(envAdmin, t.id, { ...input, title: "Renamed" })).title).toBe("Renamed");
    expect(await m.custom.removeCustom(admin, t.id)).toEqual({ id: t.id, title: "Renamed" });
    expect(await failure(m.custom.removeCustom(owner, t.id))).toMatchObject({ code: "NOT_FOUND", field: "id" });
  });

  it("refuse an undeclared {{ VAR }}, a variable declared twice, and an unsafe logo", async () => {
    expect(await failure(m.custom.createCustom(owner, { ...input, content: "image: {{ OTHER }}" }))).toMatchObject({ field: "content", message: expect.stringMatching(/OTHER/) });
    expect(await failure(m.custom.createCustom(owner, { ...input, variables: [...input.variables, ...input.variables] }))).toMatchObject({ field: "variables.1.name" });
    expect(await failure(m.custom.createCustom(owner, { ...input, logo: "javascript:alert(1)" }))).toMatchObject({ field: "logo" });
  });
});

describe("custom templates are bounded", () => {
  it("refuses the 101st template of one user, saying why, and still takes another user's", async () => {
    const capped = { userId: "u5", admin: false, envAdmin: false };
    await m.db.user.create({ data: { id: "u5", username: "user-u5", passwordHash: "x", role: "user" } });
    const have = await m.db.customTemplate.count({ where: { ownerId: "u5" } });
    await m.db.customTemplate.createMany({ data: Array.from({ length: m.custom.MAX_CUSTOM_PER_OWNER - have }, (_, i) => ({ title: `t${i}`, content: "services: {}", ownerId: "u5" })) });
    const e = await failure(m.custom.createCustom(capped, input));
    expect(e).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/the most one user may keep/) });
    expect(await m.db.customTemplate.count({ where: { ownerId: "u5" } })).toBe(m.custom.MAX_CUSTOM_PER_OWNER);
    expect((await m.custom.createCustom(other, input)).title).toBe("Web");
  });
});

describe("sources", () => {
  it("lists the built-in templates, and a failing source only in its status", async () => {
    await m.catalog.writeSources([{ url: `${base}/v2.json`, name: "Mine" }, { url: `${base}/broken.json` }]);
    expect(await m.catalog.readSources()).toEqual([{ url: `${base}/v2.json`, name: "Mine" }, { url: `${base}/broken.json` }]);
    const { entries, sources } = await m.catalog.catalog(owner);
    const titles = entries.map((e) => e.template.title);
    expect(titles).toEqual(expect.arrayContaining(["Nginx", "Redis Cluster", "Open", "Remote stack"]));
    expect(titles).not.toContain("Admins");
    expect(sources).toEqual([
      { url: `${base}/v2.json`, name: "Mine", ok: true, version: "2", count: 4 },
      { url: `${base}/broken.json`, ok: false, count: 0, error: `${base}/broken.json: the server answered 500 Internal Server Error` },
    ]);
    expect((await m.catalog.catalog(admin)).entries.map((e) => e.template.title)).toContain("Admins");
    expect(await failure(m.catalog.findTemplate(owner, "source:0:1"))).toMatchObject({ code: "FORBIDDEN", field: "id" });
  });

  it("reads a source's stack file relative to the list, and explains a git one", async () => {
    const remote = await m.catalog.findTemplate(owner, "source:0:2");
    expect(remote.template.hasStackFile).toBe(true);
    expect(await m.catalog.stackFileOf(remote)).toBe("services:\n  a:\n    image: busybox\n");
    const git = await m.catalog.findTemplate(owner, "source:0:3");
    expect(git.template).toMatchObject({ hasStackFile: false, stackFileProblem: expect.stringMatching(/cannot clone/) });
    expect(await failure(m.catalog.stackFileOf(git))).toMatchObject({ code: "BAD_REQUEST", field: "id" });
    expect(await failure(m.catalog.findTemplate(owner, "source:0:99"))).toMatchObject({ code: "NOT_FOUND", field: "id" });
  });

  it("refuses a source that can never be read, naming it", async () => {
    expect(await failure(m.catalog.writeSources([{ url: "https://ok.test/t.json" }, { url: "file:///etc/passwd" }]))).toMatchObject({ field: "sources.1.url", message: expect.stringMatching(/^sources\[1\]\.url: only http/) });
    expect(await failure(m.catalog.writeSources([{ url: "relative.json" }]))).toMatchObject({ field: "sources.0.url" });
  });
});
