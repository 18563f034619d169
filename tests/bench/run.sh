#!/usr/bin/env bash
# `npm run bench`: starts a private engine (like the tests), starts Berth on it,
# and measures Berth against the raw engine in the same run. Prints a table
# of figures and ratios; writes JSON to $BENCH_OUT when set. Not a test.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

bash tests/harness/engine.sh provision
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund --loglevel=error
fi
npx --no-install prisma generate >/dev/null

export BERTH_TEST_DIR="$(mktemp -d /tmp/berth-bench.XXXXXX)"
# Its own build, removed at the end, unless given one (BERTH_NEXT_DIST) to reuse.
OWN_DIST=""
if [ -z "${BERTH_NEXT_DIST:-}" ]; then
  export BERTH_NEXT_DIST=".next-bench-$$"
  OWN_DIST="$ROOT/$BERTH_NEXT_DIST"
fi
cleanup() {
  # No errexit here: one failed kill must not skip the engine's teardown.
  set +e
  for f in "$BERTH_TEST_DIR"/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null; done
  sleep 1
  bash "$ROOT/tests/harness/engine.sh" down >/dev/null 2>&1 || true
  rm -rf "$BERTH_TEST_DIR" ${OWN_DIST:+"$OWN_DIST"}
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bash tests/harness/engine.sh up
# shellcheck disable=SC1091
source "$BERTH_TEST_DIR/env"
node --import tsx tests/bench/main.ts "$@"
