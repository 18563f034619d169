/**
 * The pure parts of accounts: the password policy, TOTP codes (window and
 * replay), recovery codes, the device summary of a User-Agent, the forced
 * account pages, and the sealing of secrets at rest.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { redact } from "../../server/audit";
import { forcedAccountPage } from "../../server/auth/account-gate";
import { COMMON_PASSWORDS } from "../../server/auth/common-passwords";
import { passwordProblem, PASSWORD_MAX } from "../../server/auth/password-policy";
import { open, seal } from "../../server/auth/secret-box";
import { asTotpCode, codeAt, hashRecoveryCode, matchTotp, newRecoveryCodes, newTotpSecret, normalizeRecoveryCode, otpauthUri, stepAt, TOTP_PERIOD } from "../../server/auth/totp";
import { deviceSummary, storedUserAgent } from "../../server/auth/user-agent";
import { ADMIN } from "../e2e/env";

describe("password policy", () => {
  it("accepts a long, personal passphrase (the e2e administrator's among them)", () => {
    expect(passwordProblem(ADMIN.password, ADMIN.username)).toBeNull();
    expect(passwordProblem("fuzz password 1234567", "fuzz-admin")).toBeNull();
    expect(passwordProblem("another long password", "second")).toBeNull();
  });
  it("refuses short ones, naming the field and the rule", () => {
    expect(passwordProblem("short", "alice", "newPassword")).toEqual({ field: "newPassword", message: "newPassword: must be at least 12 characters" });
    // Code points, not UTF-16 units: 11 emoji are 22 units but 11 characters.
    expect(passwordProblem("🔑".repeat(11), "alice")?.message).toBe("password: must be at least 12 characters");
    expect(passwordProblem("🔑".repeat(12), "alice")).toBeNull();
  });
  it("refuses ones too long to sign in with, and NULs", () => {
    expect(passwordProblem("x1y2".repeat(PASSWORD_MAX), "alice")?.message).toBe(`password: must be at most ${PASSWORD_MAX} characters`);
    expect(passwordProblem("a perfectly fine\0password", "alice")?.message).toBe("password: must not contain NUL characters");
  });
  it("refuses the username, and passwords containing it, whatever the case", () => {
    expect(passwordProblem("AliceWonderland42", "alice")?.message).toBe("password: must not contain the username");
    expect(passwordProblem("operator-operator", "Operator")?.message).toBe("password: must not contain the username");
    expect(passwordProblem("longusername", "longusername")?.message).toBe("password: must not contain the username");
    // A two-letter username only counts as the whole password.
    expect(passwordProblem("a quite long phrase", "al")).toBeNull();
  });
  it("refuses common passwords, case-insensitively", () => {
    expect(COMMON_PASSWORDS.size).toBeGreaterThanOrEqual(300);
    expect(passwordProblem("Password1234", "alice")?.message).toBe("password: is one of the most common passwords: choose another");
    expect(passwordProblem("QWERTYUIOP123", "alice")?.field).toBe("password");
    expect(passwordProblem("1q2w3e4r5t6y", "bob")).not.toBeNull();
    for (const p of COMMON_PASSWORDS) expect(p).toBe(p.toLowerCase());
  });
});

describe("audit of account calls", () => {
  it("redacts every password and code by its field name", () => {
    const input = { currentPassword: "old secret one", newPassword: "new secret two", password: "p", authCode: "123456" };
    expect(redact(input)).toEqual({ currentPassword: "[redacted]", newPassword: "[redacted]", password: "[redacted]", authCode: "[redacted]" });
  });
});

describe("TOTP codes", () => {
  const secret = newTotpSecret();
  const t0 = 1_700_000_000_000;
  const step0 = stepAt(t0);

  it("accepts the current code and those one step either side, not two", () => {
    expect(matchTotp(secret, codeAt(secret, t0), t0)).toBe(step0);
    expect(matchTotp(secret, codeAt(secret, t0 - TOTP_PERIOD * 1000), t0)).toBe(step0 - 1);
    expect(matchTotp(secret, codeAt(secret, t0 + TOTP_PERIOD * 1000), t0)).toBe(step0 + 1);
    const farOld = codeAt(secret, t0 - 2 * TOTP_PERIOD * 1000);
    const farNew = codeAt(secret, t0 + 2 * TOTP_PERIOD * 1000);
    // (A far code may by chance equal a near one: only check when it does not.)
    const near = [-1, 0, 1].map((d) => codeAt(secret, t0 + d * TOTP_PERIOD * 1000));
    if (!near.includes(farOld)) expect(matchTotp(secret, farOld, t0)).toBeNull();
    if (!near.includes(farNew)) expect(matchTotp(secret, farNew, t0)).toBeNull();
  });
  it("refuses a replay: the step used last, and any before it", () => {
    const code = codeAt(secret, t0);
    expect(matchTotp(secret, code, t0, step0)).toBeNull();
    expect(matchTotp(secret, code, t0 + 10_000, step0)).toBeNull();
    expect(matchTotp(secret, codeAt(secret, t0 - TOTP_PERIOD * 1000), t0, step0)).toBeNull();
    // The next step's code is still good.
    expect(matchTotp(secret, codeAt(secret, t0 + TOTP_PERIOD * 1000), t0 + TOTP_PERIOD * 1000, step0)).toBe(step0 + 1);
  });
  it("reads a code as typed, and refuses what cannot be one", () => {
    expect(asTotpCode(" 123 456 ")).toBe("123456");
    for (const bad of ["12345", "1234567", "abcdef", "", "12345\u0000"]) expect(asTotpCode(bad)).toBeNull();
    expect(matchTotp(secret, "not a code", t0)).toBeNull();
  });
  it("gives an otpauth address an authenticator app reads", () => {
    const uri = otpauthUri(secret, "alice");
    expect(uri).toMatch(/^otpauth:\/\/totp\/Berth:alice\?/);
    expect(uri).toContain(`secret=${secret}`);
    expect(uri).toContain("period=30");
  });
});

describe("recovery codes", () => {
  it("are ten different codes of 80 bits, hashed in a form that forgives case, dashes and spaces", () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    const c = codes[0]!;
    expect(hashRecoveryCode(c.toUpperCase().replace(/-/g, " "))).toBe(hashRecoveryCode(c));
    expect(hashRecoveryCode(c)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashRecoveryCode(codes[1]!)).not.toBe(hashRecoveryCode(c));
    expect(normalizeRecoveryCode("123456")).toBeNull();
    expect(hashRecoveryCode("0".repeat(16))).toBeNull();
    expect(hashRecoveryCode("ab".repeat(9))).toBeNull();
  });
});

describe("device summary", () => {
  it("names browser and system from common User-Agents", () => {
    expect(deviceSummary("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36")).toBe("Chrome on Linux");
    expect(deviceSummary("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0")).toBe("Edge on Windows");
    expect(deviceSummary("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15")).toBe("Safari on macOS");
    expect(deviceSummary("Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0")).toBe("Firefox on Linux");
    expect(deviceSummary("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1")).toBe("Safari on iOS");
    expect(deviceSummary("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36")).toBe("Chrome on Android");
    expect(deviceSummary("curl/8.5.0")).toBe("curl");
    expect(deviceSummary(null)).toBe("Unknown device");
    expect(deviceSummary("x".repeat(100_000))).toBe("Unknown device");
  });
  it("keeps a bounded, printable User-Agent", () => {
    expect(storedUserAgent("a\u0000b\nc")).toBe("abc");
    expect(storedUserAgent("   ")).toBeNull();
    expect(storedUserAgent("y".repeat(10_000))!.length).toBe(512);
  });
});

describe("forced account pages", () => {
  it("send a reset password first, then a required enrolment, and leave the page itself alone", () => {
    expect(forcedAccountPage({ mustChangePassword: true, mustEnrollTwoFactor: true }, "/e/local")).toBe("/account/password");
    expect(forcedAccountPage({ mustChangePassword: true }, "/account/password")).toBeUndefined();
    expect(forcedAccountPage({ mustEnrollTwoFactor: true }, "/account")).toBe("/account/two-factor");
    expect(forcedAccountPage({ mustEnrollTwoFactor: true }, "/account/two-factor")).toBeUndefined();
    expect(forcedAccountPage({}, "/audit")).toBeUndefined();
  });
});

describe("secrets at rest", () => {
  it("open only with the same key and purpose, and not once altered", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "berth-box-"));
    const other = fs.mkdtempSync(path.join(os.tmpdir(), "berth-box-"));
    try {
      const sealed = seal("JBSWY3DPEHPK3PXP", "totp-secret", dir);
      expect(sealed).not.toContain("JBSWY3DPEHPK3PXP");
      expect(open(sealed, "totp-secret", dir)).toBe("JBSWY3DPEHPK3PXP");
      expect(open(sealed, "other-purpose", dir)).toBeNull();
      const parts = sealed.split(".");
      parts[3] = Buffer.from("tampered").toString("base64url");
      expect(open(parts.join("."), "totp-secret", dir)).toBeNull();
      // A truncated tag is refused, not checked on fewer bits.
      const short = sealed.split(".");
      short[2] = Buffer.from(short[2]!, "base64url").subarray(0, 4).toString("base64url");
      expect(open(short.join("."), "totp-secret", dir)).toBeNull();
      expect(open("garbage", "totp-secret", dir)).toBeNull();
      expect(fs.statSync(path.join(dir, "totp.key")).mode & 0o777).toBe(0o600);
      expect(open(sealed, "totp-secret", other)).toBeNull();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(other, { recursive: true, force: true });
    }
  });
});
