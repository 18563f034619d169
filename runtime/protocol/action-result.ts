/**
 * What an action on a container answers, alone or as one line of a bulk
 * action: one shape from the engine to the page. Pure: pages read it too.
 */

/** `changed: false` is Docker's 304: the container was already in the asked state, not an error. */
export interface ActionResult {
  id: string;
  name?: string;
  changed: boolean;
}

/** One container's line in a bulk answer: its action's result, or why it failed (never instead of the others). */
export type BulkItemResult =
  | (ActionResult & { ok: true; error?: undefined; code?: undefined })
  | { id: string; name?: string; ok: false; changed?: undefined; error: string; code: string };

/** What the person reads for one bulk line: "ok", "already so" or the error. */
export function bulkItemText(r: BulkItemResult): string {
  if (!r.ok) return r.error;
  return r.changed ? "ok" : "already so";
}
