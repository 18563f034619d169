/**
 * Every way in (tRPC procedures, WebSocket channels, REST routes) asks the same
 * `authorize` with the permission they declare, and a refusal is recorded in
 * the audit history the same way.
 */
import { recordDenial } from "../audit";
import type { Permission } from "../api/permissions";
import { SESSION_ONLY_MESSAGE, tokenMayUse } from "../auth/api-token";
import { AccessDenied, authorize, checkObjects, type Access, type AuthzTarget } from "./authorize";
import type { Subject } from "./roles";
import { pendingStep } from "../auth/account-gate";
import { withNetworkIds } from "./network-refs";

export interface Requester {
  sourceIp: string;
  userAgent?: string;
  /** How the caller signed in: a token may not use the session-only permissions (../auth/api-token.ts). */
  via?: "session" | "token";
  /** For the audit entry of a refusal: the object the call named, and its input. */
  refused?: { id?: string; details?: unknown };
}

/** What a user who must first change their password or enrol two-factor may still do. */
const PENDING_ALLOWED: ReadonlySet<Permission> = new Set<Permission>(["session.read", "account.manage", "auth.sign-in", "public.health"]);

/**
 * `authorize`, then what holds for every way in: a token's session-only
 * permissions, and the step a user must take before anything else. A refusal
 * is recorded in the audit history.
 */
export async function authorizeRequest(user: Subject | null, permission: Permission, target: AuthzTarget, from: Requester): Promise<Access> {
  try {
    const access = await authorize(user, permission, target);
    if (from.via === "token" && !tokenMayUse(permission)) throw new AccessDenied(permission, SESSION_ONLY_MESSAGE);
    const pending = pendingStep(user);
    if (pending && !PENDING_ALLOWED.has(permission)) {
      throw new AccessDenied(permission, pending === "password" ? "Change your password first (an administrator reset it)." : "Set up two-factor sign-in first: it is required for your account.");
    }
    return access;
  } catch (err) {
    await recordRefusal(user, permission, target, from, err);
    throw err;
  }
}

/** `checkObjects` for a call whose objects are known only after its input is parsed; a refusal is recorded the same way. */
export async function authorizeObjects(user: Subject | null, access: Access, permission: Permission, target: AuthzTarget, from: Requester): Promise<void> {
  try {
    // Networks are owned by id: a name or prefix is resolved first (network-refs.ts).
    checkObjects(access, permission, access.scope === "own" ? await withNetworkIds(permission, target) : target);
  } catch (err) {
    await recordRefusal(user, permission, target, from, err);
    throw err;
  }
}

/** A refusal by the authorisation layer is an audit entry (outcome "denied"); other errors are not refusals. */
async function recordRefusal(user: Subject | null, permission: Permission, target: AuthzTarget, from: Requester, err: unknown): Promise<void> {
  if (!(err instanceof AccessDenied)) return;
  const id = from.refused?.id ?? (target.ids?.length === 1 ? target.ids[0] : undefined);
  await recordDenial({
    userId: user?.id,
    username: user?.username,
    sourceIp: from.sourceIp,
    userAgent: from.userAgent,
    action: permission,
    target: { ...(target.env ? { env: target.env } : {}), ...(id !== undefined ? { id } : {}) },
    error: err.message,
    ...(from.refused?.details !== undefined ? { details: from.refused.details } : {}),
  });
}

/** A channel subscription's check (the hub calls it before `open`). */
export function authorizeChannel(user: Subject, permission: Permission, target: AuthzTarget, sourceIp: string): Promise<Access> {
  return authorizeRequest(user, permission, target, { sourceIp });
}
