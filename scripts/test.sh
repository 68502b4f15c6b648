#!/usr/bin/env bash
# The test command of the README: installs what is missing, then runs every test suite
# (unit tests in a debug build, then the end-to-end checks that need a built binary).
# Set-up and builds stop at the first error; every suite runs even when one before it
# failed, and the closing line counts the real outcomes; the exit status is 1 if any failed.
set -euo pipefail
cd "$(dirname "$0")/.."
passed=0
failed=0
failures=()
suite() {
  local name=$1
  shift
  local status=0
  "$@" || status=$?
  if [ "$status" -eq 0 ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failures+=("$name (exit status $status)")
  fi
}
bash scripts/setup.sh
swift build --build-tests
suite "unit tests" swift test --skip-build
# End-to-end checks that need a release binary and real programs (popcode only: the
# dashboard's check uses the debug popcode-serve built above).
swift build -c release --product popcode
suite check-report bash scripts/check-report.sh
suite check-arrays bash scripts/check-arrays.sh
suite check-serve bash scripts/check-serve.sh
suite crash-test bash scripts/crash-test.sh 10
if [ "$(id -u)" -eq 0 ]; then
  suite slurm-test bash scripts/slurm-test.sh
else
  echo "test: skipping scripts/slurm-test.sh (it starts Slurm daemons: needs root)" >&2
fi
for failure in "${failures[@]+"${failures[@]}"}"; do echo "test: FAILED: $failure" >&2; done
echo "test suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
