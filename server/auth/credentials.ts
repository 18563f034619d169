/**
 * Bounds on what a sign-in may carry, checked before anything is looked up,
 * stored or audited.
 */
export const CREDENTIAL_MAX = 256;
/** How much of a refused username the audit row keeps. */
const AUDIT_NAME_MAX = 64;

/** An authentication code or a recovery code (xxxx-xxxx-xxxx-xxxx), with room for spaces. */
export const CODE_MAX = 64;

export interface CredentialProblem {
  field: "username" | "password" | "code";
  message: string;
}

export type CheckedCredentials =
  | { ok: true; username: string; password: string; /** The second factor, when sent (the second step of sign-in). */ code?: string }
  | ({ ok: false } & CredentialProblem);

export function checkCredentials(raw: { username?: unknown; password?: unknown; code?: unknown } | undefined): CheckedCredentials {
  const username = typeof raw?.username === "string" ? raw.username.trim() : "";
  const password = typeof raw?.password === "string" ? raw.password : "";
  const code = typeof raw?.code === "string" ? raw.code.trim() : "";
  if (!username) return { ok: false, field: "username", message: "Username is required." };
  if (username.length > CREDENTIAL_MAX) {
    return { ok: false, field: "username", message: `Username must be at most ${CREDENTIAL_MAX} characters.` };
  }
  if (!password) return { ok: false, field: "password", message: "Password is required." };
  if (password.length > CREDENTIAL_MAX) {
    return { ok: false, field: "password", message: `Password must be at most ${CREDENTIAL_MAX} characters.` };
  }
  if (code.length > CODE_MAX) return { ok: false, field: "code", message: `Authentication code must be at most ${CODE_MAX} characters.` };
  return { ok: true, username, password, ...(code ? { code } : {}) };
}

/** A username as the audit keeps it: never more than a short prefix of what was sent. */
export function auditName(username: unknown): string {
  const s = typeof username === "string" ? username.trim() : "";
  return s.length > AUDIT_NAME_MAX ? `${s.slice(0, AUDIT_NAME_MAX)}…` : s;
}
