/**
 * A user's role on an environment: Administrator everywhere, else the
 * strongest of the grants given to them and to their teams there, else none
 * (the environment is not theirs to see).
 */
import { db } from "../db";
import { roleStrength, envRoles, type EnvRole, type Role } from "../api/permissions";

export interface Subject {
  id: string;
  username: string;
  /** "admin" (Administrator) or "user". */
  role: string;
  /** Set on a session user who must first change a reset password, or enrol two-factor sign-in. */
  mustChangePassword?: boolean;
  mustEnrollTwoFactor?: boolean;
}

const isEnvRole = (r: string): r is EnvRole => (envRoles as readonly string[]).includes(r);

export async function effectiveRole(user: Pick<Subject, "id" | "role">, environmentId: string): Promise<Role | null> {
  if (user.role === "admin") return "admin";
  const grants = await db.roleGrant.findMany({
    where: { environmentId, OR: [{ userId: user.id }, { team: { members: { some: { userId: user.id } } } }] },
    select: { role: true },
  });
  let best: EnvRole | null = null;
  for (const g of grants) if (isEnvRole(g.role) && (!best || roleStrength[g.role] > roleStrength[best])) best = g.role;
  return best;
}

/** The ids and names of the teams a user belongs to (Restricted access, the audit's team context). */
export async function teamsOf(userId: string): Promise<{ id: string; name: string; leader: boolean }[]> {
  const rows = await db.teamMembership.findMany({ where: { userId }, select: { leader: true, team: { select: { id: true, name: true } } } });
  return rows.map((r) => ({ id: r.team.id, name: r.team.name, leader: r.leader }));
}

/** The environments a non-administrator holds any role on. */
export async function grantedEnvironments(userId: string): Promise<Set<string>> {
  const grants = await db.roleGrant.findMany({
    where: { OR: [{ userId }, { team: { members: { some: { userId } } } }] },
    select: { environmentId: true },
  });
  return new Set(grants.map((g) => g.environmentId));
}
