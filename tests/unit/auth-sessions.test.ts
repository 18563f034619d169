/**
 * Server-side sessions and the sign-in throttle against a real SQLite
 * database migrated exactly as `prisma migrate deploy` would.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { useMigratedDatabase } from "../support/migrated-db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "berth-sessions-"));
const file = path.join(dir, "berth.db");
let mod: {
  db: typeof import("../../server/db").db;
  sessions: typeof import("../../server/auth/sessions");
  limits: typeof import("../../server/auth/rate-limit");
};

beforeAll(async () => {
  useMigratedDatabase(file);
  mod = {
    db: (await import("../../server/db")).db,
    sessions: await import("../../server/auth/sessions"),
    limits: await import("../../server/auth/rate-limit"),
  };
});

afterAll(async () => {
  await mod?.db.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function newUser(username: string) {
  return mod.db.user.create({ data: { username, passwordHash: "x" } });
}

describe("server-side sessions", () => {
  it("revokeSessionsOf ends every session of the user, and tells their sockets", async () => {
    const { createSession, liveSession, onSessionEnd, revokeSessionsOf, sessionEndedLately } = mod.sessions;
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    const a1 = await createSession(alice.id, "10.0.0.1");
    const a2 = await createSession(alice.id, "10.0.0.2");
    const b1 = await createSession(bob.id, "10.0.0.1");
    expect(await liveSession(a1, alice.id)).toMatchObject({ id: alice.id, username: "alice" });
    // A sid is only good for its own user.
    expect(await liveSession(a1, bob.id)).toBeNull();

    const closed: string[] = [];
    onSessionEnd(a1, () => closed.push("a1"));
    onSessionEnd(a2, () => closed.push("a2"));
    const stopWatching = onSessionEnd(b1, () => closed.push("b1"));

    expect(await revokeSessionsOf(alice.id)).toBe(2);
    expect(closed.sort()).toEqual(["a1", "a2"]);
    expect(await liveSession(a1, alice.id)).toBeNull();
    expect(await liveSession(a2, alice.id)).toBeNull();
    expect(sessionEndedLately(a1)).toBe(true);
    expect(await liveSession(b1, bob.id)).toMatchObject({ username: "bob" });
    expect(await revokeSessionsOf(alice.id)).toBe(0);
    stopWatching();
  });

  it("revokeSession ends one session; an expired session or a removed user is not live", async () => {
    const { createSession, liveSession, revokeSession } = mod.sessions;
    const carol = await newUser("carol");
    const keep = await createSession(carol.id, null);
    const gone = await createSession(carol.id, null);
    await revokeSession(gone);
    expect(await liveSession(gone, carol.id)).toBeNull();
    expect(await liveSession(keep, carol.id)).not.toBeNull();
    expect(await liveSession(keep, carol.id, Date.now() + 9 * 3600_000)).toBeNull();
    await mod.db.user.delete({ where: { id: carol.id } });
    expect(await liveSession(keep, carol.id)).toBeNull();
  });

  it("use slides a session's expiry forward", async () => {
    const { createSession, liveSession } = mod.sessions;
    const dave = await newUser("dave");
    const t0 = Date.now();
    const sid = await createSession(dave.id, null, t0);
    expect(await liveSession(sid, dave.id, t0 + 7 * 3600_000)).not.toBeNull();
    expect(await liveSession(sid, dave.id, t0 + 14 * 3600_000)).not.toBeNull();
  });
});

describe("sign-in throttle state", () => {
  it("slows the failing address, never another, and survives in the database", async () => {
    const { addressWaitMs, recordSignInFailure, usernameDelayMs, clearSignInFailures, USER_DELAY_CAP_MS } = mod.limits;
    const erin = await newUser("erin");
    const t = Date.now();
    for (let i = 0; i < 10; i++) await recordSignInFailure("10.9.0.2", "Erin", t);
    expect(await addressWaitMs("10.9.0.2", t)).toBe(32_000);
    expect(await addressWaitMs("10.9.0.3", t)).toBe(0);
    // The username is only delayed, briefly, and not at all from an address erin signed in from.
    expect(await usernameDelayMs("erin", erin.id, "10.9.0.3", t)).toBe(USER_DELAY_CAP_MS);
    await mod.sessions.createSession(erin.id, "10.9.0.4");
    expect(await usernameDelayMs("erin", erin.id, "10.9.0.4", t)).toBe(0);
    expect(await mod.db.signInThrottle.count()).toBe(2);
    await clearSignInFailures("10.9.0.2", "erin");
    expect(await addressWaitMs("10.9.0.2", t)).toBe(0);
    expect(await usernameDelayMs("erin", erin.id, "10.9.0.3", t)).toBe(0);
  });
});
