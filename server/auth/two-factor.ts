/**
 * Two-factor sign-in, stored: enrolment (a pending secret in `User.totpSecret`
 * until a code confirms it and sets `totpEnabledAt`), recovery codes (hashed
 * in `RecoveryCode`, each usable once), and the check at sign-in.
 *
 * The secret is sealed with the data directory's key (secret-box.ts). The last
 * step a code was accepted for is kept per user (Setting `auth.totp-step.<id>`),
 * and claimed atomically, so a code works once even when sent twice at the same moment.
 */
import QRCode from "qrcode";
import { db } from "../db";
import { BerthError } from "../errors";
import { open, seal } from "./secret-box";
import { hashRecoveryCode, matchTotp, newRecoveryCodes, newTotpSecret, otpauthUri, asTotpCode } from "./totp";

const PURPOSE = "totp-secret";
const stepKey = (userId: string) => `auth.totp-step.${userId}`;

/** The user's secret in clear, or null (none, or sealed under a key this data directory no longer has). */
function secretOf(sealed: string | null): string | null {
  return sealed ? open(sealed, PURPOSE) : null;
}

/** Records that `step` was used; false when it (or a later one) already was. */
async function claimStep(userId: string, step: number): Promise<boolean> {
  const key = stepKey(userId);
  const moved = await db.$executeRaw`UPDATE "Setting" SET "value" = ${String(step)} WHERE "key" = ${key} AND CAST("value" AS INTEGER) < ${step}`;
  if (moved === 1) return true;
  try {
    await db.setting.create({ data: { key, value: String(step) } });
    return true;
  } catch {
    // The row exists with this step or a later one: a replay (or a race lost to the same code).
    return false;
  }
}

async function lastStep(userId: string): Promise<number | null> {
  const row = await db.setting.findUnique({ where: { key: stepKey(userId) } });
  const n = row ? Number(row.value) : NaN;
  return Number.isSafeInteger(n) ? n : null;
}

/** Whether `code` is this secret's current code, not used before; the step is claimed when it is. */
async function acceptTotp(userId: string, secret: string, code: string, now: number): Promise<boolean> {
  const step = matchTotp(secret, code, now, await lastStep(userId));
  return step !== null && (await claimStep(userId, step));
}

async function acceptRecoveryCode(userId: string, code: string, now: number): Promise<boolean> {
  const hash = hashRecoveryCode(code);
  if (!hash) return false;
  const used = await db.recoveryCode.updateMany({ where: { userId, hash, usedAt: null }, data: { usedAt: new Date(now) } });
  return used.count === 1;
}

/**
 * The second factor at sign-in or for a sensitive change: a current TOTP code,
 * or (when `allowRecovery`) an unused recovery code, which is then used up.
 */
export async function checkSecondFactor(
  user: { id: string; totpSecret: string | null },
  code: string,
  opts: { allowRecovery?: boolean; now?: number } = {},
): Promise<"totp" | "recovery" | null> {
  const now = opts.now ?? Date.now();
  const secret = secretOf(user.totpSecret);
  if (asTotpCode(code)) return secret && (await acceptTotp(user.id, secret, code, now)) ? "totp" : null;
  if (opts.allowRecovery !== false && (await acceptRecoveryCode(user.id, code, now))) return "recovery";
  return null;
}

export interface TwoFactorStatus {
  enabled: boolean;
  enabledAt: Date | null;
  recoveryCodesLeft: number;
}

export async function twoFactorStatus(userId: string): Promise<TwoFactorStatus> {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { totpEnabledAt: true } });
  const left = user.totpEnabledAt ? await db.recoveryCode.count({ where: { userId, usedAt: null } }) : 0;
  return { enabled: !!user.totpEnabledAt, enabledAt: user.totpEnabledAt, recoveryCodesLeft: left };
}

/** Starts enrolment: a new pending secret, as text and as a QR code (an SVG data URL). */
export async function beginEnrolment(userId: string, username: string) {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { totpEnabledAt: true } });
  if (user.totpEnabledAt) throw new BerthError("CONFLICT", "Two-factor sign-in is already on: turn it off first to enrol another app.");
  const secret = newTotpSecret();
  await db.user.update({ where: { id: userId }, data: { totpSecret: seal(secret, PURPOSE) } });
  const uri = otpauthUri(secret, username);
  const svg = await QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return { secret, uri, qrCode: `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}` };
}

/** Replaces the user's recovery codes with new ones; returns them in clear, the only time they are seen. */
async function replaceRecoveryCodes(userId: string): Promise<string[]> {
  const codes = newRecoveryCodes();
  await db.$transaction([
    db.recoveryCode.deleteMany({ where: { userId } }),
    db.recoveryCode.createMany({ data: codes.map((c) => ({ userId, hash: hashRecoveryCode(c)! })) }),
  ]);
  return codes;
}

/** Ends enrolment with the app's current code: two-factor sign-in is on, and the recovery codes are returned once. */
export async function confirmEnrolment(userId: string, code: string, now = Date.now()): Promise<string[]> {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { totpSecret: true, totpEnabledAt: true } });
  if (user.totpEnabledAt) throw new BerthError("CONFLICT", "Two-factor sign-in is already on.");
  const secret = secretOf(user.totpSecret);
  if (!secret) throw new BerthError("BAD_REQUEST", "Start the set-up again: there is no pending two-factor secret.");
  if (!(await acceptTotp(userId, secret, code, now))) {
    throw new BerthError("BAD_REQUEST", "authCode: wrong authentication code; check the app and the device's clock", { field: "authCode" });
  }
  await db.user.update({ where: { id: userId }, data: { totpEnabledAt: new Date(now) } });
  return replaceRecoveryCodes(userId);
}

export async function regenerateRecoveryCodes(userId: string): Promise<string[]> {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { totpEnabledAt: true } });
  if (!user.totpEnabledAt) throw new BerthError("BAD_REQUEST", "Two-factor sign-in is off: there are no recovery codes to replace.");
  return replaceRecoveryCodes(userId);
}

/** Turns two-factor sign-in off: the secret, the recovery codes and the used step are forgotten. */
export async function disableTwoFactor(userId: string): Promise<void> {
  await db.$transaction([
    db.user.update({ where: { id: userId }, data: { totpSecret: null, totpEnabledAt: null } }),
    db.recoveryCode.deleteMany({ where: { userId } }),
    db.setting.deleteMany({ where: { key: stepKey(userId) } }),
  ]);
}
