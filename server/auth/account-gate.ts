/**
 * Where a signed-in user must go before anything else: a new password after an
 * administrator's reset, then two-factor enrolment when it is required of them.
 * Pure; the page guard (server/http.ts) redirects by it, and the tRPC guard
 * refuses other procedures on the same two fields of the session user.
 */
export const CHANGE_PASSWORD_PAGE = "/account/password";
export const ENROL_TWO_FACTOR_PAGE = "/account/two-factor";

export function forcedAccountPage(
  user: { mustChangePassword?: boolean; mustEnrollTwoFactor?: boolean },
  pathname: string,
): string | undefined {
  const to = user.mustChangePassword ? CHANGE_PASSWORD_PAGE : user.mustEnrollTwoFactor ? ENROL_TWO_FACTOR_PAGE : undefined;
  return to && pathname !== to ? to : undefined;
}
