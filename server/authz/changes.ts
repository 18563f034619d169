/**
 * "What this user may do has changed": disabling, deleting, a role grant, a
 * team membership. Every open stream of theirs was authorised under the old
 * rights, so each one watching here closes, and the page's reconnect is
 * authorised afresh. Kept on globalThis: Next's bundle (pages) and the custom
 * server (WebSockets) are two module graphs in one process.
 */
type Watcher = () => void;
const g = globalThis as unknown as { __berthAccess?: Map<string, Set<Watcher>> };
const watchers: Map<string, Set<Watcher>> = g.__berthAccess ?? (g.__berthAccess = new Map());

/** Calls onChange (once) when the user's access changes; returns the function that stops watching. */
export function onAccessChange(userId: string, onChange: Watcher): () => void {
  const set = watchers.get(userId) ?? new Set<Watcher>();
  watchers.set(userId, set);
  set.add(onChange);
  return () => {
    set.delete(onChange);
    if (!set.size && watchers.get(userId) === set) watchers.delete(userId);
  };
}

/** Ends every open stream of these users (one id, or many: a team's members). */
export function accessChanged(...userIds: string[]): void {
  for (const id of userIds) {
    const set = watchers.get(id);
    watchers.delete(id);
    for (const w of set ?? []) {
      try {
        w();
      } catch (err) {
        console.error("[authz] an access-change watcher failed", err);
      }
    }
  }
}
