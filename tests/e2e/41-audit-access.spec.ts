/**
 * The audit history is for administrators: a signed-in non-administrator can
 * neither export it, nor verify it, nor change its retention, and each refusal
 * is itself on record (outcome "denied"), in a chain that still verifies.
 * The user is created directly in SQLite and removed at the end.
 */
import path from "node:path";
import Database from "better-sqlite3";
import { expect, test } from "@playwright/test";
import { hashPassword } from "../../server/auth/password";
import { BerthApi } from "../support/berth-api";
import { baseUrl, e2eDir } from "./env";

const USER = { id: `e2e-auditless-${process.pid}`, username: `viewer${process.pid}`, password: "a long enough password 41" };

function sql<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(path.join(e2eDir(), "data", "berth.db"), { fileMustExist: true, timeout: 5000 });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** Signs in through next-auth's credentials flow as the login page does; returns the session cookie. */
async function signInAs(username: string, password: string): Promise<string> {
  const url = baseUrl();
  const csrfRes = await fetch(`${url}/api/auth/csrf`);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const csrfCookie = csrfRes.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const res = await fetch(`${url}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie, origin: url },
    body: new URLSearchParams({ csrfToken, username, password, json: "true" }),
  });
  const session = res.headers.getSetCookie().find((c) => /^(__Secure-)?next-auth\.session-token=/.test(c));
  if (!session) throw new Error(`sign-in as ${username} failed: HTTP ${res.status}`);
  return session.split(";")[0]!;
}

test.beforeAll(async () => {
  const hash = await hashPassword(USER.password);
  const now = new Date().toISOString().replace("Z", "+00:00");
  sql((db) =>
    db.prepare("INSERT INTO User (id, username, passwordHash, role, createdAt, updatedAt) VALUES (?, ?, ?, 'user', ?, ?)").run(USER.id, USER.username, hash, now, now),
  );
});

test.afterAll(() => {
  sql((db) => {
    db.prepare("DELETE FROM Session WHERE userId = ?").run(USER.id);
    db.prepare("DELETE FROM User WHERE id = ?").run(USER.id);
  });
});

test("a non-administrator cannot export, verify or change retention, and each refusal is a denied entry", async () => {
  const url = baseUrl();
  const cookie = await signInAs(USER.username, USER.password);
  const before = sql((db) => (db.prepare("SELECT max(id) AS n FROM AuditEntry").get() as { n: number }).n);

  for (const format of ["csv", "json"]) {
    const r = await fetch(`${url}/api/audit/export?format=${format}`, { headers: { cookie } });
    expect(r.status, format).toBe(403);
    const body = await r.text();
    expect(body).not.toContain("id,at,seq");
    expect(body).not.toContain("auth.sign-in");
  }
  // Signed out: asked to sign in, nothing more.
  expect((await fetch(`${url}/api/audit/export?format=csv`)).status).toBe(401);

  const trpc = (proc: string, init: RequestInit) => fetch(`${url}/api/trpc/${proc}`, { ...init, headers: { "content-type": "application/json", origin: url, cookie } });
  expect((await trpc("audit.verify", { method: "GET" })).status).toBe(403);
  expect((await trpc("audit.list?input=" + encodeURIComponent(JSON.stringify({ json: {} })), { method: "GET" })).status).toBe(403);
  expect((await trpc("audit.setRetention", { method: "POST", body: JSON.stringify({ json: { days: 1 } }) })).status).toBe(403);

  const denied = sql((db) => db.prepare("SELECT action, outcome, seq FROM AuditEntry WHERE id > ? AND username = ? AND outcome = 'denied'").all(before, USER.username)) as {
    action: string;
    seq: number | null;
  }[];
  expect(denied.filter((d) => d.action === "audit.read").length).toBeGreaterThanOrEqual(4);
  expect(denied.some((d) => d.action === "settings.manage")).toBe(true);
  expect(denied.every((d) => d.seq !== null)).toBe(true);
  // The retention did not change.
  expect(sql((db) => db.prepare("SELECT value FROM Setting WHERE key = 'audit.retentionDays'").get()) as { value: string } | undefined).not.toEqual({ value: "1" });

  // Signing out is on record too, sealed into the chain.
  const csrfRes = await fetch(`${url}/api/auth/csrf`, { headers: { cookie } });
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const csrfCookie = csrfRes.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const out = await fetch(`${url}/api/auth/signout`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: `${cookie}; ${csrfCookie}`, origin: url },
    body: new URLSearchParams({ csrfToken, json: "true" }),
  });
  expect(out.status).toBeLessThan(400);
  await expect
    .poll(() => sql((db) => db.prepare("SELECT outcome, seq FROM AuditEntry WHERE action = 'auth.sign-out' AND username = ?").get(USER.username)) as { outcome: string; seq: number | null } | undefined)
    .toMatchObject({ outcome: "ok", seq: expect.any(Number) });
  expect((await fetch(`${url}/api/audit/export?format=csv`, { headers: { cookie } })).status).toBe(401);

  const admin = await new BerthApi(url).signIn();
  const verified = await admin.query("audit.verify", undefined);
  expect(verified.status, verified.text.slice(0, 300)).toBe(200);
  expect(verified.data).toMatchObject({ ok: true });
});
