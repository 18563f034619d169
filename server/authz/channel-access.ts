/**
 * Authorisation outside tRPC: WebSocket channels and REST routes ask the same
 * `authorize` with the permission they declare, and a refusal is recorded in
 * the audit history the same way.
 */
import { recordDenial } from "../audit";
import type { Permission } from "../api/permissions";
import { AccessDenied, authorize, type Access, type AuthzTarget } from "./authorize";
import { pendingStep, type Subject } from "./roles";

export interface Requester {
  sourceIp: string;
  userAgent?: string;
}

export async function authorizeRequest(user: Subject | null, permission: Permission, target: AuthzTarget, from: Requester): Promise<Access> {
  try {
    const access = await authorize(user, permission, target);
    if (pendingStep(user)) throw new AccessDenied(permission, "Finish signing in first (change your password or set up two-factor sign-in).");
    return access;
  } catch (err) {
    if (err instanceof AccessDenied) {
      await recordDenial({
        userId: user?.id,
        username: user?.username,
        sourceIp: from.sourceIp,
        userAgent: from.userAgent,
        action: permission,
        target: { ...(target.env ? { env: target.env } : {}), ...(target.ids?.length === 1 ? { id: target.ids[0] } : {}) },
        error: err.message,
      });
    }
    throw err;
  }
}

/** A channel subscription's check (the hub calls it before `open`). */
export function authorizeChannel(user: Subject, permission: Permission, target: AuthzTarget, sourceIp: string): Promise<Access> {
  return authorizeRequest(user, permission, target, { sourceIp });
}
