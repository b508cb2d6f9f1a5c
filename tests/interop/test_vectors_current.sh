#!/bin/bash
# Checks that tests/vectors/ is exactly what VectorGen produces with the pinned Apache
# RocketMQ classes, i.e. nobody edited the vectors by hand and the pinned version did not
# change without regenerating them. The zlib-compressed files are left out of the byte
# comparison (their bytes depend on the zlib build); register_broker_body.inflated.bin
# still pins their content.
#
# Exit: 0 pass, 77 skip (no java/mvn), other fail.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
command -v java >/dev/null 2>&1 && command -v mvn >/dev/null 2>&1 || { echo "SKIP: java/mvn not found"; exit 77; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$here/gen-vectors.sh" "$out" || exit 1
if ! diff -r -x '*compressed*' "$root/tests/vectors" "$out"; then
    echo "FAIL: tests/vectors differs from VectorGen output; run tests/interop/gen-vectors.sh" >&2
    exit 1
fi
echo "tests/vectors is current"
