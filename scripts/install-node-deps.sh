#!/bin/bash
# Installs the Node.js side of the interop tests (tests/interop/node: the ali-ons client,
# pinned exactly in package.json and, with every transitive dependency, in the committed
# package-lock.json) with `npm ci`. Idempotent and quiet: it does nothing when
# node_modules was installed after the last change of package.json and package-lock.json.
# It installs offline (npm's cache) first, so after one successful online run it works
# without network.
#
# Usage: scripts/install-node-deps.sh [--force]
# Prints nothing on success unless it had to install; exit 0 on success, 1 on failure
# (also when node or npm is missing: the tests check for them themselves and skip).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=$root/tests/interop/node
stamp=$dir/node_modules/.rmqc-installed
force=${1:-}

for tool in node npm; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "install-node-deps: '$tool' not found (need Node.js 14.10 or newer)" >&2
        exit 1
    fi
done
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 14 ]; then
    echo "install-node-deps: node $(node --version) is too old (need 14.10 or newer)" >&2
    exit 1
fi

is_fresh() {
    [ -f "$stamp" ] && [ -f "$dir/node_modules/ali-ons/package.json" ] &&
        [ -z "$(find "$dir/package.json" "$dir/package-lock.json" -newer "$stamp" -print -quit)" ]
}

# Several interop tests may start at once (ctest -j): one install at a time. The lock
# file lives outside node_modules, which npm ci removes.
exec 9>"$dir/.install.lock"
flock -w 600 9

if [ "$force" != "--force" ] && is_fresh; then
    exit 0
fi

cd "$dir"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
echo "install-node-deps: npm ci in $dir" >&2
if ! npm ci --offline --no-audit --no-fund >"$log" 2>&1; then
    if ! npm ci --no-audit --no-fund >"$log" 2>&1; then
        cat "$log" >&2
        echo "install-node-deps: npm ci failed" >&2
        exit 1
    fi
fi
touch "$stamp"
is_fresh || { echo "install-node-deps: npm ci left no node_modules/ali-ons" >&2; exit 1; }
echo "install-node-deps: ok (ali-ons $(node -p 'require("ali-ons/package.json").version'))" >&2
