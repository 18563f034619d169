/**
 * How a container reference picks one container, the same everywhere (runtime
 * lookups, procedures, downloads, pages). What a reference may look like is
 * ids.ts; this is which container it means. Pure: pages use it too.
 */

/** A container as references see it; `ids` when one name has had several containers (recorded logs), `id` otherwise. */
export interface RefCandidate {
  id: string;
  name: string;
  ids?: readonly string[];
}

export type RefResolution<T> =
  | { ok: true; container: T }
  | { ok: false; reason: "not-found" | "ambiguous"; message: string };

/**
 * Picks the container `ref` names among `candidates`, in Docker's order
 * (daemon.GetContainer): the full id, then the exact name, then an id prefix
 * that only one container has. A name therefore wins over another container
 * whose id starts with the same characters, and a prefix several ids share is
 * an error that names it, never a guess.
 */
export function resolveContainerRef<T extends RefCandidate>(ref: string, candidates: Iterable<T>): RefResolution<T> {
  const wanted = ref.startsWith("/") ? ref.slice(1) : ref;
  let byName: T | undefined;
  const byPrefix: T[] = [];
  if (ref !== "") {
    for (const c of candidates) {
      const ids = c.ids ?? [c.id];
      if (ids.includes(ref)) return { ok: true, container: c };
      if (c.name === wanted) byName ??= c;
      else if (ids.some((id) => id.startsWith(ref))) byPrefix.push(c);
    }
  }
  if (byName) return { ok: true, container: byName };
  if (byPrefix.length === 1) return { ok: true, container: byPrefix[0] };
  if (byPrefix.length > 1) {
    return {
      ok: false,
      reason: "ambiguous",
      message: `container ${JSON.stringify(ref)} is ambiguous: the ids of ${byPrefix.length} containers start with it (give more of the id, or the name)`,
    };
  }
  return { ok: false, reason: "not-found", message: `no such container: ${JSON.stringify(ref)}` };
}

/** The container `ref` names, or undefined when none or several do: to label things, not to act on them. */
export function findContainer<T extends RefCandidate>(ref: string, candidates: Iterable<T>): T | undefined {
  const r = resolveContainerRef(ref, candidates);
  return r.ok ? r.container : undefined;
}
