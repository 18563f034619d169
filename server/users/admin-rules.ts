/**
 * The rules that keep Berth administrable, pure: an administrator never locks
 * themselves out, and the last enabled Administrator is never disabled,
 * deleted or made a non-administrator (nobody could manage users then).
 */
export type UserChange = "disable" | "delete" | "demote" | "reset";

export interface AdminRuleInput {
  actorId: string;
  target: { id: string; role: string; disabled: boolean };
  /** How many users are enabled Administrators right now (the target included, if it is one). */
  enabledAdmins: number;
  change: UserChange;
}

const VERB: Record<UserChange, string> = {
  disable: "disable",
  delete: "delete",
  demote: "remove the Administrator role from",
  reset: "reset the password of",
};

/** Why the change is refused, or null when it may go ahead. */
export function adminRuleProblem({ actorId, target, enabledAdmins, change }: AdminRuleInput): string | null {
  if (target.id === actorId) {
    return change === "reset"
      ? "You cannot reset your own password here: change it from your account instead."
      : `You cannot ${VERB[change]} yourself: ask another administrator.`;
  }
  if (change === "reset") return null;
  const isEnabledAdmin = target.role === "admin" && !target.disabled;
  if (isEnabledAdmin && enabledAdmins <= 1) {
    return `You cannot ${VERB[change]} the last enabled administrator: Berth would have nobody to manage it. Make another user an administrator first.`;
  }
  return null;
}
