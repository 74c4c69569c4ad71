#!/bin/sh
# Runs the bats integration tests in TAP form. Needs root.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if [ "$(id -u)" -ne 0 ]; then
  echo "integration tests need root (they run real containers)" >&2
  exit 1
fi
# Tests must not read a terminal; CI has none.
# A hung test fails instead of stalling CI.
export BATS_TEST_TIMEOUT=${BATS_TEST_TIMEOUT:-120}
# --timing: each test line ends with its duration (the CI summary counts the
# lines, not their ends).
exec bats --tap --timing "$@" "$here"/*.bats </dev/null
