/**
 * Docker answers 304 when a container is already in the state an action asks
 * for (start a running one, stop a stopped one, pause a paused one): an answer,
 * not a failure. One place reads it, so every action reports it the same way.
 */

/** True for the engine's 304 as dockerode reports it. */
export function isNotModified(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { statusCode?: unknown }).statusCode === 304;
}

/** Runs an engine call; true when it changed something, false when the engine said 304. Other errors are thrown. */
export async function changedUnlessNotModified(call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (err) {
    if (isNotModified(err)) return false;
    throw err;
  }
}
