import type { IncomingHttpHeaders } from "node:http";
import { describe, expect, it } from "vitest";
import { auditName, checkCredentials, CREDENTIAL_MAX } from "../../server/auth/credentials";
import { nextAuthUsesSecureCookies } from "../../server/auth/session";
import { afterFailure, delaySeconds, FORGET_AFTER_MS, MAX_DELAY_SECONDS, retryText, waitMs } from "../../server/auth/throttle-math";

describe("sign-in throttle arithmetic", () => {
  it("lets the first 5 failures through, then doubles from 1 s up to 15 min", () => {
    expect([0, 1, 4].map(delaySeconds)).toEqual([0, 0, 0]);
    expect([5, 6, 7, 8, 14].map(delaySeconds)).toEqual([1, 2, 4, 8, 512]);
    expect(delaySeconds(15)).toBe(MAX_DELAY_SECONDS);
    expect(delaySeconds(10_000)).toBe(MAX_DELAY_SECONDS);
  });

  it("counts failures and measures the wait from the last one", () => {
    const t0 = 1_000_000;
    let e = afterFailure(null, t0);
    for (let i = 1; i < 7; i++) e = afterFailure(e, t0 + i);
    expect(e).toEqual({ failures: 7, lastFailureAt: t0 + 6 });
    expect(waitMs(e, t0 + 6)).toBe(4000);
    expect(waitMs(e, t0 + 6 + 3000)).toBe(1000);
    expect(waitMs(e, t0 + 6 + 4000)).toBe(0);
    expect(waitMs(null, t0)).toBe(0);
  });

  it("forgets a key that stayed quiet for a day", () => {
    const e = { failures: 40, lastFailureAt: 0 };
    expect(waitMs(e, 1)).toBe(MAX_DELAY_SECONDS * 1000 - 1);
    expect(waitMs(e, FORGET_AFTER_MS)).toBe(0);
    expect(afterFailure(e, FORGET_AFTER_MS)).toEqual({ failures: 1, lastFailureAt: FORGET_AFTER_MS });
  });

  it("says how long to wait in whole units", () => {
    expect(retryText(1)).toBe("1 s");
    expect(retryText(31_500)).toBe("32 s");
    expect(retryText(900_000)).toBe("15 min");
  });
});

describe("credential bounds", () => {
  it("name the field that is missing or too long", () => {
    const long = "x".repeat(CREDENTIAL_MAX + 1);
    expect(checkCredentials({ username: long, password: "p" })).toMatchObject({ ok: false, field: "username" });
    expect(checkCredentials({ username: "admin", password: long })).toMatchObject({ ok: false, field: "password" });
    expect(checkCredentials({ username: "  ", password: "p" })).toMatchObject({ ok: false, field: "username" });
    expect(checkCredentials({ username: "admin", password: 5 })).toMatchObject({ ok: false, field: "password" });
    expect(checkCredentials({ username: " admin ", password: "x".repeat(CREDENTIAL_MAX) })).toEqual({
      ok: true,
      username: "admin",
      password: "x".repeat(CREDENTIAL_MAX),
    });
  });
  it("keep only a short prefix of a username for the audit", () => {
    expect(auditName("admin")).toBe("admin");
    expect(auditName("y".repeat(1_000_000)).length).toBeLessThanOrEqual(65);
    expect(auditName(undefined)).toBe("");
  });
});

describe("session cookie name", () => {
  const h = (proto?: string): IncomingHttpHeaders => (proto ? { "x-forwarded-proto": proto } : {});
  it("follows NEXTAUTH_URL when it is set", () => {
    expect(nextAuthUsesSecureCookies(h("http"), false, { NEXTAUTH_URL: "https://berth.example" } as never)).toBe(true);
    expect(nextAuthUsesSecureCookies(h("https"), true, { NEXTAUTH_URL: "http://berth.example" } as never)).toBe(false);
  });
  it("follows the forwarded protocol when the host is trusted, as next-auth does", () => {
    const env = { AUTH_TRUST_HOST: "true" } as never;
    expect(nextAuthUsesSecureCookies(h("https"), false, env)).toBe(true);
    expect(nextAuthUsesSecureCookies(h("http"), false, env)).toBe(false);
    expect(nextAuthUsesSecureCookies(h(), false, env)).toBe(false);
    expect(nextAuthUsesSecureCookies(h(), true, env)).toBe(true);
  });
  it("is plain without either", () => {
    expect(nextAuthUsesSecureCookies(h("https"), true, {} as never)).toBe(false);
  });
});
