/**
 * Teams: administrators create, rename and delete them and choose their
 * leaders; administrators and a team's leaders add and remove its members.
 * A membership carries the team's role grants, so every change to it is an
 * access change for the users concerned (their open streams close).
 */
import { accessChanged } from "../authz/changes";
import { db } from "../db";
import { BerthError } from "../errors";
import { plainChange, type ChangeRunner } from "./change";

export interface TeamRow {
  id: string;
  name: string;
  createdAt: Date;
  members: { userId: string; username: string; leader: boolean; disabled: boolean }[];
  grants: { environmentId: string; role: string }[];
}

function teamNotFound(teamId: string): BerthError {
  return new BerthError("NOT_FOUND", `teamId: no team with id "${teamId.slice(0, 64)}"`, { field: "teamId" });
}

/** Every team, or (for a leader who is not an administrator) only those they lead. */
export async function listTeams(opts: { leaderId?: string } = {}): Promise<TeamRow[]> {
  const rows = await db.team.findMany({
    where: opts.leaderId ? { members: { some: { userId: opts.leaderId, leader: true } } } : {},
    orderBy: { name: "asc" },
    select: {
      id: true,
      name: true,
      createdAt: true,
      members: { select: { leader: true, user: { select: { id: true, username: true, disabled: true } } }, orderBy: { user: { username: "asc" } } },
      grants: { select: { environmentId: true, role: true }, orderBy: { environmentId: "asc" } },
    },
  });
  return rows.map((t) => ({
    id: t.id,
    name: t.name,
    createdAt: t.createdAt,
    members: t.members.map((m) => ({ userId: m.user.id, username: m.user.username, leader: m.leader, disabled: m.user.disabled })),
    grants: t.grants,
  }));
}

async function nameFree(name: string, exceptId?: string): Promise<void> {
  const taken = await db.team.findUnique({ where: { name }, select: { id: true } });
  if (taken && taken.id !== exceptId) throw new BerthError("CONFLICT", `name: a team named "${name}" already exists`, { field: "name" });
}

export async function createTeam(name: string, run: ChangeRunner = plainChange): Promise<{ id: string; name: string }> {
  await nameFree(name);
  return run({ type: "team", name }, (tx) => tx.team.create({ data: { name }, select: { id: true, name: true } }));
}

export async function renameTeam(teamId: string, name: string, run: ChangeRunner = plainChange): Promise<{ id: string; name: string }> {
  const before = await teamName(teamId);
  await nameFree(name, teamId);
  return run({ type: "team", id: teamId, name: `${before} → ${name}` }, (tx) => tx.team.update({ where: { id: teamId }, data: { name }, select: { id: true, name: true } }));
}

export async function deleteTeam(teamId: string, run: ChangeRunner = plainChange): Promise<{ id: string; name: string }> {
  const name = await teamName(teamId);
  const members = await run({ type: "team", id: teamId, name }, async (tx) => {
    const ids = (await tx.teamMembership.findMany({ where: { teamId }, select: { userId: true } })).map((m) => m.userId);
    // Memberships and the team's grants go with it (cascade).
    await tx.team.delete({ where: { id: teamId } });
    return ids;
  });
  accessChanged(...members);
  return { id: teamId, name };
}

async function teamName(teamId: string): Promise<string> {
  const team = await db.team.findUnique({ where: { id: teamId }, select: { name: true } });
  if (!team) throw teamNotFound(teamId);
  return team.name;
}

export async function addMember(teamId: string, username: string, run: ChangeRunner = plainChange) {
  const team = await teamName(teamId);
  const user = await db.user.findUnique({ where: { username }, select: { id: true, username: true } });
  if (!user) throw new BerthError("NOT_FOUND", `username: no user named "${username}"`, { field: "username" });
  await run({ type: "team", id: teamId, name: `${team}: add ${user.username}` }, async (tx) => {
    const already = await tx.teamMembership.findUnique({ where: { teamId_userId: { teamId, userId: user.id } }, select: { userId: true } });
    if (already) throw new BerthError("CONFLICT", `username: "${username}" is already a member of ${team}`, { field: "username" });
    await tx.teamMembership.create({ data: { teamId, userId: user.id } });
  });
  accessChanged(user.id);
  return { teamId, team, userId: user.id, username: user.username };
}

async function membership(teamId: string, userId: string) {
  const team = await teamName(teamId);
  const m = await db.teamMembership.findUnique({ where: { teamId_userId: { teamId, userId } }, select: { user: { select: { username: true } } } });
  if (!m) throw new BerthError("NOT_FOUND", "userId: that user is not a member of this team", { field: "userId" });
  return { team, username: m.user.username };
}

export async function removeMember(teamId: string, userId: string, run: ChangeRunner = plainChange) {
  const m = await membership(teamId, userId);
  await run({ type: "team", id: teamId, name: `${m.team}: remove ${m.username}` }, (tx) => tx.teamMembership.deleteMany({ where: { teamId, userId } }));
  accessChanged(userId);
  return { teamId, userId, username: m.username };
}

/** A leader manages the team's membership; only administrators choose leaders (team.manage). */
export async function setLeader(teamId: string, userId: string, leader: boolean, run: ChangeRunner = plainChange) {
  const m = await membership(teamId, userId);
  await run({ type: "team", id: teamId, name: `${m.team}: ${m.username} ${leader ? "leads" : "no longer leads"}` }, (tx) =>
    tx.teamMembership.updateMany({ where: { teamId, userId }, data: { leader } }),
  );
  accessChanged(userId);
  return { teamId, userId, username: m.username, leader };
}

/** Usernames a team's member picker offers (enabled users not in the team yet): for administrators and that team's leaders. */
export async function memberCandidates(teamId: string): Promise<string[]> {
  await teamName(teamId);
  const rows = await db.user.findMany({
    where: { disabled: false, memberships: { none: { teamId } } },
    select: { username: true },
    orderBy: { username: "asc" },
    take: 1000,
  });
  return rows.map((r) => r.username);
}
