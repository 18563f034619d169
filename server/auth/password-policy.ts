/**
 * The password policy, in one pure place: first-run setup, a user's own
 * change and an administrator's create/reset all check new passwords here.
 *
 * - at least PASSWORD_MIN characters (code points, so an emoji counts once)
 *   and at most PASSWORD_MAX: sign-in refuses longer credentials unread
 *   (credentials.ts), so a longer password could never be used;
 * - not the username, nor containing it (case-insensitive);
 * - not one of the bundled common passwords (case-insensitive).
 */
import { COMMON_PASSWORDS } from "./common-passwords";
import { CREDENTIAL_MAX } from "./credentials";

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = CREDENTIAL_MAX;
/** A username shorter than this is only refused as the whole password, not as a part of it ("al" is in too many words). */
const CONTAINS_MIN = 3;

export interface PasswordProblem {
  /** The input field at fault: `password`, `newPassword`… as the caller names it. */
  field: string;
  /** `field: rule`, the way every input error reads (runtime/protocol/zod-issues.ts). */
  message: string;
}

/** Why `password` is refused as a new password for `username`, or null when it is acceptable. */
export function passwordProblem(password: string, username: string, field = "password"): PasswordProblem | null {
  const problem = (rule: string): PasswordProblem => ({ field, message: `${field}: ${rule}` });
  const length = [...password].length;
  if (length < PASSWORD_MIN) return problem(`must be at least ${PASSWORD_MIN} characters`);
  if (length > PASSWORD_MAX) return problem(`must be at most ${PASSWORD_MAX} characters`);
  if (password.includes("\0")) return problem("must not contain NUL characters");
  const lower = password.toLowerCase();
  const name = username.trim().toLowerCase();
  if (name && (lower === name || (name.length >= CONTAINS_MIN && lower.includes(name)))) {
    return problem("must not contain the username");
  }
  if (COMMON_PASSWORDS.has(lower.trim())) return problem("is one of the most common passwords: choose another");
  return null;
}
