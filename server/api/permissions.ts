/**
 * Every action Berth can take, by name. Procedures and WebSocket channels
 * declare one of these; the role model (later) maps roles to sets of them.
 */
export const permissions = {
  // Open to anyone: health, first-run setup, sign-in.
  "public.health": "Read the health endpoint",
  "setup.create-admin": "Create the first administrator",
  "auth.sign-in": "Sign in",
  // Signed-in users.
  "session.read": "Read one's own session",
  "ws.ticket": "Open the live WebSocket",
  "engine.read": "Read engine information",
  "environment.read": "List environments and read their settings",
  "container.list": "List containers",
  "container.inspect": "Inspect a container",
  "container.start": "Start a container",
  "container.stop": "Stop a container",
  "container.restart": "Restart a container",
  "container.remove": "Remove a container",
  "container.top": "List a container's processes",
  "container.diff": "List a container's filesystem changes",
  "container.stats": "Read containers' live CPU, memory, network and block I/O figures and their history",
  "container.kill": "Kill a container (send a signal)",
  "container.pause": "Pause or resume a container",
  "container.rename": "Rename a container",
  "container.update": "Change a container's resources and restart policy",
  "container.commit": "Commit a container to an image",
  "container.recreate": "Recreate a container",
  "container.export": "Export a container's filesystem",
  "container.network": "Connect a container to or disconnect it from a network",
  "container.bulk": "Act on many containers at once",
  "container.create": "Create (and start) a container",
  "image.inspect": "Read an image's defaults (command, entrypoint, ports…)",
  "container.logs": "Read, search and download a container's logs and recorded log history",
  "container.exec": "Open a console in a container (docker exec) and run one-off commands in it",
  "container.attach": "Attach to a container's main process",
  "console.recording.manage": "Turn recording of console sessions on or off for an environment",
  "logs.history.manage": "Turn log history on or off for containers and projects",
  "events.read": "Read the engine's events, live and past",
  "audit.read": "Read the audit history",
} as const;

export type Permission = keyof typeof permissions;

/** Permissions anyone may use without signing in. */
export const publicPermissions: ReadonlySet<Permission> = new Set([
  "public.health",
  "setup.create-admin",
  "auth.sign-in",
]);

export type Role = "admin";

/** Which permissions a role holds. Only admin exists today. */
export function roleAllows(role: string, permission: Permission): boolean {
  if (publicPermissions.has(permission)) return true;
  return role === "admin";
}
