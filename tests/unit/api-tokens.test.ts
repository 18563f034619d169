/**
 * API tokens as text: format, hash, how a request carries one, expiry choices,
 * and which permissions a token may never use.
 */
import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { SESSION_ONLY, tokenMayUse } from "../../server/auth/api-token";
import { credentialOf, displayPrefix, expiryFrom, hashToken, MAX_EXPIRY_DAYS, newToken, TOKEN_PATTERN } from "../../server/auth/token-format";

const DAY = 24 * 3600_000;

describe("token format", () => {
  it("is berth_ and 43 base64url characters (32 random bytes), different each time", () => {
    const tokens = Array.from({ length: 200 }, newToken);
    for (const t of tokens) {
      expect(t).toMatch(TOKEN_PATTERN);
      expect(Buffer.from(t.slice("berth_".length), "base64url")).toHaveLength(32);
    }
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it("is stored as the hex SHA-256 of the whole token, never the token", () => {
    const t = newToken();
    expect(hashToken(t)).toBe(crypto.createHash("sha256").update(t).digest("hex"));
    expect(hashToken(t)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(t)).not.toContain(t.slice(6));
    expect(hashToken(`${t}x`)).not.toBe(hashToken(t));
  });

  it("shows only its prefix and six characters in lists", () => {
    const t = newToken();
    expect(displayPrefix(t)).toBe(t.slice(0, 12));
    expect(displayPrefix(t).startsWith("berth_")).toBe(true);
  });
});

describe("credentialOf (Authorization: Bearer, X-API-Key)", () => {
  const t = newToken();
  it("reads a Bearer token, any case of the scheme", () => {
    expect(credentialOf({ authorization: `Bearer ${t}` })).toEqual({ token: t, wellFormed: true });
    expect(credentialOf({ authorization: `bearer   ${t}` })).toEqual({ token: t, wellFormed: true });
  });
  it("reads X-API-Key", () => {
    expect(credentialOf({ "x-api-key": t })).toEqual({ token: t, wellFormed: true });
  });
  it("prefers Authorization when both are given", () => {
    const other = newToken();
    expect(credentialOf({ authorization: `Bearer ${t}`, "x-api-key": other })?.token).toBe(t);
  });
  it("is null without either (Basic auth is not a token)", () => {
    expect(credentialOf({})).toBeNull();
    expect(credentialOf({ authorization: "Basic YWRtaW46YWRtaW4=" })).toBeNull();
  });
  it("marks what cannot be a Berth token as a bad credential, not as none", () => {
    for (const bad of ["", "berth_", "berth_short", `${t}x`, t.replace("berth_", "other_"), `berth_${"a".repeat(42)}!`, "x".repeat(10_000)]) {
      const c = credentialOf({ "x-api-key": bad });
      expect(c, bad.slice(0, 20)).not.toBeNull();
      expect(c!.wellFormed, bad.slice(0, 20)).toBe(false);
      expect(c!.token.length).toBeLessThanOrEqual(256);
    }
  });
});

describe("expiryFrom", () => {
  const now = Date.UTC(2026, 10, 30, 12);
  it("never, and 30 / 90 / 365 days", () => {
    expect(expiryFrom("never", now)).toBeNull();
    expect(expiryFrom("30", now)!.getTime()).toBe(now + 30 * DAY);
    expect(expiryFrom("90", now)!.getTime()).toBe(now + 90 * DAY);
    expect(expiryFrom("365", now)!.getTime()).toBe(now + 365 * DAY);
  });
  it("a date: the token ends at its start (UTC)", () => {
    expect(expiryFrom("2027-01-15", now)!.toISOString()).toBe("2027-01-15T00:00:00.000Z");
  });
  it("refuses past dates, dates that do not exist, too far, and anything else, saying why", () => {
    expect(() => expiryFrom("2026-11-30", now)).toThrow(/in the future/);
    expect(() => expiryFrom("2020-01-01", now)).toThrow(/in the future/);
    expect(() => expiryFrom("2027-02-30", now)).toThrow(/YYYY-MM-DD/);
    expect(() => expiryFrom(`${2026 + Math.ceil(MAX_EXPIRY_DAYS / 365) + 1}-01-01`, now)).toThrow(/at most 5 years/);
    for (const bad of ["7", "forever", "", "2027-1-1", "2027-01-01T00:00:00Z", "-30"]) expect(() => expiryFrom(bad, now), bad).toThrow(/never/);
  });
});

describe("what a token may not do", () => {
  it("opens no WebSocket, touches no account (password, 2FA, sessions, tokens), takes no backup", () => {
    expect(tokenMayUse("ws.ticket")).toBe(false);
    expect(tokenMayUse("account.manage")).toBe(false);
    expect(tokenMayUse("backup.create")).toBe(false);
    expect([...SESSION_ONLY].sort()).toEqual(["account.manage", "backup.create", "ws.ticket"]);
  });
  it("may do what its user's role allows otherwise", () => {
    for (const p of ["container.list", "container.stop", "audit.read", "session.read", "user.manage"] as const) expect(tokenMayUse(p)).toBe(true);
  });
});
