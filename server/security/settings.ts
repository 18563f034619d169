/**
 * An environment's security settings (the `Environment.security` JSON column)
 * and who they bind: everyone who is neither an Administrator nor an
 * Environment administrator on that environment.
 */
import { db } from "../db";
import { BerthError } from "../errors";
import { accessChanged } from "../authz/changes";
import { effectiveRole } from "../authz/roles";
import { plainChange, type ChangeRunner } from "../users/change";
import { parseSecurity, securitySwitches, type SecurityChange, type SecuritySettings, type SecuritySwitch } from "./switches";

export interface SecurityUser {
  id: string;
  role: string;
}

function notFound(env: string): BerthError {
  return new BerthError("NOT_FOUND", `env: environment "${env.slice(0, 64)}" not found`, { field: "env" });
}

/** The settings as stored; an environment that does not exist is NOT_FOUND naming `env`. */
export async function readSecurity(env: string): Promise<SecuritySettings> {
  const row = await db.environment.findUnique({ where: { id: env }, select: { security: true } });
  if (!row) throw notFound(env);
  return parseSecurity(row.security);
}

/**
 * Applies a change (only the switches it names) and returns the new settings.
 * Turning a switch off ends every non-administrator's open streams (a console
 * opened while it was on), so the next one is authorised under the new rule.
 */
export async function changeSecurity(env: string, change: SecurityChange, run: ChangeRunner = plainChange): Promise<SecuritySettings> {
  const { before, after } = await run({ env, type: "environment", id: env, name: `${env} security` }, async (tx) => {
    const row = await tx.environment.findUnique({ where: { id: env }, select: { security: true } });
    if (!row) throw notFound(env);
    const before = parseSecurity(row.security);
    const after: SecuritySettings = { ...before };
    for (const s of securitySwitches) if (change[s] !== undefined) after[s] = change[s];
    await tx.environment.update({ where: { id: env }, data: { security: JSON.stringify(after) } });
    return { before, after };
  });
  if (securitySwitches.some((s) => before[s] && !after[s])) {
    const users = await db.user.findMany({ where: { role: { not: "admin" } }, select: { id: true } });
    accessChanged(...users.map((u) => u.id));
  }
  return after;
}

/** Whether the settings bind this user on this environment (not an Administrator, not its Environment administrator). */
export async function boundBySecurity(user: SecurityUser, env: string): Promise<boolean> {
  if (user.role === "admin") return false;
  return (await effectiveRole(user, env)) !== "env-admin";
}

/**
 * Whether `user` may do what `switchName` guards on `env`: always for
 * administrators and the environment's administrators, else only when the
 * switch is on. The authorisation layer calls it for the console (exec,
 * attach, one-off commands) with `allowConsole`.
 */
export async function securityAllows(env: string, user: SecurityUser, switchName: SecuritySwitch): Promise<boolean> {
  if (!(await boundBySecurity(user, env))) return true;
  return (await readSecurity(env))[switchName];
}
