/**
 * Live container changes, applied to a cached list in one pass: a burst of
 * them (100 containers started from the CLI) is one new list, not one per change.
 */
import type { ContainerSummary } from "../../runtime/engine/protocol";

export type ContainerChange = { type: "upsert"; container: ContainerSummary } | { type: "remove"; id: string };

/**
 * `list` with `changes` applied in order, as if one at a time: a changed container
 * keeps its place, a new one (or one removed and created again) goes at the end.
 */
export function applyContainerChanges(list: ContainerSummary[], changes: ContainerChange[]): ContainerSummary[] {
  // By id, the last version; a Map keeps the order in which the new ones come.
  const latest = new Map<string, ContainerSummary>();
  const removed = new Set<string>();
  for (const ch of changes) {
    if (ch.type === "remove") {
      latest.delete(ch.id);
      removed.add(ch.id);
    } else latest.set(ch.container.id, ch.container);
  }
  const next: ContainerSummary[] = [];
  for (const c of list) {
    if (removed.has(c.id)) continue;
    const now = latest.get(c.id);
    latest.delete(c.id);
    next.push(now ?? c);
  }
  for (const c of latest.values()) next.push(c);
  return next;
}
