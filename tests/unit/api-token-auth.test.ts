/**
 * Authentication by API token against a real SQLite database migrated as
 * `prisma migrate deploy` would: who a token stands for, when it is refused,
 * the per-address throttle, lastUsedAt, and the tokens router through the
 * router's own caller (a token cannot mint another token).
 */
import fs from "node:fs";
import type { IncomingMessage } from "node:http";
import os from "node:os";
import path from "node:path";
import { useMigratedDatabase } from "../support/migrated-db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "berth-tokens-"));
const file = path.join(dir, "berth.db");
let db: typeof import("../../server/db").db;
let auth: typeof import("../../server/auth/api-token");
let format: typeof import("../../server/auth/token-format");
let trpc: typeof import("../../server/api/trpc");
let routers: typeof import("../../server/api/routers/index");

beforeAll(async () => {
  useMigratedDatabase(file);
  db = (await import("../../server/db")).db;
  auth = await import("../../server/auth/api-token");
  format = await import("../../server/auth/token-format");
  trpc = await import("../../server/api/trpc");
  routers = await import("../../server/api/routers/index");
});

afterAll(async () => {
  await db?.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A request as the server sees it: headers and the socket's address. */
const request = (headers: Record<string, string>, ip = "10.0.0.1") => ({ headers, socket: { remoteAddress: ip } }) as unknown as IncomingMessage;
const bearer = (token: string, ip?: string) => request({ authorization: `Bearer ${token}` }, ip);

let n = 0;
async function userWithToken(opts: { expiresAt?: Date; disabled?: boolean; role?: string } = {}) {
  const user = await db.user.create({ data: { username: `u${++n}`, passwordHash: "x", role: opts.role ?? "admin", disabled: opts.disabled ?? false } });
  const token = format.newToken();
  const row = await db.apiToken.create({ data: { userId: user.id, name: "t", prefix: format.displayPrefix(token), hash: format.hashToken(token), expiresAt: opts.expiresAt } });
  return { user, token, row };
}

describe("tokenAuth", () => {
  it("stands for the token's user, found by hash, with the session user's shape (no sid)", async () => {
    const { user, token } = await userWithToken();
    const result = await auth.tokenAuth(bearer(token));
    expect(result).toMatchObject({ kind: "ok", user: { id: user.id, username: user.username, role: "admin" } });
    expect(await auth.tokenUser(request({ "x-api-key": token }))).toEqual({ id: user.id, username: user.username, role: "admin" });
    expect(await auth.tokenUser(request({}))).toBeNull();
  });

  it("refuses an unknown, revoked or expired token, or one whose user is disabled", async () => {
    const unknown = format.newToken();
    const revoked = await userWithToken();
    await db.apiToken.update({ where: { id: revoked.row.id }, data: { revokedAt: new Date() } });
    const expired = await userWithToken({ expiresAt: new Date(Date.now() - 1000) });
    const disabled = await userWithToken({ disabled: true });
    for (const [what, token] of [["unknown", unknown], ["revoked", revoked.token], ["expired", expired.token], ["disabled user", disabled.token]]) {
      const result = await auth.tokenAuth(bearer(token!, `10.1.0.${what!.length}`));
      expect(result.kind, what).toBe("refused");
    }
  });

  it("carries what its user must do first, as a session does: a new password, or two-factor when required", async () => {
    const { setRequire2fa } = await import("../../server/auth/two-factor-policy");
    const { user, token } = await userWithToken({ role: "user" });
    expect((await auth.tokenUser(bearer(token, "10.4.0.1")))!).not.toHaveProperty("mustEnrollTwoFactor");
    await setRequire2fa("all");
    await db.user.update({ where: { id: user.id }, data: { mustChangePassword: true } });
    try {
      expect(await auth.tokenUser(bearer(token, "10.4.0.1"))).toMatchObject({ id: user.id, mustChangePassword: true, mustEnrollTwoFactor: true });
    } finally {
      await setRequire2fa("off");
    }
  });

  it("writes lastUsedAt at most once a minute", async () => {
    const { token, row } = await userWithToken();
    const t0 = Date.now();
    await auth.tokenAuth(bearer(token), t0);
    expect((await db.apiToken.findUnique({ where: { id: row.id } }))!.lastUsedAt!.getTime()).toBe(t0);
    await auth.tokenAuth(bearer(token), t0 + 30_000);
    expect((await db.apiToken.findUnique({ where: { id: row.id } }))!.lastUsedAt!.getTime()).toBe(t0);
    await auth.tokenAuth(bearer(token), t0 + 61_000);
    expect((await db.apiToken.findUnique({ where: { id: row.id } }))!.lastUsedAt!.getTime()).toBe(t0 + 61_000);
  });

  it("throttles an address after 5 bad tokens (even a good one waits), not other addresses; a good one then clears it", async () => {
    const { token } = await userWithToken();
    const ip = "10.9.9.9";
    const t0 = Date.now();
    for (let i = 0; i < 5; i++) expect((await auth.tokenAuth(bearer(format.newToken(), ip), t0 + i)).kind).toBe("refused");
    const held = await auth.tokenAuth(bearer(token, ip), t0 + 10);
    expect(held).toMatchObject({ kind: "throttled", retryAfterSeconds: 1 });
    expect((held as { message: string }).message).toMatch(/try again in 1 s/);
    expect((await auth.tokenAuth(bearer(token, "10.9.9.8"), t0 + 10)).kind).toBe("ok");
    expect((await auth.tokenAuth(bearer(token, ip), t0 + 1100)).kind).toBe("ok");
    expect(await db.signInThrottle.findUnique({ where: { key: `token-ip:${ip}` } })).toBeNull();
  });

  it("decides once per request: asked twice, a bad token counts once", async () => {
    const ip = "10.7.7.7";
    const req = bearer("berth_nope", ip);
    await auth.tokenAuth(req);
    await auth.tokenAuth(req);
    expect((await db.signInThrottle.findUnique({ where: { key: `token-ip:${ip}` } }))!.failures).toBe(1);
  });
});

describe("the apiTokens procedures", () => {
  const ctxOf = (user: { id: string; username: string; role: string }, via: "session" | "token") => ({ user, via, sourceIp: "10.2.0.1", audit: {} });

  it("create returns the value once and keeps only its hash; list shows the prefix; revoke ends it", async () => {
    const user = await db.user.create({ data: { username: "owner", passwordHash: "x", role: "user" } });
    const caller = trpc.createCallerFactory(routers.appRouter)(ctxOf(user, "session") as never);
    const made = await caller.apiTokens.create({ name: " deploy ", expires: "30" });
    expect(made.token).toMatch(format.TOKEN_PATTERN);
    expect(made.name).toBe("deploy");
    const stored = await db.apiToken.findUnique({ where: { id: made.id } });
    expect(stored!.hash).toBe(format.hashToken(made.token));
    expect(JSON.stringify(stored)).not.toContain(made.token.slice(12));
    const listed = await caller.apiTokens.list();
    expect(listed).toEqual([expect.objectContaining({ id: made.id, name: "deploy", prefix: made.token.slice(0, 12), expired: false })]);
    expect(JSON.stringify(listed)).not.toContain(made.token);
    expect((await auth.tokenAuth(bearer(made.token, "10.3.0.1"))).kind).toBe("ok");

    await caller.apiTokens.revoke({ id: made.id });
    expect(await caller.apiTokens.list()).toEqual([]);
    expect((await auth.tokenAuth(bearer(made.token, "10.3.0.2"))).kind).toBe("refused");
    await expect(caller.apiTokens.revoke({ id: made.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("names the field of bad input", async () => {
    const user = await db.user.create({ data: { username: "inputs", passwordHash: "x" } });
    const caller = trpc.createCallerFactory(routers.appRouter)(ctxOf(user, "session") as never);
    await expect(caller.apiTokens.create({ name: "x", expires: "2001-01-01" })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/^expires: .*future/) });
    await expect(caller.apiTokens.create({ name: "   ", expires: "never" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("cannot be reached with a token: a stolen token mints no token, and opens no WebSocket", async () => {
    const { user } = await userWithToken();
    const asToken = trpc.createCallerFactory(routers.appRouter)(ctxOf(user, "token") as never);
    await expect(asToken.apiTokens.create({ name: "more", expires: "never" })).rejects.toMatchObject({ code: "FORBIDDEN", message: auth.SESSION_ONLY_MESSAGE });
    await expect(asToken.apiTokens.list()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(asToken.ws.ticket()).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await db.apiToken.count({ where: { userId: user.id } })).toBe(1);
    // What the role allows otherwise, a token may do.
    expect(await asToken.session.me()).toMatchObject({ id: user.id });
  });
});
