#!/usr/bin/env bash
# Runs the cmocka unit test binaries given as arguments, in TAP form, and
# fails when any of them fails. A suite whose tests all skipped (or that
# skipped itself with "1..0 # SKIP") passes, but says so loudly: a quiet
# whole-suite skip hides that nothing was tested.
set -o pipefail

# tap SUITE: cmocka's TAP on stdin, with skips as TAP has them ("ok N #
# SKIP"; cmocka 1.1 writes "not ok N # SKIP", which counts as a failure
# where the ok/not ok lines are counted), and a warning when all skipped.
tap() {
  awk -v suite="$1" '
    /^not ok [0-9]+ # SKIP/ { sub(/^not ok/, "ok") }
    /^1\.\.[0-9]+/ {
      planned = substr($1, 4) + 0
      if (match($0, /# *SKIP */)) { plan_skip = 1; reason = substr($0, RSTART + RLENGTH) }
    }
    /^ok [0-9]+ # SKIP/ { skipped++ }
    { print; fflush() }
    END {
      if (plan_skip)
        printf "# WARNING: suite %s: all tests skipped (%s)\n", suite, reason
      else if (planned > 0 && skipped == planned)
        printf "# WARNING: suite %s: all %d tests skipped\n", suite, planned
      else
        exit 0
      exit 3
    }'
}

status=0
whole=
for t in "$@"; do
  name=${t##*/}
  echo "# unit: $name"
  CMOCKA_MESSAGE_OUTPUT=TAP "$t" | tap "$name"
  case ${PIPESTATUS[*]} in
    "0 0") ;;
    "0 3") whole="$whole $name" ;;
    *) status=1 ;;
  esac
done
if [ -n "$whole" ]; then
  echo "# WARNING: ====================================================="
  echo "# WARNING: these unit suites ran no test at all:$whole"
  echo "# WARNING: ====================================================="
  echo "make unit: suites skipped entirely:$whole" >&2
fi
exit $status
