/**
 * Who must use two-factor sign-in: the `auth.require2fa` setting, `off`,
 * `admins` (Administrators) or `all`. Read on every request (the session
 * check), so it is cached briefly; setting it refreshes the cache at once.
 */
import { db } from "../db";

export const REQUIRE_2FA_KEY = "auth.require2fa";
export const require2faValues = ["off", "admins", "all"] as const;
export type Require2fa = (typeof require2faValues)[number];

const CACHE_MS = 5_000;
// The custom server and Next's bundle are two module graphs: they share the cache on globalThis.
const g = globalThis as unknown as { __berthRequire2fa?: { value: Require2fa; at: number } };

function parse(value: string | undefined): Require2fa {
  return (require2faValues as readonly string[]).includes(value ?? "") ? (value as Require2fa) : "off";
}

export async function require2fa(now = Date.now()): Promise<Require2fa> {
  const c = g.__berthRequire2fa;
  if (c && now - c.at < CACHE_MS) return c.value;
  const row = await db.setting.findUnique({ where: { key: REQUIRE_2FA_KEY } });
  const value = parse(row?.value);
  g.__berthRequire2fa = { value, at: now };
  return value;
}

export async function setRequire2fa(value: Require2fa): Promise<void> {
  await db.setting.upsert({ where: { key: REQUIRE_2FA_KEY }, create: { key: REQUIRE_2FA_KEY, value }, update: { value } });
  g.__berthRequire2fa = { value, at: Date.now() };
}

/** Whether a user of this role must have two-factor sign-in under this setting. */
export function twoFactorRequired(setting: Require2fa, role: string): boolean {
  return setting === "all" || (setting === "admins" && role === "admin");
}
