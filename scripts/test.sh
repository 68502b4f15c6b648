#!/usr/bin/env bash
# The test command of the README: installs what is missing, then runs every test
# (unit tests in a debug build, then the end-to-end checks that need a built binary).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build --build-tests
swift test --skip-build
# End-to-end checks that need a release binary and real programs.
swift build -c release
bash scripts/check-report.sh
bash scripts/crash-test.sh 10
if [ "$(id -u)" -eq 0 ]; then
  bash scripts/slurm-test.sh
else
  echo "test: skipping scripts/slurm-test.sh (it starts Slurm daemons: needs root)" >&2
fi
