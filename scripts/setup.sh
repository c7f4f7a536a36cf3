#!/usr/bin/env bash
# Installs everything bootmap needs to build and test, from Debian packages.
# Idempotent: packages already present are left alone, apt is only run when something is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libre2-dev libpugixml-dev libfdt-dev libboost-dev
  libgtest-dev libgmock-dev libfmt-dev libcli11-dev nlohmann-json3-dev
  libbenchmark-dev device-tree-compiler dpkg-dev file
  python3 python3-jsonschema python3-rfc3987 chromium zsh sqlite3 jq
  clang clang-tidy libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done

if ((${#missing[@]})); then
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  echo "setup: installing ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: all packages present"
fi
