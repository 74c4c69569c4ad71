#!/bin/sh
# Runs the cmocka unit test binaries given as arguments, in TAP form, and
# fails when any of them fails.
status=0
for t in "$@"; do
  echo "# unit: ${t##*/}"
  CMOCKA_MESSAGE_OUTPUT=TAP "$t" || status=1
done
exit $status
