#!/usr/bin/env bash
# Installs the Debian packages cppbatch needs, only if some are missing.
# Runs apt-get update only when something has to be installed.
set -euo pipefail

packages=(
  g++ cmake ninja-build make pkg-config
  libsqlite3-dev sqlite3 libsqlitecpp-dev
  libssl-dev libspdlog-dev libfmt-dev nlohmann-json3-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  zlib1g-dev libzstd-dev libxml2-dev libsimdjson-dev libyaml-cpp-dev
  libpq-dev postgresql postgresql-client
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "cppbatch: installing missing packages: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=sudo
  else
    echo "cppbatch: run as root (or install: ${missing[*]})" >&2
    exit 1
  fi
else
  SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
