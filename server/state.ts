/**
 * Process-wide singletons. Next's bundle (pages, next-auth) and the custom
 * server (tRPC, WebSockets) are separate module graphs in one process; they
 * meet here, on globalThis.
 */

interface BerthState {
  /** The first-run token; undefined once an administrator exists. */
  setupToken?: string;
  adminExists?: boolean;
}

const g = globalThis as unknown as { __berthState?: BerthState };
export const state: BerthState = g.__berthState ?? (g.__berthState = {});
