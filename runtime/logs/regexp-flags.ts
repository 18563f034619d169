/**
 * The node flags the runtime must be started with (server/supervisor.ts and the
 * tests' start-runtime add them; filter.ts refuses to load without them).
 * Searches run on V8's fast backtracking engine, but any match that backtracks
 * more than 1000 times is rerun by V8 on its linear-time engine, so no pattern
 * can hold the event loop ((a+)+$ included), while ordinary searches keep the
 * backtracking engine's speed (the linear engine alone is 10 to 60 times slower
 * on typical log lines). filter.ts only admits patterns the linear engine can
 * run, so that rerun is always possible.
 */
export const LINEAR_REGEXP_FLAGS = [
  "--enable-experimental-regexp-engine",
  "--enable-experimental-regexp-engine-on-excessive-backtracks",
  "--regexp-backtracks-before-fallback=1000",
] as const;
