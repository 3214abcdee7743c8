#!/usr/bin/env bash
# The whole test suite (the README's second quick-start command runs this through `npm test`):
# build, typecheck, lint (Biome + dependency-cruiser layer rules), then every jest tier
# (unit, int, sim, e2e) in one run, against real servers that scripts/services.mjs installs
# and starts itself and stops afterwards, even when jest crashes.
# Results land in $PHALANET_TEST_RESULTS (default .ci-results/) for .ci/run's totals line.
set -uo pipefail
cd "$(dirname "$0")/.."
results="${PHALANET_TEST_RESULTS:-$PWD/.ci-results}"
mkdir -p "$results"
rm -f "$results/jest.json" "$results/checks.txt"
status=0

check() { # name, command...: a static check counts as one test in the totals
  local name=$1; shift
  local t0=$SECONDS
  if "$@"; then echo "passed $name" >>"$results/checks.txt"; else echo "failed $name" >>"$results/checks.txt"; status=1; fi
  echo "[test] $name: $((SECONDS - t0)) s" >&2
}

check build npm run -s build
check typecheck npm run -s typecheck
check lint npm run -s lint

cleanup() { node scripts/services.mjs stop >&2 || true; }
trap cleanup EXIT INT TERM
t0=$SECONDS
if ! node scripts/services.mjs start >&2; then
  echo "[test] could not start the test servers (see above)" >&2
  echo "failed services" >>"$results/checks.txt"
  status=1
fi
echo "[test] services: $((SECONDS - t0)) s" >&2
[ -f .cache/services/env.sh ] && . .cache/services/env.sh

t0=$SECONDS
npx jest --ci --maxWorkers=2 --json --outputFile="$results/jest.json" "$@" || status=1
echo "[test] jest: $((SECONDS - t0)) s" >&2
exit $status
