/**
 * Users, as an administrator manages them: list, create, make Administrator or
 * not, disable/enable, delete, reset a password. Whatever changes what a user
 * may do ends their sessions or open streams here, so it takes effect on their
 * next request (server/auth/sessions.ts, server/authz/changes.ts).
 */
import { passwordProblem } from "../auth/password-policy";
import { hashPassword } from "../auth/password";
import { revokeSessionsOf } from "../auth/sessions";
import { accessChanged } from "../authz/changes";
import { db } from "../db";
import { BerthError } from "../errors";
import { adminRuleProblem, type UserChange } from "./admin-rules";
import { plainChange, type ChangeRunner, type Tx } from "./change";

export type UserRole = "admin" | "user";

export interface UserRow {
  id: string;
  username: string;
  role: UserRole;
  disabled: boolean;
  mustChangePassword: boolean;
  twoFactor: boolean;
  createdAt: Date;
  lastLoginAt: Date | null;
  teams: { id: string; name: string; leader: boolean }[];
}

/** Never the password hash nor the TOTP secret: the columns are chosen one by one. */
const listed = {
  id: true,
  username: true,
  role: true,
  disabled: true,
  mustChangePassword: true,
  totpEnabledAt: true,
  createdAt: true,
  lastLoginAt: true,
  memberships: { select: { leader: true, team: { select: { id: true, name: true } } }, orderBy: { team: { name: "asc" } } },
} as const;

export async function listUsers(): Promise<UserRow[]> {
  const rows = await db.user.findMany({ select: listed, orderBy: { username: "asc" } });
  return rows.map((u) => ({
    id: u.id,
    username: u.username,
    role: u.role === "admin" ? "admin" : "user",
    disabled: u.disabled,
    mustChangePassword: u.mustChangePassword,
    twoFactor: !!u.totpEnabledAt,
    createdAt: u.createdAt,
    lastLoginAt: u.lastLoginAt,
    teams: u.memberships.map((m) => ({ id: m.team.id, name: m.team.name, leader: m.leader })),
  }));
}

function checkPassword(password: string, username: string, field = "password"): void {
  const problem = passwordProblem(password, username, field);
  if (problem) throw new BerthError("BAD_REQUEST", problem.message, { field: problem.field });
}

export async function createUser(input: { username: string; password: string; role: UserRole }, run: ChangeRunner = plainChange): Promise<{ id: string; username: string }> {
  checkPassword(input.password, input.username);
  const taken = await db.user.findUnique({ where: { username: input.username }, select: { id: true } });
  if (taken) throw new BerthError("CONFLICT", `username: "${input.username}" is already taken`, { field: "username" });
  const passwordHash = await hashPassword(input.password);
  return run({ type: "user", name: input.username }, (tx) =>
    tx.user.create({ data: { username: input.username, passwordHash, role: input.role }, select: { id: true, username: true } }),
  );
}

function userNotFound(id: string): BerthError {
  return new BerthError("NOT_FOUND", `id: no user with id "${id.slice(0, 64)}"`, { field: "id" });
}

async function target(tx: Tx, id: string) {
  const user = await tx.user.findUnique({ where: { id }, select: { id: true, username: true, role: true, disabled: true } });
  if (!user) throw userNotFound(id);
  return user;
}
type Target = Awaited<ReturnType<typeof target>>;

/** The audit target of a change to user `id` (named before the transaction: the entry is sealed inside it). */
async function named(id: string) {
  const user = await db.user.findUnique({ where: { id }, select: { id: true, username: true } });
  if (!user) throw userNotFound(id);
  return { type: "user", id: user.id, name: user.username };
}

/**
 * Runs `write` on the user inside one transaction with the admin rules checked
 * against the users as they are in it: two administrators disabling each other
 * at once cannot both win and leave nobody.
 */
async function guardedChange(run: ChangeRunner, actorId: string, id: string, change: UserChange, write: (tx: Tx, user: Target) => Promise<unknown>) {
  return run(await named(id), async (tx) => {
    const user = await ruleChecked(tx, actorId, id, change);
    await write(tx, user);
    return user;
  });
}

async function ruleChecked(tx: Tx, actorId: string, id: string, change: UserChange): Promise<Target> {
  const user = await target(tx, id);
  const enabledAdmins = await tx.user.count({ where: { role: "admin", disabled: false } });
  const problem = adminRuleProblem({ actorId, target: user, enabledAdmins, change });
  if (problem) throw new BerthError("BAD_REQUEST", problem, { field: "id" });
  return user;
}

/** Updates that no admin rule limits (promoting, enabling). */
async function unguardedChange(run: ChangeRunner, id: string, data: { role?: UserRole; disabled?: boolean }) {
  return run(await named(id), async (tx) => {
    const user = await target(tx, id);
    await tx.user.update({ where: { id: user.id }, data });
    return user;
  });
}

export async function setRole(actorId: string, id: string, role: UserRole, run: ChangeRunner = plainChange) {
  const user =
    role === "admin"
      ? await unguardedChange(run, id, { role })
      : await guardedChange(run, actorId, id, "demote", (tx, u) => tx.user.update({ where: { id: u.id }, data: { role } }));
  accessChanged(user.id);
  return { id: user.id, username: user.username, role };
}

export async function setDisabled(actorId: string, id: string, disabled: boolean, run: ChangeRunner = plainChange) {
  const user = disabled
    ? await guardedChange(run, actorId, id, "disable", (tx, u) => tx.user.update({ where: { id: u.id }, data: { disabled } }))
    : await unguardedChange(run, id, { disabled });
  if (disabled) {
    await revokeSessionsOf(user.id);
    accessChanged(user.id);
  }
  return { id: user.id, username: user.username, disabled };
}

export async function deleteUser(actorId: string, id: string, run: ChangeRunner = plainChange) {
  // Checked first, then their sessions end (and their sockets close) while the
  // session rows still exist to name them; the delete (checked again) cascades
  // to sessions, memberships, grants and tokens.
  const found = await db.$transaction((tx) => ruleChecked(tx, actorId, id, "delete"));
  await revokeSessionsOf(found.id);
  accessChanged(found.id);
  const user = await guardedChange(run, actorId, id, "delete", (tx, u) => tx.user.delete({ where: { id: u.id } }));
  return { id: user.id, username: user.username };
}

export async function resetPassword(actorId: string, id: string, password: string, run: ChangeRunner = plainChange) {
  const { name } = await named(id);
  checkPassword(password, name);
  const passwordHash = await hashPassword(password);
  const user = await guardedChange(run, actorId, id, "reset", (tx, u) => tx.user.update({ where: { id: u.id }, data: { passwordHash, mustChangePassword: true } }));
  await revokeSessionsOf(user.id);
  accessChanged(user.id);
  return { id: user.id, username: user.username };
}
