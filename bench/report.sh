#!/usr/bin/env bash
# bench/report.sh [DIR]: the markdown of docs/performance.md's results from
# DIR/raw.txt and DIR/machine.txt (written by bench/run.sh).
#
# Times are medians with their interquartile range. A ratio A/B is the
# median of the per-iteration ratios A_i/B_i: iteration i ran A and B back
# to back (bench/run.sh rotates their order), so a slow phase of the
# machine lands on both sides of a pair. The targets are checked on those.
set -euo pipefail
DIR=${1:-build/bench}
RAW=$DIR/raw.txt
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

RUNTIMES=$(awk '$1 != "hooks-per-stage" && $1 != "bare" && $2 != "kernel" { print $2 }' "$RAW" |
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
# per_hook RUNTIME: (cycle with hooks - cycle without) / number of hooks, us
per_hook() {
  local k
  k=$(awk '$1 == "hooks-per-stage" { print 6 * $4 }' "$RAW")
  awk -v a="$(cycle_values hooks "$1" | quartiles | median)" \
    -v b="$(cycle_values lifecycle "$1" | quartiles | median)" -v k="${k:-6}" \
    'BEGIN { printf "%.0f", (a - b) / k }'
}
bare_hook() { values bare - hook 4 | quartiles | median; }
per_container() { # SIZE RUNTIME -> ms per container, median batch / size
  awk -v k="$1" -v x="$(values "parallel-$1" "$2" batch 4 | quartiles | median)" \
    'BEGIN { if (x == "nan") print "nan"; else printf "%.2f", x / 1000 / k }'
}
worst_rss_ratio() {
  local step scen worst=0 x
  for step in run create state start delete; do
    scen=lifecycle
    [ "$step" = run ] && scen=run
    x=$(awk -v a="$(values "$scen" hrun "$step" 5 | quartiles | median)" \
      -v b="$(values "$scen" crun "$step" 5 | quartiles | median)" 'BEGIN { printf "%.2f", a / b }')
    worst=$(awk -v a="$worst" -v b="$x" 'BEGIN { print (b > a) ? b : a }')
  done
  echo "$worst"
}

failures() {
  awk '$1 != "hooks-per-stage" && $1 != "memory" && $6 != 0 {
      n[$1 " " $2 " " $3] += ($1 ~ /^parallel-/) ? $6 : 1 }
    END { for (k in n) printf "- %s: %d failed\n", k, n[k] }' "$RAW" | sort
}

summary() {
  local run cyc st rss hook bare flat mem
  run=$(step_ratio run run hrun crun | median)
  cyc=$(cycle_ratio lifecycle hrun crun | median)
  st=$(step_ratio lifecycle state hrun crun | median)
  rss=$(worst_rss_ratio)
  bare=$(bare_hook)
  hook=$(awk -v p="$(per_hook hrun)" -v b="$bare" 'BEGIN { printf "%.2f", p / b }')
  flat=$(awk -v a="$(per_container 100 hrun)" -v b="$(per_container 10 hrun)" \
    'BEGIN { if (a == "nan" || b == "nan") print "nan"; else printf "%.2f", a / b }')
  mem=$(awk '$1 == "memory" && $2 == "hrun" && $3 == "at-512" { print ($6 == 0) ? "yes" : "no" }' "$RAW")
  echo "| target | measured | |"
  echo "|---|---|---|"
  echo "| 100 sequential \`run\` of /bin/true, hrun/crun ≤ 0.70 | $(two "$run") | $(verdict "$run" 0.70) |"
  echo "| create + start + wait + delete, hrun/crun ≤ 0.70 | $(two "$cyc") | $(verdict "$cyc" 0.70) |"
  echo "| \`state\`, hrun/crun ≤ 0.60 | $(two "$st") | $(verdict "$st" 0.60) |"
  echo "| peak RSS of every command, hrun/crun ≤ 0.60 | $rss (the highest) | $(verdict "$rss" 0.60) |"
  echo "| per-hook overhead ≤ 1.1 × a bare fork+exec+wait | $hook × | $(verdict "$hook" 1.1) |"
  echo "| a busybox container starts under a 512 KiB memory limit | ${mem:-n/a} | $([ "$mem" = yes ] && echo met || echo missed) |"
  echo "| parallel: per-container time at 100 / at 10 stays flat (≤ 1.20) | $(two "$flat") | $(verdict "$flat" 1.20) |"
}

table_run() {
  local r
  echo "| runtime | one \`run\` of /bin/true, median (IQR) |"
  echo "|---|---|"
  for r in $(shown); do echo "| $r | $(time_cell "$(values run "$r" run 4 | quartiles)") |"; done
  echo "| (the kernel's part: \`unshare -fmpiun --mount-proc /bin/true\`) |" \
    "$(time_cell "$(values run kernel run 4 | quartiles)") |"
  echo
  echo "hrun/crun over the interleaved pairs: **$(ratio_cell "$(step_ratio run run hrun crun)")**;" \
    "hrun/runc: $(ratio_cell "$(step_ratio run run hrun runc)")."
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
  local r k bare per
  k=$(awk '$1 == "hooks-per-stage" { print 6 * $4 }' "$RAW")
  bare=$(bare_hook)
  echo "A bare fork+exec+wait of the hook binary (static, no libc, reads its stdin to the end)," \
    "timed the same way: $(time_cell "$(values bare - hook 4 | quartiles)")."
  echo
  echo "| runtime | cycle with $k hooks | cycle without | per hook | per hook / bare |"
  echo "|---|---|---|---|---|"
  for r in $(shown); do
    per=$(per_hook "$r")
    echo "| $r | $(ms "$(cycle_values hooks "$r" | quartiles | median)") ms |" \
      "$(ms "$(cycle_values lifecycle "$r" | quartiles | median)") ms | $(ms "$per") ms |" \
      "$(awk -v p="$per" -v b="$bare" 'BEGIN { printf "%.2f", p / b }') |"
  done
}

table_rss() {
  local step r scen
  echo "| command | $(for r in $(shown); do printf '%s | ' "$r"; done)hrun/crun |"
  echo "|---|$(for r in $(shown); do printf -- '---|'; done)---|"
  for step in run create state start delete; do
    scen=lifecycle
    [ "$step" = run ] && scen=run
    printf '| %s | ' "$step"
    for r in $(shown); do printf '%s KiB | ' "$(values "$scen" "$r" "$step" 5 | quartiles | median)"; done
    awk -v a="$(values "$scen" hrun "$step" 5 | quartiles | median)" \
      -v b="$(values "$scen" crun "$step" 5 | quartiles | median)" 'BEGIN { printf "%.2f |\n", a / b }'
  done
}

table_parallel() {
  local k r ks
  ks=$(awk '$1 ~ /^parallel-/ { sub("parallel-", "", $1); print $1 }' "$RAW" | sort -n -u | tr '\n' ' ')
  echo "| runtime | $(for k in $ks; do printf '%s at once | ' "$k"; done)"
  echo "|---|$(for k in $ks; do printf -- '---|'; done)"
  for r in $(shown); do
    printf '| %s | ' "$r"
    for k in $ks; do printf '%s ms | ' "$(per_container "$k" "$r")"; done
    echo
  done
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

### The targets

$(summary)
$(f=$(failures); [ -z "$f" ] || printf '\nCommands that failed during the run (their times are in the figures):\n%s\n' "$f")

### 100 sequential runs of /bin/true

$(table_run)

### create, state, start, wait, delete (each step, and the whole cycle)

$(table_lifecycle lifecycle)

### The same with all six hook stages ($(awk '$1 == "hooks-per-stage" { print $4 }' "$RAW") hooks each)

$(table_lifecycle hooks)

$(table_hooks)

### Peak RSS of each command (median of the lifecycle runs)

$(table_rss)

### Containers run in parallel (per container: the batch's wall time / its size, median of 5 batches)

$(table_parallel)

### What the CVE-2019-5736 protection costs (hrun against itself built without it, interleaved)

$(table_seal)

### The smallest memory limit under which a busybox shell starts and prints

$(table_memory)
<!-- bench:end -->
EOF
