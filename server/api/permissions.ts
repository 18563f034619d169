/**
 * Every action Berth can take, by name, and who may take it: the one
 * permission table. Procedures, WebSocket channels and REST routes each declare
 * one of these names, and server/authz/authorize.ts decides every call from
 * this table (README.md's "Roles and permissions" table is generated from it:
 * `npx tsx server/bin/permissions-doc.ts`; tests/unit/permissions-doc.test.ts fails when it is stale).
 *
 * Roles, as Portainer's business edition defines them:
 * - Administrator (`User.role = "admin"`): everything, everywhere, settings and users.
 * - Per environment, granted to a user or a team (`RoleGrant`): env-admin,
 *   operator, helpdesk, standard, readonly.
 *
 * An `env` rule lists the roles that hold a permission on **every** resource of
 * the environment (`all`), and those that hold it only on the resources they
 * may see (`own`: owned, given through Restricted, or Public; see
 * server/authz/ownership.ts).
 */
export const envRoles = ["env-admin", "operator", "helpdesk", "standard", "readonly"] as const;
export type EnvRole = (typeof envRoles)[number];
export type Role = "admin" | EnvRole;

export const roleLabels: Record<Role, string> = {
  admin: "Administrator",
  "env-admin": "Environment administrator",
  operator: "Operator",
  helpdesk: "Helpdesk",
  standard: "Standard user",
  readonly: "Read-only user",
};

/** Strongest first: a user with several grants on one environment (own and teams') acts with the strongest. */
export const roleStrength: Record<EnvRole, number> = { "env-admin": 5, operator: 4, helpdesk: 3, standard: 2, readonly: 1 };

export type ResourceType = "container" | "stack" | "volume" | "network" | "template";

export type Rule =
  /** Anyone, signed in or not. */
  | { scope: "public" }
  /** Any signed-in user, about their own account (password, 2FA, sessions, tokens). */
  | { scope: "self" }
  /** Administrators only. */
  | { scope: "admin" }
  /** Administrators, and leaders of the team named by the input's `teamId`. */
  | { scope: "team-leader" }
  /** On one environment (the input's `env`), by role; `resource`: the input's `id`/`ids` name objects of this type. */
  | { scope: "env"; all: readonly EnvRole[]; own?: readonly EnvRole[]; resource?: ResourceType };

const EVERY: readonly EnvRole[] = envRoles;
const WIDE_READERS: readonly EnvRole[] = ["env-admin", "operator", "helpdesk"];
const OWN_READERS: readonly EnvRole[] = ["standard", "readonly"];
const OPERATORS: readonly EnvRole[] = ["env-admin", "operator"];

const read = (resource: ResourceType = "container"): Rule => ({ scope: "env", all: WIDE_READERS, own: OWN_READERS, resource });
const operate = (resource: ResourceType = "container"): Rule => ({ scope: "env", all: OPERATORS, own: ["standard"], resource });
const manage = (resource: ResourceType = "container"): Rule => ({ scope: "env", all: ["env-admin"], own: ["standard"], resource });
const download = (resource: ResourceType = "container"): Rule => ({ scope: "env", all: WIDE_READERS, own: ["standard"], resource });
const envAdmin: Rule = { scope: "env", all: ["env-admin"] };

interface PermissionSpec {
  description: string;
  rule: Rule;
}

const spec = (description: string, rule: Rule): PermissionSpec => ({ description, rule });

export const permissionTable = {
  // Anyone.
  "public.health": spec("Read the health endpoint", { scope: "public" }),
  "setup.create-admin": spec("Create the first administrator", { scope: "public" }),
  "setup.restore": spec("Restore a backup into a Berth that has no administrator yet", { scope: "public" }),
  "auth.sign-in": spec("Sign in", { scope: "public" }),
  // One's own account.
  "session.read": spec("Read one's own session", { scope: "self" }),
  "ws.ticket": spec("Open the live WebSocket", { scope: "self" }),
  "account.manage": spec("Change one's own password, two-factor sign-in, sessions and API tokens", { scope: "self" }),
  // Administrators.
  "user.manage": spec("Create, disable, delete users, reset their passwords, grant roles", { scope: "admin" }),
  "team.manage": spec("Create, rename and delete teams, choose their leaders", { scope: "admin" }),
  "team.members": spec("Add and remove a team's members", { scope: "team-leader" }),
  "registry.manage": spec("Add, change, test and remove registries and their credentials; browse and delete their tags", { scope: "admin" }),
  "settings.manage": spec("Change Berth's settings (two-factor enforcement, audit retention, TLS)", { scope: "admin" }),
  "audit.read": spec("Read, verify and export the audit history, replay console recordings", { scope: "admin" }),
  "backup.create": spec("Download a backup of Berth's data", { scope: "admin" }),
  // An environment.
  "environment.read": spec("List environments and read their settings", { scope: "env", all: EVERY }),
  "environment.security.manage": spec("Change what non-administrators may do on an environment", envAdmin),
  "engine.read": spec("Read engine information", { scope: "env", all: EVERY }),
  "events.read": spec("Read the engine's events, live and past", read()),
  "image.inspect": spec("Read an image's defaults (command, entrypoint, ports…)", { scope: "env", all: EVERY }),
  "image.list": spec("List and inspect images (tags, layers, history, containers using them) and search registries", { scope: "env", all: EVERY }),
  "image.pull": spec("Pull an image", { scope: "env", all: ["env-admin", "standard"] }),
  "image.build": spec("Build an image from a Dockerfile or a context", { scope: "env", all: ["env-admin", "standard"] }),
  "image.tag": spec("Tag an image", { scope: "env", all: ["env-admin", "standard"] }),
  "image.push": spec("Push an image to a registry", { scope: "env", all: ["env-admin"] }),
  "image.remove": spec("Remove or untag an image", { scope: "env", all: ["env-admin"] }),
  "image.save": spec("Download images as a tar (docker save)", { scope: "env", all: ["env-admin", "operator", "standard"] }),
  "image.load": spec("Load images from a tar or import a filesystem tar as an image (docker load, docker import)", { scope: "env", all: ["env-admin", "standard"] }),
  "volume.list": spec("List and inspect volumes", read("volume")),
  "volume.create": spec("Create a volume", { scope: "env", all: ["env-admin", "standard"] }),
  "volume.remove": spec("Remove a volume", manage("volume")),
  "volume.browse": spec("Browse and download a volume's files", download("volume")),
  "volume.files.write": spec("Upload, rename, delete files and create folders in a volume", manage("volume")),
  "network.list": spec("List and inspect networks", read("network")),
  "network.create": spec("Create a network", { scope: "env", all: ["env-admin", "standard"] }),
  "network.remove": spec("Remove a network", manage("network")),
  "container.files.read": spec("Browse and download a container's files (docker cp from a container)", download()),
  "container.files.write": spec("Upload files into a container (docker cp into a container)", manage()),
  "system.df": spec("Read the engine's disk usage (docker system df)", { scope: "env", all: WIDE_READERS }),
  "system.prune": spec("Prune unused images, containers, volumes, networks and build cache (with a preview)", envAdmin),
  "task.read": spec("Follow long operations (pulls, pushes, builds, loads): one's own, or everyone's for Environment administrators", { scope: "env", all: ["env-admin"], own: ["operator", "helpdesk", "standard", "readonly"] }),
  "task.cancel": spec("Cancel a long operation: one's own, or anyone's for Environment administrators", { scope: "env", all: ["env-admin"], own: ["operator", "helpdesk", "standard", "readonly"] }),
  "container.list": spec("List containers", read()),
  "container.inspect": spec("Inspect a container", read()),
  "container.top": spec("List a container's processes", read()),
  "container.diff": spec("List a container's filesystem changes", read()),
  "container.stats": spec("Read containers' live CPU, memory, network and block I/O figures and their history", read()),
  "container.logs": spec("Read and search a container's logs and recorded log history", read()),
  "container.logs.download": spec("Download a container's logs", download()),
  "container.export": spec("Export a container's filesystem", download()),
  "container.start": spec("Start a container", operate()),
  "container.stop": spec("Stop a container", operate()),
  "container.restart": spec("Restart a container", operate()),
  "container.kill": spec("Kill a container (send a signal)", operate()),
  "container.pause": spec("Pause or resume a container", operate()),
  "container.update": spec("Change a container's resources and restart policy", operate()),
  "container.recreate": spec("Recreate a container", operate()),
  "container.exec": spec("Open a console in a container (docker exec) and run one-off commands in it", operate()),
  "container.attach": spec("Attach to a container's main process", operate()),
  "container.bulk": spec("Act on many containers at once (each action also needs its own permission)", operate()),
  "container.rename": spec("Rename a container", manage()),
  "container.remove": spec("Remove a container", manage()),
  "container.commit": spec("Commit a container to an image", manage()),
  "container.network": spec("Connect a container to or disconnect it from a network", manage()),
  "container.create": spec("Create (and start) a container", { scope: "env", all: ["env-admin", "standard"] }),
  "stack.list": spec("List stacks (compose projects) and read their files, services, versions and diffs", read("stack")),
  "stack.create": spec("Deploy a new stack (from the editor or a template)", { scope: "env", all: ["env-admin", "standard"] }),
  "stack.update": spec("Update a stack's file and redeploy it, or roll it back to a version", manage("stack")),
  "stack.operate": spec("Start, stop and restart a stack or one of its services, and scale a service", operate("stack")),
  "stack.remove": spec("Take a stack down (docker-compose down), optionally with its volumes and images", manage("stack")),
  "stack.adopt": spec("Adopt a compose project started from the CLI, so Berth manages it", envAdmin),
  "template.read": spec("List app templates (built-in, from the template sources, and custom ones)", { scope: "env", all: EVERY }),
  "template.manage": spec("Create custom templates, and change or delete one's own (Environment administrators: any)", { scope: "env", all: ["env-admin", "standard"] }),
  "resource.access.manage": spec("Change who may see and manage a resource (its ownership)", manage()),
  "logs.history.manage": spec("Turn log history on or off for containers and projects", envAdmin),
  "console.recording.manage": spec("Turn recording of console sessions on or off for an environment", envAdmin),
} as const satisfies Record<string, PermissionSpec>;

export type Permission = keyof typeof permissionTable;

/** Descriptions by name (what pages and docs show). */
export const permissions = Object.fromEntries(Object.entries(permissionTable).map(([k, v]) => [k, v.description])) as Record<Permission, string>;

export function ruleOf(permission: Permission): Rule {
  return permissionTable[permission].rule;
}

/** Permissions anyone may use without signing in. */
export const publicPermissions: ReadonlySet<Permission> = new Set(
  (Object.keys(permissionTable) as Permission[]).filter((p) => permissionTable[p].rule.scope === "public"),
);

/**
 * Whether `role` holds `permission` at all, on some resource (`"all"`: on every one,
 * `"own"`: on those it may see), or not (`false`). Pure: the table, no database.
 */
export function roleHolds(role: Role, permission: Permission): "all" | "own" | false {
  const rule = ruleOf(permission);
  if (rule.scope === "public" || role === "admin") return "all";
  if (rule.scope === "self") return "all";
  if (rule.scope === "admin") return false;
  if (rule.scope === "team-leader") return "own";
  if (rule.all.includes(role)) return "all";
  if (rule.own?.includes(role)) return "own";
  return false;
}

/** @deprecated the coarse check before server/authz: whether the role holds the permission on anything. */
export function roleAllows(role: string, permission: Permission): boolean {
  return roleHolds(role === "admin" ? "admin" : "readonly", permission) !== false;
}
