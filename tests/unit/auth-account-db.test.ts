/**
 * Accounts against a real SQLite database migrated as `prisma migrate deploy`
 * would: two-factor enrolment and sign-in (replay, recovery codes used once,
 * throttled codes), disabled users, "must change password", required
 * enrolment, the own-sessions list and a password change ending other sessions.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { useMigratedDatabase } from "../support/migrated-db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeAt, TOTP_PERIOD } from "../../server/auth/totp";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "berth-account-"));
const file = path.join(dir, "berth.db");
let m: {
  db: typeof import("../../server/db").db;
  sessions: typeof import("../../server/auth/sessions");
  signIn: typeof import("../../server/auth/sign-in");
  twoFactor: typeof import("../../server/auth/two-factor");
  policy: typeof import("../../server/auth/two-factor-policy");
  account: typeof import("../../server/auth/account");
  list: typeof import("../../server/auth/session-list");
  password: typeof import("../../server/auth/password");
};

beforeAll(async () => {
  useMigratedDatabase(file);
  process.env.BERTH_DATA_DIR = dir;
  m = {
    db: (await import("../../server/db")).db,
    sessions: await import("../../server/auth/sessions"),
    signIn: await import("../../server/auth/sign-in"),
    twoFactor: await import("../../server/auth/two-factor"),
    policy: await import("../../server/auth/two-factor-policy"),
    account: await import("../../server/auth/account"),
    list: await import("../../server/auth/session-list"),
    password: await import("../../server/auth/password"),
  };
});

afterAll(async () => {
  await m?.db.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

const PASSWORD = "a long enough passphrase";
async function newUser(username: string, role = "user") {
  return m.db.user.create({ data: { username, role, passwordHash: await m.password.hashPassword(PASSWORD) } });
}
const failure = (p: Promise<unknown>) => p.then(() => "resolved", (e: Error & { field?: string }) => ({ message: e.message, field: e.field }));

/** Enrols `userId` and returns the secret and recovery codes; the confirming code is from the previous step, so "now" stays usable. */
async function enrol(userId: string, username: string) {
  const { secret, qrCode } = await m.twoFactor.beginEnrolment(userId, username);
  expect(qrCode).toMatch(/^data:image\/svg\+xml;base64,/);
  const codes = await m.twoFactor.confirmEnrolment(userId, codeAt(secret, Date.now() - TOTP_PERIOD * 1000));
  return { secret, codes };
}

describe("two-factor enrolment", () => {
  it("keeps the secret sealed, confirms only with a right code, and stores recovery codes hashed", async () => {
    const u = await newUser("tfa-enrol");
    const { secret } = await m.twoFactor.beginEnrolment(u.id, u.username);
    const row = await m.db.user.findUniqueOrThrow({ where: { id: u.id } });
    expect(row.totpSecret).toMatch(/^v1\./);
    expect(row.totpSecret).not.toContain(secret);
    expect(row.totpEnabledAt).toBeNull();
    const wrong = codeAt(secret, Date.now()) === "000000" ? "111111" : "000000";
    expect(await failure(m.twoFactor.confirmEnrolment(u.id, wrong))).toMatchObject({ field: "authCode" });
    const codes = await m.twoFactor.confirmEnrolment(u.id, codeAt(secret, Date.now()));
    expect(codes).toHaveLength(10);
    const stored = await m.db.recoveryCode.findMany({ where: { userId: u.id } });
    expect(stored).toHaveLength(10);
    for (const s of stored) expect(codes).not.toContain(s.hash);
    expect(await m.twoFactor.twoFactorStatus(u.id)).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });
    // A second enrolment is refused while it is on.
    await expect(m.twoFactor.beginEnrolment(u.id, u.username)).rejects.toThrow(/already on/);
  });
});

describe("sign-in with two-factor", () => {
  it("asks for the code after the right password, takes it once, and takes each recovery code once", async () => {
    const { verifySignIn, TOTP_REQUIRED, WRONG_CODE } = m.signIn;
    const u = await newUser("tfa-sign-in");
    const { secret, codes } = await enrol(u.id, u.username);
    const ip = "10.42.0.1";
    await expect(verifySignIn({ username: u.username, password: PASSWORD }, ip)).rejects.toThrow(TOTP_REQUIRED);
    await expect(verifySignIn({ username: u.username, password: "wrong password!!" }, ip)).rejects.toThrow(m.signIn.WRONG_CREDENTIALS);

    const code = codeAt(secret, Date.now());
    const ua = "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/131.0 Safari/537.36";
    const ok = await verifySignIn({ username: u.username, password: PASSWORD, code }, ip, ua);
    expect((await m.db.session.findUniqueOrThrow({ where: { id: ok.sid } })).userAgent).toBe(ua);
    // The same code again: a replay.
    await expect(verifySignIn({ username: u.username, password: PASSWORD, code }, ip)).rejects.toThrow(WRONG_CODE);

    const rc = codes[3]!;
    await verifySignIn({ username: u.username, password: PASSWORD, code: rc.toUpperCase() }, ip);
    await expect(verifySignIn({ username: u.username, password: PASSWORD, code: rc }, ip)).rejects.toThrow(WRONG_CODE);
    expect(await m.twoFactor.twoFactorStatus(u.id)).toMatchObject({ recoveryCodesLeft: 9 });
    const audit = await m.db.auditEntry.findMany({ where: { action: "auth.sign-in", username: u.username }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.outcome, a.error])).toEqual([
      ["error", "Wrong username or password."],
      ["ok", null],
      ["error", WRONG_CODE],
      ["ok", null],
      ["error", WRONG_CODE],
    ]);
  });

  it("a code sent twice at the same moment signs in once", async () => {
    const u = await newUser("tfa-race");
    const { secret } = await enrol(u.id, u.username);
    const row = await m.db.user.findUniqueOrThrow({ where: { id: u.id } });
    const code = codeAt(secret, Date.now());
    const results = await Promise.all([1, 2, 3].map(() => m.twoFactor.checkSecondFactor(row, code)));
    expect(results.filter((r) => r === "totp")).toHaveLength(1);
  });

  it("refuses codes for a while after repeated wrong ones", async () => {
    const u = await newUser("tfa-throttle");
    await enrol(u.id, u.username);
    const tries: string[] = [];
    for (let i = 0; i < 7; i++) {
      // Each from another address: the per-user limit is what stops a guesser who has the password.
      const r = await failure(m.signIn.verifySignIn({ username: u.username, password: PASSWORD, code: "000000" }, `10.43.0.${i}`));
      tries.push((r as { message: string }).message);
    }
    expect(tries.slice(0, 5).every((t) => t === m.signIn.WRONG_CODE)).toBe(true);
    expect(tries.at(-1)).toMatch(/^Too many wrong authentication codes\. Try again in \d+ s\.$/);
  });
});

describe("disabled users and forced steps", () => {
  it("a disabled user's sessions are dead and sign-in answers as for a wrong password, on record", async () => {
    const u = await newUser("disabled-one");
    const sid = await m.sessions.createSession(u.id, null);
    expect(await m.sessions.liveSession(sid, u.id)).toMatchObject({ username: "disabled-one", mustChangePassword: false, mustEnrollTwoFactor: false });
    await m.db.user.update({ where: { id: u.id }, data: { disabled: true } });
    expect(await m.sessions.liveSession(sid, u.id)).toBeNull();
    await expect(m.signIn.verifySignIn({ username: u.username, password: PASSWORD }, "10.44.0.1")).rejects.toThrow(/^Wrong username or password\.$/);
    const row = await m.db.auditEntry.findFirstOrThrow({ where: { action: "auth.sign-in", username: u.username } });
    expect([row.outcome, row.error]).toEqual(["error", "Wrong username or password. (the user is disabled)"]);
  });

  it("exposes must-change-password and a required, missing enrolment on the session user", async () => {
    const admin = await newUser("forced-admin", "admin");
    const user = await newUser("forced-user");
    const sa = await m.sessions.createSession(admin.id, null);
    const su = await m.sessions.createSession(user.id, null);
    await m.db.user.update({ where: { id: user.id }, data: { mustChangePassword: true } });
    expect(await m.sessions.liveSession(su, user.id)).toMatchObject({ mustChangePassword: true, mustEnrollTwoFactor: false });

    // Turning the requirement on needs the administrator's own second factor first.
    expect(await failure(m.account.changeRequire2fa(admin, "admins"))).toMatchObject({ field: "require2fa" });
    const other = await newUser("policy-admin", "admin");
    await enrol(other.id, other.username);
    await m.account.changeRequire2fa(other, "admins");
    expect(await m.sessions.liveSession(sa, admin.id)).toMatchObject({ mustEnrollTwoFactor: true });
    expect(await m.sessions.liveSession(su, user.id)).toMatchObject({ mustEnrollTwoFactor: false });
    await m.account.changeRequire2fa(other, "all");
    expect(await m.sessions.liveSession(su, user.id)).toMatchObject({ mustEnrollTwoFactor: true });
    await enrol(admin.id, admin.username);
    expect(await m.sessions.liveSession(sa, admin.id)).toMatchObject({ mustEnrollTwoFactor: false });
    await m.account.changeRequire2fa(other, "off");
    expect(await m.sessions.liveSession(su, user.id)).toMatchObject({ mustEnrollTwoFactor: false });
  });
});

describe("own password and sessions", () => {
  it("a password change checks the current one and the policy, then ends the other sessions only", async () => {
    const u = await newUser("changer");
    const keep = await m.sessions.createSession(u.id, "10.45.0.1", Date.now(), "curl/8");
    const other = await m.sessions.createSession(u.id, "10.45.0.2");
    await m.db.user.update({ where: { id: u.id }, data: { mustChangePassword: true } });
    const me = { id: u.id, username: u.username, role: "user", sid: keep };
    const ip = "10.45.0.9";
    expect(await failure(m.account.changeOwnPassword(me, { currentPassword: "not it at all", newPassword: "a new long passphrase" }, ip))).toMatchObject({
      field: "currentPassword",
    });
    expect(await failure(m.account.changeOwnPassword(me, { currentPassword: PASSWORD, newPassword: "short" }, ip))).toEqual({
      field: "newPassword",
      message: "newPassword: must be at least 12 characters",
    });
    expect(await failure(m.account.changeOwnPassword(me, { currentPassword: PASSWORD, newPassword: "Changer-is-my-name" }, ip))).toMatchObject({
      message: "newPassword: must not contain the username",
    });
    expect(await failure(m.account.changeOwnPassword(me, { currentPassword: PASSWORD, newPassword: "password1234" }, ip))).toMatchObject({
      field: "newPassword",
    });
    const ended: string[] = [];
    m.sessions.onSessionEnd(other, () => ended.push("other"));
    m.sessions.onSessionEnd(keep, () => ended.push("keep"));
    expect(await m.account.changeOwnPassword(me, { currentPassword: PASSWORD, newPassword: "a new long passphrase" }, ip)).toEqual({ otherSessionsEnded: 1 });
    expect(ended).toEqual(["other"]);
    expect(await m.sessions.liveSession(keep, u.id)).toMatchObject({ mustChangePassword: false });
    expect(await m.sessions.liveSession(other, u.id)).toBeNull();
    const row = await m.db.user.findUniqueOrThrow({ where: { id: u.id }, select: { passwordHash: true } });
    expect(await m.password.verifyPassword(row.passwordHash, "a new long passphrase")).toBe(true);
  });

  it("lists the user's live sessions by handle, this one marked, and signs out another but not this one", async () => {
    const u = await newUser("lister");
    const mine = await m.sessions.createSession(u.id, "10.46.0.1", Date.now(), "Mozilla/5.0 (Windows NT 10.0) Firefox/120.0");
    const theirs = await m.sessions.createSession(u.id, "10.46.0.2", Date.now(), "curl/8.5");
    const gone = await m.sessions.createSession(u.id, "10.46.0.3");
    await m.sessions.revokeSession(gone);
    const stranger = await newUser("stranger");
    const strangers = await m.sessions.createSession(stranger.id, null);

    const listed = await m.list.listSessions(u.id, mine);
    expect(listed.map((s) => [s.device, s.address, s.current])).toEqual([
      ["Firefox on Windows", "10.46.0.1", true],
      ["curl", "10.46.0.2", false],
    ]);
    expect(JSON.stringify(listed)).not.toContain(mine);
    expect(await failure(m.list.revokeOwnSession(u.id, mine, listed[0]!.id))).toMatchObject({ field: "id" });
    // Another user's session is not one of yours, whatever its handle.
    expect(await failure(m.list.revokeOwnSession(u.id, mine, m.list.sessionHandle(strangers)))).toMatchObject({ field: "id" });
    await m.list.revokeOwnSession(u.id, mine, listed[1]!.id);
    expect(await m.sessions.liveSession(theirs, u.id)).toBeNull();
    expect(await m.sessions.liveSession(strangers, stranger.id)).not.toBeNull();
    expect((await m.list.listSessions(u.id, mine)).length).toBe(1);
  });

  it("turning two-factor off needs the password or a code", async () => {
    const u = await newUser("tfa-off");
    const { secret } = await enrol(u.id, u.username);
    const me = { id: u.id, username: u.username, role: "user" };
    expect(await failure(m.account.confirmIdentity(me, {}, "10.47.0.1"))).toMatchObject({ field: "password" });
    // Setting up (again) asks for the password.
    expect(await failure(m.account.confirmPassword(me, "wrong password here", "10.47.0.1"))).toEqual({ field: "password", message: "password: the password is wrong" });
    await m.account.confirmPassword(me, PASSWORD, "10.47.0.1");
    expect(await failure(m.account.confirmIdentity(me, { password: "wrong password here" }, "10.47.0.1"))).toMatchObject({ field: "password" });
    expect(await failure(m.account.confirmIdentity(me, { authCode: "000000" === codeAt(secret, Date.now()) ? "111111" : "000000" }, "10.47.0.1"))).toMatchObject({
      field: "authCode",
    });
    await m.account.confirmIdentity(me, { authCode: codeAt(secret, Date.now()) }, "10.47.0.1");
    await m.twoFactor.disableTwoFactor(u.id);
    expect(await m.twoFactor.twoFactorStatus(u.id)).toEqual({ enabled: false, enabledAt: null, recoveryCodesLeft: 0 });
    expect(await m.db.recoveryCode.count({ where: { userId: u.id } })).toBe(0);
  });
});
