#!/usr/bin/env bash
# bench/run.sh: measures hrun against crun and runc, in the same run,
# interleaving the runtimes (each iteration rotates their order), and writes
# one line per measurement to $BENCH_OUT/raw.txt:
#   <scenario> <runtime> <step> <wall us> <peak RSS KiB> <exit status>
# bench/report.sh turns that into the tables of docs/performance.md.
#
# hrun's breakdown by protocol step (runs with --debug, apart from the timed
# ones) goes to $BENCH_OUT/breakdown.txt: "<iteration>\t<step>\t<us>".
#
# Knobs: BENCH_N (iterations, default 100), BENCH_OUT (default build/bench),
# BENCH_RUNTIMES (default "hrun crun runc"), BENCH_PARALLEL ("10 50 100"),
# BENCH_BREAKDOWN (logged runs for the breakdown, default BENCH_N).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
N=${BENCH_N:-100}
OUT=${BENCH_OUT:-$repo/build/bench}
RUNTIMES=(${BENCH_RUNTIMES:-hrun crun runc})
PARALLEL=(${BENCH_PARALLEL:-10 50 100})
M=${BENCH_BREAKDOWN:-$N}

# crun 1.8.1 refuses this machine's hybrid cgroup layout: every runtime runs
# in one private mount namespace with the cgroup2 "unified" mount hidden, so
# that they all see the same v1 layout.
if [ -z "${BENCH_IN_NS:-}" ] && [ "$(stat -f -c %T /sys/fs/cgroup 2>/dev/null)" = tmpfs ] &&
  [ "$(stat -f -c %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ]; then
  export BENCH_IN_NS=1
  exec unshare --mount --propagation private -- bash -c \
    'umount /sys/fs/cgroup/unified && exec "$0" "$@"' "$0" "$@"
fi

for tool in crun runc jq gcc; do
  command -v "$tool" >/dev/null ||
    { echo "bench: $tool is missing; make bench installs it (contrib/install-deps.sh bench)" >&2; exit 1; }
done
[ -x "$repo/hrun" ] || { echo "bench: $repo/hrun is missing; run make first" >&2; exit 1; }

mkdir -p "$OUT"
# The state roots, bundles and pid files. Every runtime keeps its state in
# /run by default (/run/runc, /run/crun, /run/hrun), a tmpfs on systemd
# hosts; where /run is not one (this machine's is on the root file system,
# ext4, where replacing a file by rename costs 0.15-0.3 ms), they get a
# tmpfs of their own, so that state writes cost what they cost on such a
# host. BENCH_TMPFS=0 keeps /run as it is.
W=$(mktemp -d /run/hrun-bench.XXXXXX)
W_FS=$(stat -f -c %T /run)
if [ "${BENCH_TMPFS:-1}" = 1 ] && [ "$W_FS" != tmpfs ]; then
  mount -t tmpfs -o mode=0700 hrun-bench "$W"
  W_FS="tmpfs of its own (/run here: $W_FS)"
fi
RAW=$OUT/raw.txt
: >"$RAW"
BREAKDOWN=$OUT/breakdown.txt
: >"$BREAKDOWN"
RUNSTAT=$W/runstat
UNSEALED_BUILD=build/bench/unsealed
UNSEALED=$repo/$UNSEALED_BUILD/hrun
HOOK=$W/hook

cleanup() {
  local rt id
  for rt in "${RUNTIMES[@]}" hrun-unsealed; do
    for id in $("$(rt_bin "$rt")" --root "$W/root-$rt" list -q 2>/dev/null); do
      "$(rt_bin "$rt")" --root "$W/root-$rt" delete --force "$id" >/dev/null 2>&1 || true
    done
  done
  if [ "$(stat -f -c %T "$W")" = tmpfs ] && [ "$(stat -f -c %T /run)" != tmpfs ]; then
    umount "$W"
  fi
  rm -rf "$W"
}
trap cleanup EXIT

rt_bin() {
  case $1 in
  hrun) echo "$repo/hrun" ;;
  hrun-unsealed) echo "$UNSEALED" ;;
  *) command -v "$1" ;;
  esac
}

# rt RUNTIME ARGS...: the runtime with its own state root
rt() {
  local r=$1
  shift
  "$(rt_bin "$r")" --root "$W/root-$r" "$@"
}

# measure SCENARIO RUNTIME STEP CMD...: one timed run, appended to RAW
measure() {
  local scenario=$1 runtime=$2 step=$3
  shift 3
  printf '%s %s %s ' "$scenario" "$runtime" "$step" >>"$RAW"
  "$RUNSTAT" "$@" 3>>"$RAW" </dev/null >/dev/null 2>&1
}

# rotated I [NAME...]: the names (default: the runtimes) in a different
# order each iteration I.
rotated() {
  local i=$1 k
  shift
  local names=("$@")
  [ $# -gt 0 ] || names=("${RUNTIMES[@]}")
  for ((k = 0; k < ${#names[@]}; k++)); do
    echo "${names[$(((i + k) % ${#names[@]}))]}"
  done
}

make_bundle() {
  local dir=$1
  mkdir -p "$dir/rootfs/bin"
  cp /bin/busybox "$dir/rootfs/bin/"
  ln -s busybox "$dir/rootfs/bin/true"
  ln -s busybox "$dir/rootfs/bin/sh"
  cp "$HOOK" "$dir/rootfs/hook"
  # runc's own default config, so that no runtime is favoured
  runc spec --bundle "$dir"
  jq '.process.terminal = false | .process.args = ["/bin/true"]' "$dir/config.json" >"$dir/c.json"
  mv "$dir/c.json" "$dir/config.json"
}

# HOOKS_PER_STAGE hooks at each of the six stages: enough of them that
# their cost stands out of the cycle's own noise.
HOOKS_PER_STAGE=5
add_hooks() {
  local dir=$1 host=$1/rootfs/hook
  jq --arg h "$host" --argjson n "$HOOKS_PER_STAGE" '
      def many(p): [range($n)] | map({path: p});
      .hooks = {prestart: many($h), createRuntime: many($h), createContainer: many($h),
                startContainer: many("/hook"), poststart: many($h), poststop: many($h)}' \
    "$dir/config.json" >"$dir/c.json"
  mv "$dir/c.json" "$dir/config.json"
}

setup() {
  # hrun without the CVE-2019-5736 protection, only to measure its cost
  # (the switch tests/security/mutants.sh uses; never installed).
  make -s -C "$repo" BUILD="$UNSEALED_BUILD" CFLAGS="-O2 -g -DHRUN_TEST_NO_EXE_SEAL" \
    "$UNSEALED_BUILD/hrun" >/dev/null
  # Static: a posix_spawn child's ru_maxrss counts the spawner's own
  # resident set (the vfork child runs on its memory until the exec), and a
  # dynamic runstat holds about 1 MiB, near hrun's peak.
  gcc -O2 -static -o "$RUNSTAT" "$here/runstat.c"
  gcc -O2 -static -nostdlib -fno-stack-protector -o "$HOOK" "$here/hook.c"
  make_bundle "$W/plain"
  make_bundle "$W/hooks"
  add_hooks "$W/hooks"
  make_sleeper "$W/sleeper"
  echo '{"ociVersion":"1.3.0","id":"x","status":"creating","pid":1,"bundle":"/b"}' >"$W/state.json"
}

# A bundle on the plain one's rootfs whose process sleeps: for exec and kill.
make_sleeper() {
  local dir=$1
  mkdir -p "$dir"
  jq --arg root "$W/plain/rootfs" '.root.path = $root
      | .process.args = ["/bin/busybox", "sleep", "100000"]' \
    "$W/plain/config.json" >"$dir/config.json"
}

# N sequential runs of /bin/true, interleaved with two floors that no
# runtime can go under: "kernel", the same namespaces and /proc with no
# runtime (unshare -fmpiun --mount-proc /bin/true), and "spawn", a bare
# fork+exec+wait of a static binary (the hook, stdin at its end).
bench_run() {
  local i r
  for ((i = 0; i < N; i++)); do
    for r in $(rotated "$i" "${RUNTIMES[@]}" kernel spawn); do
      case $r in
      kernel) measure run kernel run unshare -fmpiun --mount-proc /bin/true ;;
      spawn) measure run spawn run "$HOOK" ;;
      *) measure run "$r" run "$(rt_bin "$r")" --root "$W/root-$r" run --bundle "$W/plain" "run-$r" ;;
      esac
    done
  done
}

# create, state, start, wait for the process, delete: each step timed.
cycle() {
  local scenario=$1 r=$2 bundle=$3 id=c-$2
  measure "$scenario" "$r" create "$(rt_bin "$r")" --root "$W/root-$r" create \
    --bundle "$bundle" --pid-file "$W/pid-$r" "$id"
  measure "$scenario" "$r" state "$(rt_bin "$r")" --root "$W/root-$r" state "$id"
  measure "$scenario" "$r" start "$(rt_bin "$r")" --root "$W/root-$r" start "$id"
  printf '%s %s wait ' "$scenario" "$r" >>"$RAW"
  "$RUNSTAT" --wait-gone "$(cat "$W/pid-$r")" 3>>"$RAW"
  measure "$scenario" "$r" delete "$(rt_bin "$r")" --root "$W/root-$r" delete "$id"
}

# The cycle without hooks ("lifecycle") and with the six hook stages
# ("hooks"), and a bare spawn of the hook, in one loop: the per-hook
# overhead is taken per iteration, so that a slow phase of the machine
# lands on all three.
bench_lifecycle() {
  local i r s
  for ((i = 0; i < N; i++)); do
    for r in $(rotated "$i"); do
      for s in $(rotated "$i" lifecycle hooks); do
        case $s in
        lifecycle) cycle lifecycle "$r" "$W/plain" ;;
        hooks) cycle hooks "$r" "$W/hooks" ;;
        esac
      done
    done
    bare_hook
  done
}

# exec of /bin/true into a running container (one sleeper per runtime).
bench_exec() {
  local i r
  for r in "${RUNTIMES[@]}"; do
    rt "$r" run -d --bundle "$W/sleeper" "ex-$r" </dev/null >/dev/null 2>&1
  done
  for ((i = 0; i < N; i++)); do
    for r in $(rotated "$i"); do
      measure exec "$r" exec "$(rt_bin "$r")" --root "$W/root-$r" exec "ex-$r" /bin/true
    done
  done
  for r in "${RUNTIMES[@]}"; do
    rt "$r" delete --force "ex-$r" >/dev/null 2>&1
  done
}

# kill: a sleeper created and started, then `kill ID KILL` timed, the wait
# for its end and the delete of the stopped container.
kill_cycle() {
  local r=$1 id=k-$1
  measure kill "$r" create "$(rt_bin "$r")" --root "$W/root-$r" create \
    --bundle "$W/sleeper" --pid-file "$W/kpid-$r" "$id"
  measure kill "$r" start "$(rt_bin "$r")" --root "$W/root-$r" start "$id"
  measure kill "$r" kill "$(rt_bin "$r")" --root "$W/root-$r" kill "$id" KILL
  printf 'kill %s wait ' "$r" >>"$RAW"
  "$RUNSTAT" --wait-gone "$(cat "$W/kpid-$r")" 3>>"$RAW"
  measure kill "$r" delete "$(rt_bin "$r")" --root "$W/root-$r" delete "$id"
}

bench_kill() {
  local i r
  for ((i = 0; i < N; i++)); do
    for r in $(rotated "$i"); do
      kill_cycle "$r"
    done
  done
}

# A bare fork+exec+wait of the hook, with a state on stdin.
bare_hook() {
  printf 'bare - hook ' >>"$RAW"
  "$RUNSTAT" "$HOOK" 3>>"$RAW" <"$W/state.json" >/dev/null
}

# What the CVE-2019-5736 protection costs: `run` of /bin/true, and `exec`
# of /bin/true into a running container, by hrun and by the same hrun
# built without the protection, interleaved.
bench_seal() {
  local i r
  for r in hrun hrun-unsealed; do
    rt "$r" run -d --bundle "$W/sleeper" "seal-$r" </dev/null >/dev/null 2>&1
  done
  for ((i = 0; i < N; i++)); do
    for r in $(rotated "$i" hrun hrun-unsealed); do
      measure seal "$r" run "$(rt_bin "$r")" --root "$W/root-$r" run --bundle "$W/plain" "run-$r"
      measure seal "$r" exec "$(rt_bin "$r")" --root "$W/root-$r" exec "seal-$r" /bin/true
    done
  done
  for r in hrun hrun-unsealed; do
    rt "$r" delete --force "seal-$r" >/dev/null 2>&1
  done
}

# breakdown_steps STAT LOG I: one logged run as "I<TAB>step<TAB>us" lines:
# from the spawn to the first message, between consecutive messages (ids,
# pids and paths taken out so that the runs line up), from the last one to
# the end of the wait, and the run's "total" and exit "status". Both clocks
# are CLOCK_REALTIME, compared as nanoseconds of the UTC day.
breakdown_steps() {
  awk -v i="$3" -v id=bd '
    function epoch(x, p) { split(x, p, "."); return (p[1] % 86400) * 1e9 + p[2] }
    function rel(v) { v -= t0; return (v < -43200e9) ? v + 86400e9 : v }
    function stamp(line, h, s, f) {
      match(line, /T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.[0-9]+Z/)
      split(substr(line, RSTART + 1, RLENGTH - 2), h, ":")
      split(h[3], s, ".")
      f = s[2]
      while (length(f) < 9) f = f "0"
      return rel((h[1] * 3600 + h[2] * 60 + s[1]) * 1e9 + f)
    }
    function step(label, t) { printf "%d\t%s\t%.1f\n", i, label, (t - prev) / 1000; prev = t }
    FNR == NR { wall = $1; status = $3; t0 = epoch($4); end = rel(epoch($5)); next }
    match($0, /msg="[^"]*"/) {
      m = substr($0, RSTART + 5, RLENGTH - 6)
      gsub(" " id ":", ":", m); gsub(" /" id " ", " ", m); gsub(/ [0-9]+/, "", m)
      sub(/: bundle .*/, ": bundle", m)
      step((last == "") ? "(spawn) → " m : last " → " m, stamp($0))
      last = m
    }
    END {
      step(last " → (exit)", end)
      printf "%d\ttotal\t%d\n%d\tstatus\t%d\n", i, wall, i, status
    }' "$1" "$2"
}

# hrun's run of /bin/true with --debug timestamps, M times, after the timed
# runs (logging costs): where each millisecond goes.
bench_breakdown() {
  local i log=$W/debug.log
  for ((i = 0; i < M; i++)); do
    rm -f "$log"
    RUNSTAT_REALTIME=1 "$RUNSTAT" "$repo/hrun" --debug --log "$log" --root "$W/root-hrun" \
      run --bundle "$W/plain" bd 3>"$W/bd.stat" </dev/null >/dev/null 2>&1
    breakdown_steps "$W/bd.stat" "$log" "$i" >>"$BREAKDOWN"
  done
}

# K containers run at once; the wall time of the whole batch, and in the
# status field the number of runs that failed. The kernel tears network
# namespaces down in a worker after the containers are gone: each batch
# starts after a pause, so that it does not pay for the previous one.
bench_parallel() {
  local k r round j start end pids failed p
  for k in "${PARALLEL[@]}"; do
    for round in 0 1 2 3 4; do
      for r in $(rotated "$round"); do
        pids=() failed=0
        sleep 1
        start=$(date +%s%N)
        for ((j = 0; j < k; j++)); do
          rt "$r" run --bundle "$W/plain" "p$k-$j" </dev/null >/dev/null 2>&1 &
          pids+=($!)
        done
        for p in "${pids[@]}"; do wait "$p" || failed=$((failed + 1)); done
        end=$(date +%s%N)
        echo "parallel-$k $r batch $(((end - start) / 1000)) 0 $failed" >>"$RAW"
      done
    done
  done
}

# Whether a busybox shell starts and prints under a memory limit of KiB
# (twice in a row, so that a lucky run does not count).
runs_under() {
  local r=$1 kib=$2 dir=$W/mem-$1 try out
  jq --argjson l $((kib * 1024)) --arg root "$W/plain/rootfs" \
    '.linux.resources.memory = {limit: $l} | .root.path = $root
     | .process.args = ["/bin/sh", "-c", "echo started"]' \
    "$W/plain/config.json" >"$dir/config.json"
  for try in 1 2; do
    out=$(rt "$r" run --bundle "$dir" "mem-$r" </dev/null 2>/dev/null) || return 1
    [ "$out" = started ] || return 1
  done
}

# The smallest limit found by bisection (KiB, to 4 KiB), and whether the
# container runs under exactly 512 KiB (the target): "memory R limit KiB 0 S"
# and "memory R at-512 512 0 S", S the exit status (0: it ran).
bench_memory() {
  local r lo hi mid s
  for r in "${RUNTIMES[@]}"; do
    mkdir -p "$W/mem-$r"
    s=0
    runs_under "$r" 512 || s=$?
    echo "memory $r at-512 512 0 $s" >>"$RAW"
    lo=4 hi=65536
    runs_under "$r" "$hi" || { echo "memory $r limit 0 0 1" >>"$RAW"; continue; }
    while ((hi - lo > 4)); do
      mid=$(((lo + hi) / 2))
      if runs_under "$r" "$mid"; then hi=$mid; else lo=$mid; fi
    done
    echo "memory $r limit $hi 0 0" >>"$RAW"
  done
}

versions() {
  local r
  {
    echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
    echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "kernel: $(uname -r)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores"
    echo "memory: $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)"
    echo "cgroups: v1 (the cgroup2 unified mount hidden for all runtimes)"
    echo "state roots and bundles: $W_FS"
    echo "iterations: $N"
    for r in "${RUNTIMES[@]}"; do
      echo "$r: $(rt "$r" --version 2>/dev/null | head -n 1)"
    done
  } >"$OUT/machine.txt"
}

setup
versions
echo "bench: sequential run, beside the kernel floors" >&2
bench_run
echo "bench: exec and kill" >&2
bench_exec
bench_kill
echo "bench: lifecycle, without hooks and with six stages of $HOOKS_PER_STAGE hooks" >&2
bench_lifecycle
# The batches raise the load average themselves: the load before them says
# what else ran beside the sequential figures.
echo "load average before the parallel batches: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/machine.txt"
echo "bench: parallel ${PARALLEL[*]}" >&2
bench_parallel
echo "bench: the cost of the CVE-2019-5736 protection" >&2
bench_seal
echo "bench: smallest memory limit" >&2
bench_memory
echo "bench: hrun's breakdown by protocol step ($M runs with --debug)" >&2
bench_breakdown
echo "hooks-per-stage - - $HOOKS_PER_STAGE 0 0" >>"$RAW"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/machine.txt"
echo "bench: raw data in $RAW" >&2
