/**
 * The security settings in the create call path: every container Berth creates
 * for a non-administrator (the form, a pasted `docker run`, Duplicate, and
 * later stacks and templates) passes through checkCreateSpec before the
 * runtime sees it. Not a form rule: the API is refused the same way.
 */
import type { Connection } from "../engines/registry";
import { BerthError } from "../errors";
import { referencedContainers, specRefusals, type ReferencedContainer, type SecurityRefusal } from "./create-check";
import { boundBySecurity, readSecurity, type SecurityUser } from "./settings";

/** At most this many containers are inspected for one spec (`--volumes-from` lists): more is refused. */
const MAX_REFERENCED = 20;
/** How many refusals after the first one a refusal's message lists. */
const MORE_SHOWN = 4;

interface InspectedHost {
  Binds?: string[] | null;
  NetworkMode?: string;
  PidMode?: string;
  IpcMode?: string;
}

async function inspectReferenced(conn: Connection, names: string[]): Promise<Record<string, ReferencedContainer | undefined>> {
  const out: Record<string, ReferencedContainer | undefined> = {};
  await Promise.all(
    names.map(async (name) => {
      try {
        const { container } = await conn.runtime.call("containers.inspect", { id: name });
        const c = container as unknown as { HostConfig?: InspectedHost; Mounts?: { Type?: string }[] };
        const h = c.HostConfig ?? {};
        out[name] = {
          binds: (h.Binds ?? []).length > 0 || (c.Mounts ?? []).some((m) => m.Type === "bind"),
          networkMode: h.NetworkMode ?? "",
          pidMode: h.PidMode ?? "",
          ipcMode: h.IpcMode ?? "",
        };
      } catch {
        // Not there (or not a valid name): the engine refuses the create for it.
        out[name] = undefined;
      }
    }),
  );
  return out;
}

/** What the settings refuse in `spec` for this user on this environment (nothing for administrators). */
export async function createRefusals(user: SecurityUser, env: string, conn: Connection, spec: Record<string, unknown>): Promise<SecurityRefusal[]> {
  if (!(await boundBySecurity(user, env))) return [];
  const settings = await readSecurity(env);
  const names = referencedContainers(spec);
  if (names.length > MAX_REFERENCED) {
    return [{ field: "volumesFrom", setting: "allowBindMounts", message: `volumesFrom: at most ${MAX_REFERENCED} containers may be named` }];
  }
  const containers = names.length ? await inspectReferenced(conn, names) : {};
  return specRefusals(spec, settings, containers);
}

/**
 * Throws FORBIDDEN naming the first refused field and its setting
 * (`volumes[0].source: Bind mounts … (setting: Allow bind mounts)`); the
 * others follow in the message, so one try shows them all.
 */
export async function checkCreateSpec(user: SecurityUser | null, env: string, conn: Connection, spec: Record<string, unknown>): Promise<void> {
  if (!user) throw new BerthError("UNAUTHORIZED", "Sign in first.");
  const refusals = await createRefusals(user, env, conn, spec);
  const [first, ...rest] = refusals;
  if (!first) return;
  // A few more, not thousands (a spec may list many entries): the first ones say what to change.
  const shown = rest.slice(0, MORE_SHOWN).map((r) => r.message);
  if (rest.length > MORE_SHOWN) shown.push(`and ${rest.length - MORE_SHOWN} more`);
  const more = shown.length ? ` Also: ${shown.join("; ")}.` : "";
  throw new BerthError("FORBIDDEN", `${first.message}.${more}`, { field: first.field });
}
