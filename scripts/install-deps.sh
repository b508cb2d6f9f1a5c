#!/usr/bin/env bash
# Installs the Debian packages rocketmq-c builds and tests with, only those missing.
set -euo pipefail
pkgs=(build-essential cmake ninja-build pkg-config libuv1-dev zlib1g-dev libssl-dev
      clang libclang-rt-14-dev clang-format valgrind)
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
