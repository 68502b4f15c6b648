#!/usr/bin/env bash
# Installs the Debian packages popcode builds against, when missing (needs root or sudo):
# libyaml (experiment files), OpenBLAS (BLAS + LAPACK), SLEEF (vector exp/tanh), SQLite
# (the overnight queue), zlib (linked by ZIPFoundation, which writes a run's arrays.npz),
# pkg-config. The Swift toolchain itself must already be on PATH.
set -euo pipefail
packages=(pkg-config libyaml-dev libopenblas-dev libsleef-dev libsqlite3-dev zlib1g-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v swift >/dev/null || { echo "setup: swift is not on PATH (install the Swift 6.3 toolchain)" >&2; exit 1; }
