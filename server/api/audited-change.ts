/**
 * The ChangeRunner a tRPC mutation hands to server/users/ and server/security/:
 * the change and its audit entry in one transaction (auditedTransaction
 * completes the guard's pending entry there), with the target the change names.
 */
import { auditedTransaction } from "../audit";
import type { ChangeRunner } from "../users/change";
import type { Permission } from "./permissions";
import type { Context } from "./trpc";

export function auditedChange(ctx: Context, action: Permission): ChangeRunner {
  return (target, fn) => {
    ctx.audit.target = target;
    return auditedTransaction({ userId: ctx.user?.id, username: ctx.user?.username, sourceIp: ctx.sourceIp, userAgent: ctx.userAgent, action, target }, fn);
  };
}
