#!/usr/bin/env bash
# Installs what is missing, builds when the sources changed, migrates, and
# starts Berth (dashboard + runtime) on BERTH_PORT (default 9000).
set -euo pipefail
cd "$(dirname "$0")/../.."

# `npm install`, not `npm ci`: npm 11 here (omit-lockfile-registry-resolved) calls a
# lock without other platforms' optional packages "out of sync", though it installs from it.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[berth] installing dependencies (npm install)"
  npm install --no-audit --no-fund --loglevel=error
fi
if [ ! -f node_modules/.prisma/client/index.js ] || [ prisma/schema.prisma -nt node_modules/.prisma/client/index.js ]; then
  npx --no-install prisma generate >/dev/null
fi
DIST="${BERTH_NEXT_DIST:-.next}"
if [ ! -f "$DIST/BUILD_ID" ] || [ -n "$(find app server runtime public next.config.js package-lock.json -newer "$DIST/BUILD_ID" -print -quit 2>/dev/null)" ]; then
  echo "[berth] building the dashboard (next build)"
  # Next adds its build folder's type globs to tsconfig.json; keep the file as committed.
  cp tsconfig.json /tmp/berth-tsconfig.$$.json
  # Also when the start is interrupted mid-build.
  trap 'cp /tmp/berth-tsconfig.$$.json tsconfig.json; rm -f /tmp/berth-tsconfig.$$.json; exit 130' INT TERM
  npx --no-install next build >/tmp/berth-build.$$.log 2>&1 || { cp /tmp/berth-tsconfig.$$.json tsconfig.json; cat /tmp/berth-build.$$.log; exit 1; }
  cp /tmp/berth-tsconfig.$$.json tsconfig.json
  rm -f /tmp/berth-build.$$.log /tmp/berth-tsconfig.$$.json
  trap - INT TERM
fi
# The server and the runtime run compiled, from the same sources as that Next build.
if ! cmp -s "$DIST/BUILD_ID" "$DIST/berth/BUILD_ID"; then
  echo "[berth] compiling the server and the runtime (esbuild)"
  node server/bin/bundle.mjs "$DIST"
fi

export BERTH_DATA_DIR="${BERTH_DATA_DIR:-./data}"
mkdir -p "$BERTH_DATA_DIR"
chmod 700 "$BERTH_DATA_DIR"
DB_FILE="$BERTH_DATA_DIR/berth.db"
case "${DATABASE_URL:-}" in file:*) DB_FILE="${DATABASE_URL#file:}" ;; esac
MIGRATE_LOG="$(mktemp /tmp/berth-migrate.XXXXXX)"
if ! npx --no-install prisma migrate deploy >/dev/null 2>"$MIGRATE_LOG"; then
  # Prisma's own text rarely says what is wrong with the file: the check does, naming it.
  node "$DIST/berth/database-check.mjs" "$DB_FILE" || { rm -f "$MIGRATE_LOG"; exit 1; }
  cat "$MIGRATE_LOG" >&2
  rm -f "$MIGRATE_LOG"
  echo "[berth] cannot start: migrating the database $DB_FILE failed (above)" >&2
  exit 1
fi
rm -f "$MIGRATE_LOG"
export NODE_ENV=production
# glibc raises its mmap threshold after the first big free, then keeps later big
# blocks (argon2's hashing memory, allocated on worker threads) in per-thread
# arenas: after one sign-in, four arenas held 23 MB. A fixed threshold returns big
# blocks at once; two arenas bound the rest: 12 to 15 MB less for an idle
# dashboard. The runtime inherits both.
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-131072}" MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
# The dashboard's V8: 2 MB semi-spaces (default up to 16) keep its young generation
# at a few MB instead of 32 once a page render has grown it (about 25 MB idle); a
# render allocates in bursts, so a few more, sub-millisecond scavenges cost little.
# --optimize-for-size trades some peak speed, which page renders and tRPC calls
# do not need, for a smaller heap and code (about 6 MB idle); the log relay is
# measured by `npm run bench`. The runtime, which reads floods of log lines,
# keeps its own flags (server/supervisor.ts).
# This shell becomes the dashboard: nothing (no npm, no bash) stays behind holding memory.
exec node --max-semi-space-size=2 --optimize-for-size "$DIST/berth/server.mjs"
