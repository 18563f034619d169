/**
 * The pure arithmetic of two-factor sign-in: TOTP codes (RFC 6238, what every
 * authenticator app speaks: SHA-1, 6 digits, 30 s) checked one step either
 * side of now, and recovery codes. What is stored and when lives in two-factor.ts.
 */
import crypto from "node:crypto";
import { Secret, TOTP } from "otpauth";

export const TOTP_PERIOD = 30;
export const TOTP_DIGITS = 6;
/** Steps accepted either side of now: a code typed just as it changed, or a clock a little off. */
export const TOTP_WINDOW = 1;
export const ISSUER = "Berth";
export const RECOVERY_CODE_COUNT = 10;

function totp(secretBase32: string, label = ""): TOTP {
  return new TOTP({ issuer: ISSUER, label, algorithm: "SHA1", digits: TOTP_DIGITS, period: TOTP_PERIOD, secret: Secret.fromBase32(secretBase32) });
}

/** A new secret, base32 (160 bits, as RFC 4226 recommends). */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The `otpauth://` address an authenticator app reads from the QR code. */
export function otpauthUri(secretBase32: string, username: string): string {
  return totp(secretBase32, username).toString();
}

/** The time step a moment falls in. */
export function stepAt(now: number): number {
  return Math.floor(now / 1000 / TOTP_PERIOD);
}

/** The code an app shows at `now` (tests and the enrolment check use it). */
export function codeAt(secretBase32: string, now: number): string {
  return totp(secretBase32).generate({ timestamp: now });
}

/** A TOTP code as typed: six digits, spaces allowed ("123 456"). */
export function asTotpCode(input: string): string | null {
  const code = input.replace(/\s+/g, "");
  return /^\d{6}$/.test(code) ? code : null;
}

/**
 * The step whose code `code` is, within TOTP_WINDOW of now, or null. A step at
 * or before `lastUsedStep` is refused: a code that signed in once cannot sign in
 * again, nor can an older one seen over someone's shoulder.
 */
export function matchTotp(secretBase32: string, code: string, now: number, lastUsedStep: number | null = null): number | null {
  const typed = asTotpCode(code);
  if (!typed) return null;
  const delta = totp(secretBase32).validate({ token: typed, timestamp: now, window: TOTP_WINDOW });
  if (delta === null) return null;
  const step = stepAt(now) + delta;
  return lastUsedStep !== null && step <= lastUsedStep ? null : step;
}

// Recovery codes: 16 characters from an alphabet without look-alikes (80 bits), shown as xxxx-xxxx-xxxx-xxxx.
const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
const RECOVERY_LENGTH = 16;

export function newRecoveryCode(): string {
  let out = "";
  while (out.length < RECOVERY_LENGTH) {
    // Rejection sampling: no bias toward the first letters of the alphabet.
    const byte = crypto.randomBytes(1)[0]!;
    if (byte < 256 - (256 % ALPHABET.length)) out += ALPHABET[byte % ALPHABET.length];
  }
  return out.match(/.{4}/g)!.join("-");
}

export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, newRecoveryCode);
}

/** A recovery code as typed, in the form it was hashed in: lowercase, without dashes or spaces; null if it cannot be one. */
export function normalizeRecoveryCode(input: string): string | null {
  const code = input.toLowerCase().replace(/[\s-]+/g, "");
  return code.length === RECOVERY_LENGTH && [...code].every((c) => ALPHABET.includes(c)) ? code : null;
}

/** What is stored: the code has 80 random bits, so a plain SHA-256 cannot be reversed by guessing. */
export function hashRecoveryCode(input: string): string | null {
  const code = normalizeRecoveryCode(input);
  return code && crypto.createHash("sha256").update(`berth-recovery:${code}`).digest("hex");
}
