#!/usr/bin/env bash
# The test command of the README: installs what is missing, then runs every test
# (unit tests in a debug build, then the end-to-end checks that need a built binary).
set -euo pipefail
cd "$(dirname "$0")/.."
checks=0
bash scripts/setup.sh
swift build --build-tests
swift test --skip-build
checks=$((checks + 1))
# End-to-end checks that need a release binary and real programs (popcode only: the
# dashboard's check uses the debug popcode-serve built above).
swift build -c release --product popcode
bash scripts/check-report.sh
checks=$((checks + 1))
bash scripts/check-arrays.sh
checks=$((checks + 1))
bash scripts/check-serve.sh
checks=$((checks + 1))
bash scripts/crash-test.sh 10
checks=$((checks + 1))
if [ "$(id -u)" -eq 0 ]; then
  bash scripts/slurm-test.sh
  checks=$((checks + 1))
else
  echo "test: skipping scripts/slurm-test.sh (it starts Slurm daemons: needs root)" >&2
fi
# Reached only when every step above succeeded (set -e): unit tests plus end-to-end checks.
echo "test suites: $checks passed, 0 failed"
