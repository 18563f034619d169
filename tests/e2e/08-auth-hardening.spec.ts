/**
 * Sign-in, setup and sessions under abuse, at the API level, against a
 * throwaway Berth of its own (fresh data directory; restarted once).
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { expect, test } from "@playwright/test";
import WebSocket from "ws";
import { Jar, send, signIn, signOut, trpc, type Client } from "../support/auth-client";
import { startBerth, type StartedBerth } from "../support/start-berth";
import { ADMIN } from "./env";

test.describe.configure({ mode: "serial" });

let berth: StartedBerth;
let dir: string;
// NEXTAUTH_URL unset: next-auth then takes http or https from X-Forwarded-Proto.
const start = (port?: number) => startBerth({ dir, port, env: { NEXTAUTH_URL: undefined } as unknown as NodeJS.ProcessEnv });
const client = (from?: string, headers?: Record<string, string>): Client => ({ base: berth.url, from, jar: new Jar(), headers });

function query<T>(sql: string): T {
  const db = new Database(path.join(berth.dataDir, "berth.db"), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).get() as T;
  } finally {
    db.close();
  }
}
const auditCount = () => query<{ n: number }>("SELECT count(*) AS n FROM AuditEntry").n;
const dbBytes = () =>
  ["", "-wal", "-journal"].reduce((sum, ext) => sum + (fs.statSync(path.join(berth.dataDir, `berth.db${ext}`), { throwIfNoEntry: false })?.size ?? 0), 0);

test.beforeAll(async () => {
  test.setTimeout(180_000);
  dir = fs.mkdtempSync(path.join(process.env.BERTH_TEST_DIR!, "auth-"));
  berth = await start();
  const res = await trpc(client(), "setup.createAdmin", { setupToken: berth.token, ...ADMIN, confirmPassword: ADMIN.password }, "mutation");
  expect(res.status, res.body).toBe(200);
});

test.afterAll(async () => {
  await berth?.stop();
});

test("a 1 MB username is refused unread with 413, a long one with 400 naming the field, and the database does not grow by megabytes", async () => {
  test.setTimeout(120_000);
  const huge = "u".repeat(1_000_000);
  const before = dbBytes();
  for (let i = 0; i < 30; i++) {
    const res = await signIn(client(), huge, "whatever password");
    expect(res.status).toBe(413);
    expect(res.body).toContain("request body too large (max 64 KB)");
  }
  for (let i = 0; i < 30; i++) {
    const res = await signIn(client(), "u".repeat(60_000), "whatever password");
    expect(res.status).toBe(400);
    expect(res.json.field).toBe("username");
    expect(res.error).toBe("Username must be at most 256 characters.");
  }
  const pw = await signIn(client(), ADMIN.username, "p".repeat(257));
  expect([pw.status, pw.json.field]).toEqual([400, "password"]);
  expect(dbBytes() - before).toBeLessThan(256 * 1024);
  // The attempt is on record, with no more than a short prefix of the name.
  const last = query<{ action: string; username: string; error: string }>("SELECT action, username, error FROM AuditEntry WHERE action = 'auth.sign-in' ORDER BY id DESC LIMIT 1 OFFSET 1");
  expect(last.action).toBe("auth.sign-in");
  expect(last.username.length).toBeLessThanOrEqual(65);
  expect(last.error).toContain("Username");
});

test("setup after setup answers 404 and leaves no audit row, whatever the input", async () => {
  const before = auditCount();
  const same = await trpc(client(), "setup.createAdmin", { setupToken: berth.token, username: "second", password: "another long password", confirmPassword: "another long password" }, "mutation");
  expect(same.status).toBe(404);
  const huge = await trpc(client(), "setup.createAdmin", { setupToken: "t", username: "v".repeat(500_000), password: "x", confirmPassword: "y" }, "mutation");
  expect(huge.status).toBe(404);
  expect(huge.body).not.toContain("vvvvvvvv");
  expect(auditCount()).toBe(before);
});

let signedOutJar: Jar;

test("sign-out ends the session on the server: the old cookie is refused and its WebSocket closed", async () => {
  const c = client("127.0.0.1");
  expect((await signIn(c, ADMIN.username, ADMIN.password)).status).toBe(200);
  const me = await trpc(c, "session.me");
  expect(me.status).toBe(200);
  expect(JSON.parse(me.body).result.data.json).toEqual({ id: expect.any(String), username: "admin", role: "admin" });

  const { ticket } = JSON.parse((await trpc(c, "ws.ticket", null, "mutation")).body).result.data.json;
  const ws = new WebSocket(`${berth.url.replace(/^http/, "ws")}/api/ws?ticket=${ticket}`, { headers: { Origin: berth.url } });
  const hello = new Promise((resolve, reject) => {
    ws.once("message", resolve);
    ws.once("error", reject);
  });
  const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));
  await hello;
  // A second ticket minted before sign-out must not open a socket after it.
  const { ticket: spare } = JSON.parse((await trpc(c, "ws.ticket", null, "mutation")).body).result.data.json;

  const stolen = new Jar();
  for (const [k, v] of c.jar.cookies) stolen.cookies.set(k, v);
  expect((await signOut(c)).status).toBe(200);
  expect(await Promise.race([closed, new Promise((r) => setTimeout(() => r("still open"), 5000))])).toBe(4401);

  const old: Client = { base: berth.url, jar: stolen };
  expect((await trpc(old, "session.me")).status).toBe(401);
  expect((await trpc(old, "ws.ticket", null, "mutation")).status).toBe(401);
  const page = await send(old, "GET", "/containers");
  expect(page.status).toBe(302);
  expect(page.headers.location).toMatch(/^\/login/);
  const late = await new Promise<number>((resolve) => {
    const s = new WebSocket(`${berth.url.replace(/^http/, "ws")}/api/ws?ticket=${spare}`, { headers: { Origin: berth.url } });
    s.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    s.on("open", () => resolve(101));
    s.on("error", () => {});
  });
  expect(late).toBe(401);
  signedOutJar = stolen;
});

test("behind an HTTPS proxy (no NEXTAUTH_URL) the __Secure- cookie signs in and the next calls are authenticated", async () => {
  const c = client("127.0.0.1", { "X-Forwarded-Proto": "https" });
  const res = await signIn(c, ADMIN.username, ADMIN.password);
  expect(res.status, res.body).toBe(200);
  expect([...c.jar.cookies.keys()]).toContain("__Secure-next-auth.session-token");
  expect([...c.jar.cookies.keys()]).not.toContain("next-auth.session-token");
  const me = await trpc(c, "session.me");
  expect(me.status, me.body).toBe(200);
  expect(JSON.parse(me.body).result.data.json.username).toBe("admin");
  const page = await send(c, "GET", "/e/local/containers");
  expect(page.status, page.headers.location).toBe(200);
  // Also on a hop where the proxy did not say https: the secure cookie is the one that counts.
  const plain = await trpc({ ...c, headers: {} }, "session.me");
  expect(plain.status).toBe(200);
});

test("10 wrong passwords from one address do not refuse the right one from another; the delay survives a restart", async () => {
  test.setTimeout(240_000);
  const attacker = client("127.0.0.2");
  let failures = 0;
  while (failures < 10) {
    const res = await signIn(attacker, ADMIN.username, `wrong password ${failures}`);
    const wait = /Try again in (\d+) s/.exec(res.error ?? "");
    if (wait) {
      await new Promise((r) => setTimeout(r, Number(wait[1]) * 1000 + 100));
      continue;
    }
    expect(res.error).toBe("Wrong username or password.");
    failures++;
  }
  // The 11th try comes too soon: refused early, even with the right password, and on record.
  const early = await signIn(attacker, ADMIN.username, ADMIN.password);
  expect(early.error).toMatch(/^Too many failed sign-ins/);

  await berth.stop();
  berth = await start(berth.port);

  // Within the 32 s delay the address is still refused. A restart slow enough to outlast it makes this
  // the 11th failure, which the next try must then pay with 64 s: a forgotten count would charge nothing.
  const refusal = /^Too many failed sign-ins from your address\. Try again in (\d+) s\.$/;
  const again = await signIn(client("127.0.0.2"), ADMIN.username, "wrong password again");
  if (again.error === "Wrong username or password.") {
    const next = await signIn(client("127.0.0.2"), ADMIN.username, ADMIN.password);
    expect(next.error).toMatch(refusal);
    expect(Number(refusal.exec(next.error!)![1])).toBeGreaterThan(50);
  } else {
    expect(again.error).toMatch(refusal);
  }
  const refused = query<{ n: number }>("SELECT count(*) AS n FROM AuditEntry WHERE sourceIp = '127.0.0.2' AND error LIKE 'Too many failed sign-ins%'");
  expect(refused.n).toBeGreaterThanOrEqual(2);

  const t0 = Date.now();
  const owner = client("127.0.0.3");
  const ok = await signIn(owner, ADMIN.username, ADMIN.password);
  expect(ok.error).toBeNull();
  expect(ok.status).toBe(200);
  expect(Date.now() - t0).toBeLessThan(10_000);
  expect((await trpc(owner, "session.me")).status).toBe(200);
});

test("after a restart, the signed-out cookie is still refused", async () => {
  const old: Client = { base: berth.url, jar: signedOutJar };
  expect((await trpc(old, "session.me")).status).toBe(401);
  const page = await send(old, "GET", "/");
  expect(page.status).toBe(302);
  expect(page.headers.location).toMatch(/^\/login/);
});
