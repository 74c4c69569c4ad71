#!/usr/bin/env bash
# bench/report.sh [DIR]: the markdown of docs/performance.md's results from
# DIR/raw.txt, DIR/breakdown.txt and DIR/machine.txt (bench/run.sh's).
#
# Times are medians with their interquartile range. A ratio A/B is the
# median of the per-iteration ratios A_i/B_i: iteration i ran A and B back
# to back (bench/run.sh rotates their order), so a slow phase of the
# machine lands on both sides of a pair. The targets are checked on those.
set -euo pipefail
DIR=${1:-build/bench}
RAW=$DIR/raw.txt
BREAKDOWN=$DIR/breakdown.txt
[ -s "$RAW" ] || { echo "report: no $RAW; run bench/run.sh first" >&2; exit 1; }

# values SCENARIO RUNTIME STEP FIELD: one measurement per line, in the order
# taken (field 4: wall time in us, 5: peak RSS in KiB).
values() {
  awk -v s="$1" -v r="$2" -v st="$3" -v f="$4" '$1 == s && $2 == r && $3 == st { print $f }' "$RAW"
}

# cycle_values SCENARIO RUNTIME: create+start+wait+delete per iteration.
cycle_values() {
  awk -v s="$1" -v r="$2" '$1 == s && $2 == r && $3 != "state" { t[$3, ++n[$3]] = $4 }
    END { for (i = 1; i <= n["create"]; i++)
            print t["create", i] + t["start", i] + t["wait", i] + t["delete", i] }' "$RAW"
}

# quartiles: numbers on stdin -> "median p25 p75" ("nan nan nan" if none).
quartiles() {
  sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "nan nan nan"; exit }
    printf "%s %s %s\n", v[int((NR + 1) / 2)], v[int((NR + 3) / 4)], v[int((3 * NR + 3) / 4)] }'
}

# pairs: two columns on stdin (A B) -> A/B per line.
pairs() { awk 'NF == 2 && $2 > 0 { printf "%.4f\n", $1 / $2 }'; }

median() { cut -d' ' -f1; }
ms() { awk -v x="$1" 'BEGIN { if (x == "nan") print "n/a"; else printf "%.2f", x / 1000 }'; }
# time_cell "median p25 p75" (us) -> "1.23 ms (1.10–1.40)"
time_cell() {
  set -- $1
  printf '%s ms (%s–%s)' "$(ms "$1")" "$(ms "$2")" "$(ms "$3")"
}
# ratio_cell "median p25 p75" -> "0.56 (0.50–0.62)"
ratio_cell() {
  set -- $1
  [ "$1" != nan ] || { printf 'n/a'; return; }
  awk -v m="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.2f (%.2f–%.2f)", m, a, b }'
}
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v != "nan" && v != "n/a" && v <= t) ? "met" : "missed" }'; }
two() { awk -v x="$1" 'BEGIN { if (x == "nan" || x == "n/a") print "n/a"; else printf "%.2f", x }'; }
times() { awk -v x="$1" 'BEGIN { if (x == "nan" || x == "n/a") print "n/a"; else printf "%.2f ×", x }'; }

RUNTIMES=$(awk '$1 != "hooks-per-stage" && $1 != "bare" && $2 != "kernel" && $2 != "spawn" { print $2 }' "$RAW" |
  sort -u | tr '\n' ' ')
has() { [[ " $RUNTIMES " == *" $1 "* ]]; }
shown() { for r in hrun crun runc; do has "$r" && echo "$r"; done; }

# step_ratio SCENARIO STEP A B: quartiles of A_i/B_i for one step.
step_ratio() {
  paste -d' ' <(values "$1" "$3" "$2" 4) <(values "$1" "$4" "$2" 4) | pairs | quartiles
}
cycle_ratio() {
  paste -d' ' <(cycle_values "$1" "$2") <(cycle_values "$1" "$3") | pairs | quartiles
}
# hook_pairs RUNTIME: per iteration, "(cycle with hooks - cycle without) /
# number of hooks" and the bare spawn of the hook taken in the same
# iteration, in us.
hook_pairs() {
  local k
  k=$(awk '$1 == "hooks-per-stage" { print 6 * $4 }' "$RAW")
  paste -d' ' <(cycle_values hooks "$1") <(cycle_values lifecycle "$1") <(values bare - hook 4) |
    awk -v k="${k:-6}" 'NF == 3 { printf "%.1f %s\n", ($1 - $2) / k, $3 }'
}
per_hook() { hook_pairs "$1" | cut -d' ' -f1 | quartiles | median; } # us
# hook_ratio RUNTIME: quartiles of per hook / bare, per iteration
hook_ratio() { hook_pairs "$1" | pairs | quartiles; }
per_container() { # SIZE RUNTIME -> ms per container, median batch / size
  awk -v k="$1" -v x="$(values "parallel-$1" "$2" batch 4 | quartiles | median)" \
    'BEGIN { if (x == "nan") print "nan"; else printf "%.2f", x / 1000 / k }'
}
# The commands whose peak RSS counts, each with the scenario it is taken
# from: "SCENARIO STEP" lines.
RSS_STEPS="run run
lifecycle create
lifecycle start
exec exec
lifecycle state
kill kill
lifecycle delete"
rss() { values "$1" "$3" "$2" 5 | quartiles | median; } # SCENARIO STEP RUNTIME
# highest_rss RUNTIME: the highest of its commands' median peak RSS, KiB
highest_rss() {
  local scen step
  while read -r scen step; do rss "$scen" "$step" "$1"; done <<<"$RSS_STEPS" |
    awk '$1 != "nan" && $1 > m { m = $1 } END { print m + 0 }'
}
div() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "nan" || b == "nan" || b == 0) print "nan"; else printf "%.2f", a / b }'; }
rss_ratio() { div "$(highest_rss hrun)" "$(highest_rss crun)"; }

failures() {
  awk '$1 != "hooks-per-stage" && $1 != "memory" && $6 != 0 {
      n[$1 " " $2 " " $3] += ($1 ~ /^parallel-/) ? $6 : 1 }
    END { for (k in n) printf "- %s: %d failed\n", k, n[k] }' "$RAW" | sort
}

# The targets of issue 16.
summary() {
  local run cyc floor ex rss hook flat
  run=$(step_ratio run run hrun crun | median)
  cyc=$(cycle_ratio lifecycle hrun crun | median)
  floor=$(step_ratio run run hrun kernel | median)
  ex=$(step_ratio exec exec hrun crun | median)
  rss=$(rss_ratio)
  hook=$(hook_ratio hrun | median)
  flat=$(div "$(per_container 100 hrun)" "$(per_container 10 hrun)")
  echo "| target | measured | |"
  echo "|---|---|---|"
  echo "| \`run\` of /bin/true, hrun/crun ≤ 0.50 | $(two "$run") | $(verdict "$run" 0.50) |"
  echo "| create + start + wait + delete, hrun/crun ≤ 0.40 | $(two "$cyc") | $(verdict "$cyc" 0.40) |"
  echo "| \`run\` of /bin/true ≤ 1.6 × the kernel floor (\`unshare -fmpiun --mount-proc /bin/true\`) |" \
    "$(times "$floor") | $(verdict "$floor" 1.6) |"
  echo "| \`exec\` of /bin/true, hrun/crun ≤ 0.50 | $(two "$ex") | $(verdict "$ex" 0.50) |"
  echo "| per-hook overhead ≤ 1.05 × a bare fork+exec+wait | $(times "$hook") | $(verdict "$hook" 1.05) |"
  echo "| peak RSS (the highest over run, create, start, exec, state, kill, delete), hrun/crun ≤ 0.40 |" \
    "$(two "$rss") | $(verdict "$rss" 0.40) |"
  echo "| per-container time at 100 parallel ≤ 1.15 × at 10 | $(times "$flat") | $(verdict "$flat" 1.15) |"
}

table_run() {
  local r f
  echo "| runtime | one \`run\` of /bin/true, median (IQR) |"
  echo "|---|---|"
  for r in $(shown); do echo "| $r | $(time_cell "$(values run "$r" run 4 | quartiles)") |"; done
  echo "| kernel floor: \`unshare -fmpiun --mount-proc /bin/true\` |" \
    "$(time_cell "$(values run kernel run 4 | quartiles)") |"
  echo "| spawn floor: fork+exec+wait of a static binary |" \
    "$(time_cell "$(values run spawn run 4 | quartiles)") |"
  echo
  echo "hrun/crun over the interleaved pairs: **$(ratio_cell "$(step_ratio run run hrun crun)")**;" \
    "hrun/runc: $(ratio_cell "$(step_ratio run run hrun runc)")."
  echo
  echo "| over the interleaved pairs | $(for r in $(shown); do printf '%s | ' "$r"; done)"
  echo "|---|$(for r in $(shown); do printf -- '---|'; done)"
  for f in kernel spawn; do
    printf '| runtime/%s floor | ' "$f"
    for r in $(shown); do printf '%s | ' "$(ratio_cell "$(step_ratio run run "$r" "$f")")"; done
    echo
  done
}

# One row per command: its times per runtime and hrun's ratios.
table_commands() {
  local r scen step
  echo "| command | $(for r in $(shown); do printf '%s | ' "$r"; done)hrun/crun | hrun/runc |"
  echo "|---|$(for r in $(shown); do printf -- '---|'; done)---|---|"
  for scen in exec:exec kill:kill lifecycle:state lifecycle:delete; do
    step=${scen#*:} scen=${scen%:*}
    printf '| %s | ' "$step"
    for r in $(shown); do printf '%s | ' "$(time_cell "$(values "$scen" "$r" "$step" 4 | quartiles)")"; done
    printf '**%s** | %s |\n' "$(ratio_cell "$(step_ratio "$scen" "$step" hrun crun)")" \
      "$(ratio_cell "$(step_ratio "$scen" "$step" hrun runc)")"
  done
}

table_lifecycle() {
  local scenario=$1 r step
  echo "| step | $(for r in $(shown); do printf '%s | ' "$r"; done)hrun/crun | hrun/runc |"
  echo "|---|$(for r in $(shown); do printf -- '---|'; done)---|---|"
  for step in create state start wait delete; do
    printf '| %s | ' "$step"
    for r in $(shown); do printf '%s | ' "$(time_cell "$(values "$scenario" "$r" "$step" 4 | quartiles)")"; done
    printf '%s | %s |\n' "$(ratio_cell "$(step_ratio "$scenario" "$step" hrun crun)")" \
      "$(ratio_cell "$(step_ratio "$scenario" "$step" hrun runc)")"
  done
  printf '| **create+start+wait+delete** | '
  for r in $(shown); do printf '%s | ' "$(time_cell "$(cycle_values "$scenario" "$r" | quartiles)")"; done
  printf '**%s** | %s |\n' "$(ratio_cell "$(cycle_ratio "$scenario" hrun crun)")" \
    "$(ratio_cell "$(cycle_ratio "$scenario" hrun runc)")"
}

table_hooks() {
  local r k
  k=$(awk '$1 == "hooks-per-stage" { print 6 * $4 }' "$RAW")
  echo "A bare fork+exec+wait of the hook binary (static, no libc, reads its stdin to the end)," \
    "timed the same way: $(time_cell "$(values bare - hook 4 | quartiles)")."
  echo
  echo "Per hook: (the cycle with hooks - the cycle without) / $k, and that over the bare" \
    "spawn, each taken per iteration (the three ran in the same iteration), then the median."
  echo
  echo "| runtime | cycle with $k hooks | cycle without | per hook | per hook / bare |"
  echo "|---|---|---|---|---|"
  for r in $(shown); do
    echo "| $r | $(ms "$(cycle_values hooks "$r" | quartiles | median)") ms |" \
      "$(ms "$(cycle_values lifecycle "$r" | quartiles | median)") ms | $(ms "$(per_hook "$r")") ms |" \
      "$(ratio_cell "$(hook_ratio "$r")") |"
  done
}

table_rss() {
  local step r scen
  echo "| command | $(for r in $(shown); do printf '%s | ' "$r"; done)hrun/crun |"
  echo "|---|$(for r in $(shown); do printf -- '---|'; done)---|"
  while read -r scen step; do
    printf '| %s | ' "$step"
    for r in $(shown); do printf '%s KiB | ' "$(rss "$scen" "$step" "$r")"; done
    printf '%s |\n' "$(div "$(rss "$scen" "$step" hrun)" "$(rss "$scen" "$step" crun)")"
  done <<<"$RSS_STEPS"
  printf '| **the highest** | '
  for r in $(shown); do printf '%s KiB | ' "$(highest_rss "$r")"; done
  printf '**%s** |\n' "$(rss_ratio)"
}

table_parallel() {
  local k r ks lo hi
  ks=$(awk '$1 ~ /^parallel-/ { sub("parallel-", "", $1); print $1 }' "$RAW" | sort -n -u | tr '\n' ' ')
  lo=${ks%% *} hi=$(echo "$ks" | awk '{ print $NF }')
  echo "| runtime | $(for k in $ks; do printf '%s at once | ' "$k"; done)$hi/$lo |"
  echo "|---|$(for k in $ks; do printf -- '---|'; done)---|"
  for r in $(shown); do
    printf '| %s | ' "$r"
    for k in $ks; do printf '%s ms | ' "$(per_container "$k" "$r")"; done
    printf '%s |\n' "$(div "$(per_container "$hi" "$r")" "$(per_container "$lo" "$r")")"
  done
}

# bd_values STEP: one value (us) per logged run that exited 0
bd_values() {
  awk -F'\t' -v s="$1" '$2 == "status" && $3 != 0 { bad[$1] = 1 }
    $2 == s { v[$1] = $3 } END { for (i in v) if (!(i in bad)) print v[i] }' "$BREAKDOWN"
}

# hrun's run of /bin/true by protocol step, from its --debug timestamps.
table_breakdown() {
  local step total runs n sum=0 m
  runs=$(awk -F'\t' '$2 == "status" && $3 == 0' "$BREAKDOWN" | wc -l)
  total=$(bd_values total | quartiles | median)
  echo "| step: from one message to the next | median (IQR) | share of run | in runs |"
  echo "|---|---|---|---|"
  while IFS= read -r step; do
    m=$(bd_values "$step" | quartiles)
    n=$(bd_values "$step" | wc -l)
    sum=$(awk -v a="$sum" -v b="${m%% *}" 'BEGIN { print a + b }')
    printf '| %s | %s | %s %% | %s |\n' "$step" "$(time_cell "$m")" \
      "$(awk -v a="${m%% *}" -v b="$total" 'BEGIN { printf "%.0f", 100 * a / b }')" "$n"
  done < <(awk -F'\t' '$2 != "total" && $2 != "status" && !seen[$2]++ { print $2 }' "$BREAKDOWN")
  echo "| **the sum of the medians** | $(ms "$sum") ms | $(awk -v a="$sum" -v b="$total" \
    'BEGIN { printf "%.0f", 100 * a / b }') % | |"
  echo "| **the whole run with --debug** (runstat's wall time) | $(time_cell "$(bd_values total | quartiles)") | 100 % | $runs |"
}

table_seal() {
  local step
  echo "| command | hrun | hrun built without it | the cost, per pair | protected/unprotected |"
  echo "|---|---|---|---|---|"
  for step in run exec; do
    echo "| \`$step\` of /bin/true | $(time_cell "$(values seal hrun "$step" 4 | quartiles)") |" \
      "$(time_cell "$(values seal hrun-unsealed "$step" 4 | quartiles)") |" \
      "$(paste -d' ' <(values seal hrun "$step" 4) <(values seal hrun-unsealed "$step" 4) |
        awk 'NF == 2 { print $1 - $2 }' | quartiles | { read -r m a b; printf '%s ms (%s–%s)' \
        "$(ms "$m")" "$(ms "$a")" "$(ms "$b")"; }) |" \
      "$(ratio_cell "$(paste -d' ' <(values seal hrun "$step" 4) <(values seal hrun-unsealed "$step" 4) |
        pairs | quartiles)") |"
  done
}

table_memory() {
  local r
  echo "| runtime | smallest limit (bisection to 4 KiB) | starts under 512 KiB |"
  echo "|---|---|---|"
  for r in $(shown); do
    echo "| $r | $(awk -v r="$r" '$1 == "memory" && $2 == r && $3 == "limit" {
        print ($6 == 0) ? $4 " KiB" : "none up to 64 MiB" }' "$RAW") |" \
      "$(awk -v r="$r" '$1 == "memory" && $2 == r && $3 == "at-512" { print ($6 == 0) ? "yes" : "no" }' "$RAW") |"
  done
}

cat <<EOF
<!-- bench:begin (generated by \`make bench\`: bench/run.sh, then bench/report.sh) -->
### The machine and the runtimes

\`\`\`
$(cat "$DIR/machine.txt")
\`\`\`

### The targets (issue 16)

$(summary)
$(f=$(failures); [ -z "$f" ] || printf '\nCommands that failed during the run (their times are in the figures):\n%s\n' "$f")

### Sequential runs of /bin/true, beside the kernel floors

$(table_run)

### Where hrun's \`run\` of /bin/true goes, step by step ($(awk -F'\t' '$2 == "total"' "$BREAKDOWN" | wc -l) runs with \`--debug --log\`, after the timed ones)

$(table_breakdown)

### exec, kill, state, delete

$(table_commands)

### create, state, start, wait, delete (each step, and the whole cycle)

$(table_lifecycle lifecycle)

### The same with all six hook stages ($(awk '$1 == "hooks-per-stage" { print $4 }' "$RAW") hooks each)

$(table_lifecycle hooks)

$(table_hooks)

### Peak RSS of each command (median over its runs)

$(table_rss)

### Containers run in parallel (per container: the batch's wall time / its size, median of 5 batches)

$(table_parallel)

### What the CVE-2019-5736 protection costs (hrun against itself built without it, interleaved)

$(table_seal)

### The smallest memory limit under which a busybox shell starts and prints

$(table_memory)
<!-- bench:end -->
EOF
