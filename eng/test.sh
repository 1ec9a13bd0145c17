#!/usr/bin/env bash
# Every test of the solution against real servers: starts Redis, PostgreSQL, RabbitMQ and an S3 server on
# 127.0.0.1 (installing them when missing), runs `dotnet test` and, on a whole run, the style check (eng/format.sh),
# stops the servers, and ends with the line "N passed, N failed". Extra arguments go to `dotnet test` (e.g. --filter).
set -uo pipefail
cd "$(dirname "$0")/.."
results=TestResults
mkdir -p "$results"

if ! eng/infra.sh start; then
  echo "The test servers did not start (see above); the tests that need them would fail." >&2
  [[ -n ${CI:-} ]] && { echo "0 passed, 1 failed"; exit 1; }
fi
trap 'eng/infra.sh stop >/dev/null 2>&1' EXIT
eval "$(eng/infra.sh env)"

# Build once, then run the test projects one after the other (-m:1): the AppHost tests start a whole stack of their own,
# and beside the integration tests' service clusters on two cores both would crawl into their timeouts.
dotnet build FeatureStore.sln 2>&1 | tee "$results/console.log"
status=${PIPESTATUS[0]}
if ((status == 0)); then
  dotnet test FeatureStore.sln --no-build -m:1 --logger "console;verbosity=normal" "$@" 2>&1 | tee -a "$results/console.log"
  status=${PIPESTATUS[0]}
fi

# Each test assembly ends with a block: "Total tests: T", then "Passed: P", "Failed: F", "Skipped: S" lines.
read -r passed failed skipped < <(awk '
  /^Total tests: [0-9]+/ { block = 1; next }
  block && /^ +Passed: +[0-9]+ *$/  { p += $2; next }
  block && /^ +Failed: +[0-9]+ *$/  { f += $2; next }
  block && /^ +Skipped: +[0-9]+ *$/ { s += $2; next }
  { block = 0 }
  END { print p+0, f+0, s+0 }' "$results/console.log")
# The house style (eng/format.sh) is checked on a whole run (no arguments) and counts as one test.
if (($# == 0)); then
  if eng/format.sh > "$results/format.log" 2>&1; then
    passed=$((passed + 1))
  else
    echo "Style check failed (eng/format.sh; eng/format.sh --fix formats, long lines want wrapping):"
    grep -v '^\s*$' "$results/format.log" | tail -40
    failed=$((failed + 1))
  fi
fi
if ((status != 0 && failed == 0)); then
  echo "dotnet test exited with $status without reporting a failed test (a build error?)" >&2
  failed=1
fi
# Repeat each failure (name, message, top of the stack) here, so the end of the log says what broke.
if ((failed > 0)); then
  echo "Failed tests:"
  grep -E -A 12 '^ +Failed [A-Za-z_]' "$results/console.log" | grep -v -E '^ +Passed ' | head -200
fi
((skipped > 0)) && echo "$skipped skipped"
echo "$passed passed, $failed failed"
((failed == 0))
