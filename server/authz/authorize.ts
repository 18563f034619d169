/**
 * The one authorisation function. Every tRPC procedure (server/api/trpc.ts),
 * WebSocket channel (server/realtime/hub.ts) and REST route
 * (server/http/runtime-download.ts) asks it, with the permission it declared
 * and what the call names (environment, objects, team); the answer comes from
 * the permission table (server/api/permissions.ts), the user's role grants
 * (./roles.ts) and the objects' ownership (./ownership.ts). There is no other
 * way in: the authorisation matrix test enumerates every procedure and channel
 * and runs them all through here.
 */
import { BerthError } from "../errors";
import { db } from "../db";
import { roleHolds, roleLabels, ruleOf, type Permission, type ResourceType, type Role } from "../api/permissions";
import type { Connection } from "../engines/registry";
import { canSee, controlFor, controlsOf, type Control, type Viewer } from "./ownership";
import { effectiveRole, teamsOf, type Subject } from "./roles";
import { securityAllows } from "../security/settings";
import { switchLabels, type SecuritySwitch } from "../security/switches";
import { withNetworkIds } from "./network-refs";

/** Permissions an environment's security settings also guard for non-administrators (server/security). */
const SWITCHES: Partial<Record<Permission, SecuritySwitch>> = {
  "container.exec": "allowConsole",
  "container.attach": "allowConsole",
  "volume.browse": "allowVolumeBrowsing",
  "volume.files.write": "allowVolumeBrowsing",
  "container.files.read": "allowVolumeBrowsing",
  "container.files.write": "allowVolumeBrowsing",
  "stack.create": "allowStackDeployment",
  "stack.update": "allowStackDeployment",
  "stack.adopt": "allowStackDeployment",
};

/** A refusal by the authorisation layer (not some other FORBIDDEN): audited as "denied". */
export class AccessDenied extends BerthError {
  readonly permission: Permission;
  constructor(permission: Permission, message: string) {
    super("FORBIDDEN", message);
    this.name = "AccessDenied";
    this.permission = permission;
  }
}

export interface AuthzTarget {
  /** The environment the call is on (its input's `env`). */
  env?: string;
  /** The objects the call names (its input's `id` or `ids`), as given: names and id prefixes are resolved. */
  ids?: readonly string[];
  /** The team a `team-leader` call is about. */
  teamId?: string;
  /** The environment's connection, to resolve container names through its live list. */
  conn?: Connection;
  /** The call reaches objects it does not name (a project's or every container's logs): refused under `own`. */
  merged?: boolean;
}

/** What was granted: the role it was granted under and, for `own`, which objects the user may see. */
export interface Access {
  role: Role | null;
  /** `all`: every object of the environment; `own`: only those `sees` admits (lists and streams filter by it). */
  scope: "all" | "own";
  /** Whether the user may see one object (always true under `all`). Synchronous: streams filter frames with it. */
  sees(type: ResourceType, id: string, labels?: Record<string, string>): boolean;
  /** The objects the call named, resolved to their full ids (containers). */
  resolved: string[];
  /** Reads the environment's ownership again (a stream that outlives a change of it). */
  refresh?: () => Promise<void>;
}

/** The access with its ownership read again, for a stream that was told it changed. */
export async function refreshed(access: Access): Promise<Access> {
  await access.refresh?.();
  return access;
}

const everything = (role: Role | null, resolved: string[] = []): Access => ({ role, scope: "all", sees: () => true, resolved });

function describe(permission: Permission): string {
  return `${permission} (${ruleOf(permission).scope === "admin" ? "Administrators only" : "not granted to your role"})`;
}

export async function viewerOf(user: Pick<Subject, "id">): Promise<Viewer> {
  return { id: user.id, teamIds: new Set((await teamsOf(user.id)).map((t) => t.id)) };
}

/** Access scoped to what a viewer may see, from one environment's controls as they are now. */
export function ownAccess(role: Role, viewer: Viewer, controls: Map<string, Control>, env?: string): Access {
  let current = controls;
  return {
    role,
    scope: "own",
    sees: (type, id, labels) => canSee(viewer, controlFor(current, type, id, labels)),
    resolved: [],
    refresh: env
      ? async () => {
          current = await controlsOf(env);
        }
      : undefined,
  };
}

/**
 * Decides one call. Resolves with what was granted, or throws AccessDenied
 * (FORBIDDEN) or BerthError UNAUTHORIZED (no user).
 */
export async function authorize(user: Subject | null, permission: Permission, target: AuthzTarget = {}): Promise<Access> {
  const rule = ruleOf(permission);
  if (rule.scope === "public") return everything(null);
  if (!user) throw new BerthError("UNAUTHORIZED", "Sign in first.");
  if (rule.scope === "self") return everything(user.role === "admin" ? "admin" : null);
  if (user.role === "admin") return everything("admin", [...(target.ids ?? [])]);
  if (rule.scope === "admin") throw new AccessDenied(permission, `Your role may not ${describe(permission)}.`);
  if (rule.scope === "team-leader") {
    if (!target.teamId) throw new AccessDenied(permission, `Only administrators and the team's leaders may ${permission}: name the team (teamId).`);
    const lead = await db.teamMembership.findUnique({ where: { teamId_userId: { teamId: target.teamId, userId: user.id } }, select: { leader: true } });
    if (!lead?.leader) throw new AccessDenied(permission, `Only administrators and this team's leaders may ${permission}.`);
    return everything(null);
  }

  // An environment rule. Without an environment (the list of environments) the caller filters by grants.
  if (!target.env) {
    // Only the list of environments is asked without one (it shows those the user holds a role on).
    if (permission === "environment.read") return { ...everything(null), scope: "own" };
    throw new AccessDenied(permission, `${permission} is granted per environment: name one (env).`);
  }
  const role = await effectiveRole(user, target.env);
  if (!role) throw new AccessDenied(permission, `You have no role on environment "${target.env}".`);
  const holds = roleHolds(role, permission);
  if (!holds) throw new AccessDenied(permission, `Your role (${roleLabels[role]}) may not ${permission} on environment "${target.env}".`);
  const guardedBy = SWITCHES[permission];
  if (guardedBy && !(await securityAllows(target.env, user, guardedBy))) {
    const what = guardedBy === "allowConsole" ? "The console is" : guardedBy === "allowStackDeployment" ? "Deploying stacks is" : "Browsing files is";
    throw new AccessDenied(permission, `${what} not allowed for non-administrators on environment "${target.env}" (setting: ${switchLabels[guardedBy].short}).`);
  }
  if (holds === "all" || !rule.resource) return everything(role, [...(target.ids ?? [])]);

  const [viewer, controls] = await Promise.all([viewerOf(user), controlsOf(target.env)]);
  const access = ownAccess(role, viewer, controls, target.env);
  checkObjects(access, permission, await withNetworkIds(permission, target));
  return access;
}

/**
 * Under `own` access, the objects a call names must each be ones the user may
 * see, and a call reaching objects it does not name is refused. (tRPC
 * procedures call this once their input is parsed; channels and routes
 * through `authorize` with their ids.)
 */
export function checkObjects(access: Access, permission: Permission, target: AuthzTarget): void {
  const rule = ruleOf(permission);
  if (access.scope === "all" || rule.scope !== "env" || !rule.resource) return;
  const role = access.role ? roleLabels[access.role] : "your role";
  if (target.merged) {
    throw new AccessDenied(permission, `Your role (${role}) may ${permission} only for containers you may see: name them one by one.`);
  }
  for (const ref of target.ids ?? []) {
    const found = rule.resource === "container" ? target.conn?.live.find(ref) : undefined;
    const id = found?.id ?? ref;
    if (!access.sees(rule.resource, id, found?.labels)) {
      throw new AccessDenied(permission, `Access denied to ${rule.resource} "${ref}": it is not yours, not shared with you, and not public.`);
    }
    access.resolved.push(id);
  }
}
