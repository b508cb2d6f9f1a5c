#!/usr/bin/env bash
# Installs the Debian packages rocketmq-c builds and tests with, only those missing.
set -euo pipefail
pkgs=(build-essential cmake ninja-build pkg-config libuv1-dev zlib1g-dev libssl-dev
      clang libclang-rt-14-dev clang-format valgrind iproute2)
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# The interop tests' runtimes, by command: a JDK, Maven or Node.js installed some other
# way (e.g. under /usr/local) is fine. Without them those tests would only skip.
command -v java >/dev/null 2>&1 || missing+=(default-jdk-headless)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
