/**
 * API tokens as text: their format, their hash, how a request carries one, and
 * the expiry choices. Pure (no database), so it is tested alone.
 *
 * A token is `berth_` + 32 random bytes in base64url (43 characters): the prefix
 * lets secret scanners and people recognise it, the random part is what makes
 * it unguessable. Only its SHA-256 is stored: a leaked database does not leak
 * usable tokens, and a plain hash is enough for 256 random bits (no salt or
 * slow hash is needed for values nobody chose).
 */
import crypto from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

export const TOKEN_PREFIX = "berth_";
const RANDOM_BYTES = 32;
/** `berth_` + 43 base64url characters. */
export const TOKEN_PATTERN = /^berth_[A-Za-z0-9_-]{43}$/;
/** How much of a token a list shows: the prefix and a few random characters (never enough to guess the rest). */
export const DISPLAY_PREFIX_LENGTH = TOKEN_PREFIX.length + 6;
/** Longer values in the headers are not looked up at all. */
const MAX_CREDENTIAL_LENGTH = 256;

export function newToken(): string {
  return TOKEN_PREFIX + crypto.randomBytes(RANDOM_BYTES).toString("base64url");
}

/** The stored form: hex SHA-256 of the whole token. */
export function hashToken(token: string): string {
  return crypto.createHash("sha256").update(token, "utf8").digest("hex");
}

export function displayPrefix(token: string): string {
  return token.slice(0, DISPLAY_PREFIX_LENGTH);
}

/**
 * The API token a request carries (`Authorization: Bearer <token>` or
 * `X-API-Key: <token>`): `null` when it carries none, `{ token }` when it does.
 * A value that cannot be a Berth token still counts as a (bad) credential, so it
 * is refused and throttled rather than silently ignored.
 */
export function credentialOf(headers: IncomingHttpHeaders): { token: string; wellFormed: boolean } | null {
  const auth = headers.authorization;
  let value: string | undefined;
  if (typeof auth === "string" && /^bearer\s/i.test(auth)) value = auth.slice(auth.indexOf(" ") + 1).trim();
  const apiKey = headers["x-api-key"];
  if (value === undefined && apiKey !== undefined) value = (Array.isArray(apiKey) ? apiKey[0] : apiKey)?.trim();
  if (value === undefined) return null;
  const token = value.slice(0, MAX_CREDENTIAL_LENGTH);
  return { token, wellFormed: value.length <= MAX_CREDENTIAL_LENGTH && TOKEN_PATTERN.test(token) };
}

/** The expiry choices the form offers: never, a number of days, or a date (YYYY-MM-DD, the token ends at its start, UTC). */
export const EXPIRY_DAYS = ["30", "90", "365"] as const;
export type ExpiryChoice = "never" | (typeof EXPIRY_DAYS)[number] | string;
/** A token lives at most this long when given a date. */
export const MAX_EXPIRY_DAYS = 5 * 365;

const DAY_MS = 24 * 3600_000;

/** When a token made now with this choice expires (null: never); throws a message naming why a date is refused. */
export function expiryFrom(choice: ExpiryChoice, now = Date.now()): Date | null {
  if (choice === "never") return null;
  if ((EXPIRY_DAYS as readonly string[]).includes(choice)) return new Date(now + Number(choice) * DAY_MS);
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(choice);
  const at = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  // Date.UTC rolls 2026-02-31 over into March: a date that does not round-trip does not exist.
  if (!m || Number.isNaN(at) || new Date(at).toISOString().slice(0, 10) !== choice) {
    throw new Error(`must be "never", 30, 90, 365 or a date as YYYY-MM-DD, got ${JSON.stringify(choice.slice(0, 40))}`);
  }
  if (at <= now) throw new Error(`must be a date in the future, got ${choice}`);
  if (at > now + MAX_EXPIRY_DAYS * DAY_MS) throw new Error(`must be at most ${MAX_EXPIRY_DAYS / 365} years away, got ${choice}`);
  return new Date(at);
}
