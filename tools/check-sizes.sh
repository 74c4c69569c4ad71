#!/usr/bin/env bash
# make check: no source file of hrun longer than MAX_FILE_LINES lines and no
# function body longer than MAX_FUNC_LINES (from its opening to its closing
# brace). Functions are found by the house style: a definition's braces
# stand alone in column 0, which nothing else in the tree does.
# Usage: tools/check-sizes.sh [DIR...]  (default: runtime libcontainer nsexec)
set -u
cd "$(dirname "$0")/.."
MAX_FILE_LINES=${MAX_FILE_LINES:-800}
MAX_FUNC_LINES=${MAX_FUNC_LINES:-60}
dirs=("$@")
[ ${#dirs[@]} -gt 0 ] || dirs=(runtime libcontainer nsexec)

files=$(find "${dirs[@]}" -name '*.[ch]' | sort)
[ -n "$files" ] || { echo "check-sizes: no sources under ${dirs[*]}" >&2; exit 1; }
# shellcheck disable=SC2086
awk -v maxf="$MAX_FILE_LINES" -v maxfn="$MAX_FUNC_LINES" '
  FNR == 1 { if (prev != "") endfile(); prev = FILENAME; start = 0; sig = "" }
  /^[A-Za-z_].*\(/ && !/;[ \t]*$/ { sig = $0 }
  /^\{[ \t]*$/ { start = FNR; name = sig }
  /^\}/ && start {
    n = FNR - start + 1; nfuncs++
    if (n > longest) { longest = n; longest_at = FILENAME ":" start }
    if (n > maxfn) { printf "%s:%d: function is %d lines (limit %d): %s\n", FILENAME, start, n, maxfn, name; bad++ }
    start = 0
  }
  function endfile() {
    nfiles++
    if (lines[prev] > maxf) { printf "%s: %d lines (limit %d)\n", prev, lines[prev], maxf; bad++ }
  }
  { lines[FILENAME] = FNR }
  END {
    if (prev != "") endfile()
    printf "check-sizes: %d files, %d functions; longest function %d lines (%s); limits %d per file, %d per function: %s\n",
           nfiles, nfuncs, longest, longest_at, maxf, maxfn, bad ? bad " over" : "ok"
    exit bad ? 1 : 0
  }' $files
