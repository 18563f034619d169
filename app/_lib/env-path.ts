/**
 * A page address inside an environment: envPath("local", "/containers") → "/e/local/containers",
 * envPath("local", "") → "/e/local" (its home). Kept out of use-env.ts (a client module) so
 * server components can build addresses too.
 */
export function envPath(env: string, path: string): string {
  const base = `/e/${encodeURIComponent(env)}`;
  if (path === "") return base;
  return `${base}${path.startsWith("/") ? path : `/${path}`}`;
}

/** A path segment as it was before percent-encoding; undefined when it is not valid encoding. */
export function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
