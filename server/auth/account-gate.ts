/**
 * Where a signed-in user must go before anything else: a new password after an
 * administrator's reset, then two-factor enrolment when it is required of them.
 * Pure; the page guard (server/http.ts) redirects by it, and the tRPC guard
 * refuses other procedures on the same two fields of the session user.
 */
export const CHANGE_PASSWORD_PAGE = "/account/password";
export const ENROL_TWO_FACTOR_PAGE = "/account/two-factor";

interface Pending {
  mustChangePassword?: boolean;
  mustEnrollTwoFactor?: boolean;
}

/** What a signed-in user must do before anything else: change a reset password, then enrol two-factor sign-in. */
export function pendingStep(user: Pending | null | undefined): "password" | "2fa" | null {
  if (user?.mustChangePassword === true) return "password";
  if (user?.mustEnrollTwoFactor === true) return "2fa";
  return null;
}

export function forcedAccountPage(user: Pending, pathname: string): string | undefined {
  const step = pendingStep(user);
  const to = step === "password" ? CHANGE_PASSWORD_PAGE : step === "2fa" ? ENROL_TWO_FACTOR_PAGE : undefined;
  return to && pathname !== to ? to : undefined;
}
