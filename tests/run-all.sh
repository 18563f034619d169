#!/usr/bin/env bash
# The whole test suite: typecheck, lint, unit, integration (real private
# engine) and end-to-end (real Chromium). Provisions what is missing when run
# as root, and always cleans up its private engine and servers.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
START=$(date +%s)

bash tests/harness/engine.sh provision || exit 1

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== npm install"
  npm install --no-audit --no-fund --loglevel=error || exit 1
fi
npx --no-install prisma generate >/dev/null || exit 1

export BERTH_TEST_DIR="$(mktemp -d /tmp/berth-test.XXXXXX)"
export BERTH_REPORT_DIR="$BERTH_TEST_DIR/reports"
# This run's own Next build (see next.config.js), removed at the end.
export BERTH_NEXT_DIST=".next-test-$$"
mkdir -p "$BERTH_REPORT_DIR"

cleanup() {
  local code=$?
  trap - EXIT INT TERM
  # Servers started by the e2e setup record their pids here.
  for f in "$BERTH_TEST_DIR"/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null; done
  bash "$ROOT/tests/harness/engine.sh" down >/dev/null 2>&1 || true
  rm -rf "$BERTH_TEST_DIR" "$ROOT/$BERTH_NEXT_DIST"
  exit $code
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# `npm test -- unit e2e` runs only the named stages (for development); no argument runs all.
ONLY=" $* "
# Next adds its build folder's type globs to tsconfig.json; a test build's folder is temporary.
# The server and the runtime are compiled beside it, as the start command does.
build_next() {
  cp tsconfig.json "$BERTH_TEST_DIR/tsconfig.json.orig"
  npx --no-install next build
  local rc=$?
  cp "$BERTH_TEST_DIR/tsconfig.json.orig" tsconfig.json
  [ $rc -eq 0 ] || return $rc
  node server/bin/bundle.mjs "$BERTH_NEXT_DIST"
}

FAILED_STAGES=()
stage() {
  local name=$1; shift
  if [ "$ONLY" != "  " ] && [[ "$ONLY" != *" $name "* ]]; then echo "== $name: not selected"; return; fi
  echo
  echo "== $name"
  local t0=$(date +%s)
  if "$@"; then
    echo "== $name: ok ($(( $(date +%s) - t0 )) s)"
  else
    echo "== $name: FAILED ($(( $(date +%s) - t0 )) s)"
    FAILED_STAGES+=("$name")
  fi
}

stage typecheck npx --no-install tsc --noEmit -p tsconfig.json
stage lint npm run --silent lint
stage unit npx --no-install vitest run --project unit --reporter=default --reporter=json --outputFile.json="$BERTH_REPORT_DIR/unit.json"

echo
echo "== private engine"
if bash tests/harness/engine.sh up; then
  # shellcheck disable=SC1091
  source "$BERTH_TEST_DIR/env"
  stage integration npx --no-install vitest run --project integration --reporter=default --reporter=json --outputFile.json="$BERTH_REPORT_DIR/integration.json"
  stage build build_next
  BERTH_E2E_PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  export BERTH_E2E_URL="http://127.0.0.1:$BERTH_E2E_PORT"
  stage e2e npx --no-install playwright test
else
  FAILED_STAGES+=("private engine")
fi

node tests/summary.mjs "$BERTH_REPORT_DIR" "${FAILED_STAGES[@]+"${FAILED_STAGES[@]}"}"
SUMMARY=$?
echo "total time: $(( $(date +%s) - START )) s"
[ ${#FAILED_STAGES[@]} -eq 0 ] && [ $SUMMARY -eq 0 ]
