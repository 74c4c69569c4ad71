#!/bin/sh
# fuzz/run.sh BUILD SECONDS RUNS TARGET...
#
# Runs each libFuzzer target BUILD/fuzz/TARGET for SECONDS (and at most RUNS
# inputs; 0: no limit), niced, on its seeds (fuzz/corpus/TARGET, never
# written) and on the corpus it grew in earlier runs (BUILD/fuzz/corpus/TARGET,
# where new inputs go). One TAP line per target says how many inputs it ran.
# A crash, leak, timeout or sanitizer report makes the line "not ok", keeps
# the input in BUILD/fuzz/crashes/ and prints the report's tail; replay it
# with `BUILD/fuzz/TARGET BUILD/fuzz/crashes/FILE`.
set -u
build=$1 seconds=$2 runs=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
[ "$runs" -gt 0 ] || runs=-1
status=0 n=0
echo "1..$#"
for t in "$@"; do
  n=$((n + 1))
  corpus=$build/fuzz/corpus/$t
  crashes=$build/fuzz/crashes
  log=$build/fuzz/$t.log
  dict=$here/$t.dict
  [ -f "$dict" ] || dict=$here/json.dict
  mkdir -p "$corpus" "$crashes"
  start=$(date +%s)
  # -max_len: a config larger than 16 KiB adds nothing a smaller one lacks
  # and slows every run; -timeout: one input taking 10 s is a finding.
  nice -n 10 "$build/fuzz/$t" -max_total_time="$seconds" -runs="$runs" -max_len=16384 \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -dict="$dict" \
    -artifact_prefix="$crashes/$t-" "$corpus" "$here/corpus/$t" >"$log" 2>&1
  rc=$?
  elapsed=$(($(date +%s) - start))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  if [ "$rc" -eq 0 ]; then
    echo "ok $n - fuzz $t: ${execs:-?} executions in ${elapsed} s, corpus $(ls "$corpus" | wc -l) inputs"
  else
    status=1
    echo "not ok $n - fuzz $t: exit $rc after ${execs:-?} executions in ${elapsed} s (log: $log)"
    grep -E '^(==[0-9]+==|SUMMARY|artifact_prefix|Test unit written|.*runtime error)' "$log" |
      tail -n 20 | sed 's/^/# /'
  fi
done
exit $status
