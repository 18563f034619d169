/**
 * A create whose runtime died (or stopped answering) mid-call may or may not have
 * made the container: the engine is the only one who knows. Rather than report a
 * failure for a container that exists (and have the retry fail with "name in
 * use"), the dashboard waits for the supervisor to bring the runtime back, asks
 * the engine for the container by name, and says what exists.
 *
 * An unnamed create cannot be checked: the engine names it at random, and
 * matching by image and creation time would guess wrong whenever two creates of
 * one image overlap (bulk, another user, a compose project). So it says so, and
 * points at the list.
 */
import { methods, type MethodInput, type MethodResults } from "../runtime/protocol/index";
import type { Connection } from "./engines/registry";
import { RuntimeCallError, type RuntimeClient } from "./engines/runtime-client";

/** How long to wait for a restarted runtime before saying that nothing is known. */
export const RECONCILE_WAIT_MS = 15_000;

type CreateInput = MethodInput<"containers.create">;
type CreateResult = MethodResults["containers.create"];

/** The call reached the runtime and its answer never came: the engine may have acted. */
function interrupted(err: unknown): boolean {
  if (!(err instanceof RuntimeCallError)) return false;
  if (err.code === "TIMEOUT") return true;
  if (err.code !== "RUNTIME_UNAVAILABLE") return false;
  // Refused or no socket: the request never left the dashboard, so nothing happened.
  const cause = (err.cause as NodeJS.ErrnoException | undefined)?.code;
  return cause !== "ECONNREFUSED" && cause !== "ENOENT";
}

async function runtimeBack(runtime: RuntimeClient, deadline: number): Promise<boolean> {
  while (Date.now() < deadline) {
    try {
      await runtime.call("engine.status", {}, { timeoutMs: 2_000 });
      return true;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return false;
}

function outcome(message: string, extra: { containerId?: string; created?: boolean } = {}): RuntimeCallError {
  return new RuntimeCallError({ code: "RUNTIME_UNAVAILABLE", message, ...extra });
}

/**
 * `containers.create` in one environment, reconciled with its engine when the call is
 * interrupted. `onFound` learns the id of a container that turns out to exist (for the audit row).
 */
export async function createReconciled(
  conn: Pick<Connection, "runtime" | "live">,
  input: CreateInput,
  onFound: (id: string, name: string) => void,
): Promise<CreateResult> {
  const parsed = methods["containers.create"].parse(input);
  const raw = parsed.spec.name;
  const name = typeof raw === "string" && raw.trim() ? raw.trim().replace(/^\//, "") : undefined;
  // What the name already led to before the call (a container of that name, or one whose id
  // starts with it, as the engine resolves it below): finding that afterwards proves nothing.
  const heldBefore = name ? conn.live.find(name)?.id : undefined;
  try {
    return await conn.runtime.call("containers.create", input);
  } catch (err) {
    if (!interrupted(err)) throw err;
    const what = (err as Error).message;
    const back = await runtimeBack(conn.runtime, Date.now() + RECONCILE_WAIT_MS);
    if (!back) {
      throw outcome(
        `The runtime stopped during the create (${what}) and has not answered for ${RECONCILE_WAIT_MS / 1000} s: ` +
          `whether container ${name ?? "(unnamed)"} was created is not known. Look for it in the container list once the runtime is back.`,
      );
    }
    const restarted = "The runtime restarted during the create";
    if (!name) {
      throw outcome(
        `${restarted}; the container had no name, so Berth cannot tell whether it was created: ` +
          "look for it in the container list (newest first) before creating it again.",
      );
    }
    let found: MethodResults["containers.inspect"]["container"] | undefined;
    try {
      found = (await conn.runtime.call("containers.inspect", { id: name })).container;
    } catch (e) {
      if (!(e instanceof RuntimeCallError && e.code === "NOT_FOUND")) {
        throw outcome(`${restarted}, and checking whether container ${name} exists failed (${(e as Error).message}): look for it in the container list.`);
      }
    }
    if (!found || found.Id === heldBefore) {
      throw outcome(`${restarted}; container ${name} was not created: you can create it again.`);
    }
    onFound(found.Id, name);
    const state = found.State?.Status;
    const how =
      state === "running" ? "and is running" : parsed.createOnly ? "(not started, as asked)" : `but not started (state: ${state ?? "unknown"})`;
    throw outcome(`${restarted}; container ${name} was created (id ${found.Id.slice(0, 12)}) ${how}.`, { containerId: found.Id, created: true });
  }
}
