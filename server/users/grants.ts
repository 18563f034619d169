/**
 * Role grants: a role on one environment, given to a user or to a team. A user
 * acts with the strongest of their own and their teams' grants there
 * (server/authz/roles.ts). One grant per subject and environment: granting
 * again replaces the role.
 */
import type { EnvRole } from "../api/permissions";
import { accessChanged } from "../authz/changes";
import { db } from "../db";
import { BerthError } from "../errors";
import { plainChange, type ChangeRunner } from "./change";

export interface GrantRow {
  id: string;
  environmentId: string;
  role: string;
  createdAt: Date;
  subject: { type: "user"; id: string; name: string } | { type: "team"; id: string; name: string };
}

export type GrantSubject = { userId: string; teamId?: undefined } | { teamId: string; userId?: undefined };

async function environmentExists(env: string): Promise<void> {
  const row = await db.environment.findUnique({ where: { id: env }, select: { id: true } });
  if (!row) throw new BerthError("NOT_FOUND", `env: environment "${env}" not found`, { field: "env" });
}

/** The users a grant to this subject reaches: the user, or every member of the team. */
async function affected(subject: { userId?: string | null; teamId?: string | null }): Promise<string[]> {
  if (subject.userId) return [subject.userId];
  if (!subject.teamId) return [];
  return (await db.teamMembership.findMany({ where: { teamId: subject.teamId }, select: { userId: true } })).map((m) => m.userId);
}

export async function listGrants(env: string): Promise<GrantRow[]> {
  await environmentExists(env);
  const rows = await db.roleGrant.findMany({
    where: { environmentId: env },
    orderBy: { createdAt: "asc" },
    select: { id: true, environmentId: true, role: true, createdAt: true, user: { select: { id: true, username: true } }, team: { select: { id: true, name: true } } },
  });
  return rows.flatMap((g): GrantRow[] => {
    const base = { id: g.id, environmentId: g.environmentId, role: g.role, createdAt: g.createdAt };
    if (g.user) return [{ ...base, subject: { type: "user", id: g.user.id, name: g.user.username } }];
    if (g.team) return [{ ...base, subject: { type: "team", id: g.team.id, name: g.team.name } }];
    return [];
  });
}

export async function grantRole(env: string, subject: GrantSubject, role: EnvRole, run: ChangeRunner = plainChange): Promise<{ id: string; subject: string }> {
  await environmentExists(env);
  if (subject.userId !== undefined) {
    const user = await db.user.findUnique({ where: { id: subject.userId }, select: { id: true, username: true } });
    if (!user) throw new BerthError("NOT_FOUND", `userId: no user with id "${subject.userId}"`, { field: "userId" });
    const grant = await run({ env, type: "role-grant", name: `${role} for ${user.username}` }, (tx) =>
      tx.roleGrant.upsert({
        where: { environmentId_userId: { environmentId: env, userId: user.id } },
        create: { environmentId: env, userId: user.id, role },
        update: { role },
        select: { id: true },
      }),
    );
    accessChanged(user.id);
    return { id: grant.id, subject: user.username };
  }
  const team = await db.team.findUnique({ where: { id: subject.teamId }, select: { id: true, name: true } });
  if (!team) throw new BerthError("NOT_FOUND", `teamId: no team with id "${subject.teamId}"`, { field: "teamId" });
  const grant = await run({ env, type: "role-grant", name: `${role} for team ${team.name}` }, (tx) =>
    tx.roleGrant.upsert({
      where: { environmentId_teamId: { environmentId: env, teamId: team.id } },
      create: { environmentId: env, teamId: team.id, role },
      update: { role },
      select: { id: true },
    }),
  );
  accessChanged(...(await affected(subject)));
  return { id: grant.id, subject: `team ${team.name}` };
}

export async function revokeGrant(id: string, run: ChangeRunner = plainChange): Promise<{ id: string; environmentId: string }> {
  const grant = await db.roleGrant.findUnique({
    where: { id },
    select: { id: true, environmentId: true, role: true, userId: true, teamId: true, user: { select: { username: true } }, team: { select: { name: true } } },
  });
  if (!grant) throw new BerthError("NOT_FOUND", `id: no role grant with id "${id}"`, { field: "id" });
  const users = await affected(grant);
  const who = grant.user ? grant.user.username : `team ${grant.team?.name ?? "?"}`;
  await run({ env: grant.environmentId, type: "role-grant", id, name: `${grant.role} for ${who}` }, (tx) => tx.roleGrant.deleteMany({ where: { id } }));
  accessChanged(...users);
  return { id: grant.id, environmentId: grant.environmentId };
}
