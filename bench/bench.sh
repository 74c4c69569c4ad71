#!/usr/bin/env bash
# bench/bench.sh: what `make bench` runs. Measures hrun, crun and runc in
# one interleaved run (bench/run.sh), renders the results (bench/report.sh)
# and puts them into docs/performance.md between its bench:begin and
# bench:end markers. Root needed (real containers).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
OUT=${BENCH_OUT:-$repo/build/bench}
DOC=$repo/docs/performance.md

[ "$(id -u)" -eq 0 ] || { echo "bench: run as root (it runs real containers)" >&2; exit 1; }
BENCH_OUT=$OUT "$here/run.sh"
"$here/report.sh" "$OUT" >"$OUT/report.md"
grep -q '^<!-- bench:begin' "$DOC" && grep -q '^<!-- bench:end' "$DOC" ||
  { echo "bench: $DOC has no bench:begin/bench:end markers" >&2; exit 1; }
awk -v report="$OUT/report.md" '
  /^<!-- bench:begin/ { while ((getline line < report) > 0) print line; skip = 1; next }
  /^<!-- bench:end/ { skip = 0; next }
  !skip { print }' "$DOC" >"$DOC.new"
mv "$DOC.new" "$DOC"
echo "bench: results in $DOC (raw data: $OUT/raw.txt)" >&2
