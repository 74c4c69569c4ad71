#!/usr/bin/env bash
# bench/hooksd.sh: what a hooks.d directory of 20 files that do not match
# adds to `hrun create` (issue 14's bound: under 1 ms). Three measures:
#   1. bench/hooksd.c: hooks_inject alone, in-process, with and without the
#      directory (medians of 2000 calls): the added work itself, warm;
#   2. the same call once in each of BENCH_N fresh processes: what a create
#      pays, cold (median);
#   3. whole creates of a /bin/true container (runc spec's config), with and
#      without --hooks-dir, interleaved, BENCH_N (200) each, each followed
#      by an untimed delete: medians and quartiles of the wall time and of
#      hrun's CPU time (less disturbed by other work on the machine).
# Root needed (real containers). `make bench-hooksd` runs it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
N=${BENCH_N:-200}
OUT=${BENCH_OUT:-$repo/build/bench}
[ "$(id -u)" -eq 0 ] || { echo "bench: run as root (it runs real containers)" >&2; exit 1; }
[ -x "$repo/hrun" ] || { echo "bench: $repo/hrun is missing; run make first" >&2; exit 1; }
mkdir -p "$OUT"
W=$(mktemp -d /run/hrun-bench-hooksd.XXXXXX)
cleanup() {
  local id
  for id in $("$repo/hrun" --root "$W/root" list -q 2>/dev/null); do
    "$repo/hrun" --root "$W/root" delete --force "$id" >/dev/null 2>&1 || true
  done
  rm -rf "$W"
}
trap cleanup EXIT
export HRUN_CONFIG=$W/none.json # never /etc/hrun/hrun.json

# 20 files as a GPU/device vendor would ship them: an annotation and a
# command condition each, two stages; none matches the bench's container.
mkdir -p "$W/hooks.d" "$W/bundle/rootfs/bin"
for i in $(seq -w 1 20); do
  jq -n --arg i "$i" '{version: "1.0.0",
      hook: {path: "/bin/true", args: ["true", "--device", $i], timeout: 10},
      when: {annotations: {("^com\\.example\\.device" + $i + "$"): "^(yes|true|on)$"},
             commands: [".*/nvidia-smi$", "^/usr/bin/dev" + $i]},
      stages: ["createRuntime", "poststop"]}' >"$W/hooks.d/$i-device.json"
done
cp /bin/busybox "$W/bundle/rootfs/bin/"
ln -s busybox "$W/bundle/rootfs/bin/true"
runc spec --bundle "$W/bundle"
jq '.process.terminal = false | .process.args = ["/bin/true"]' "$W/bundle/config.json" >"$W/c.json"
mv "$W/c.json" "$W/bundle/config.json"

make -s -C "$repo" build/libhrun.a
gcc -std=gnu11 -O2 -D_GNU_SOURCE -I"$repo" -static -o "$W/hooksd" "$here/hooksd.c" \
  "$repo/build/libhrun.a" -l:libyajl_s.a -lseccomp -lcap -lm
gcc -O2 -o "$W/runstat" "$here/runstat.c"

echo "bench: hooks_inject in-process" >&2
"$W/hooksd" "$W/hooks.d" "$W/bundle/config.json" | tee "$OUT/hooksd.txt"
"$repo/hrun" hooks --bundle "$W/bundle" --hooks-dir "$W/hooks.d" | grep -c ': when' |
  xargs printf 'files that do not match: %s\n' | tee -a "$OUT/hooksd.txt"

echo "bench: hooks_inject once in $N fresh processes" >&2
for ((i = 0; i < N; i++)); do "$W/hooksd" "$W/hooks.d" "$W/bundle/config.json" 1; done | sort -n |
  awk '{ v[NR] = $1 } END { printf "hooks_inject, cold (first call of a process): median %d us (quartiles %d-%d), %d processes\n", v[int(NR / 2) + 1], v[int(NR / 4) + 1], v[int(3 * NR / 4) + 1], NR }' |
  tee -a "$OUT/hooksd.txt"

echo "bench: $N creates with and without --hooks-dir, interleaved" >&2
RAW=$OUT/hooksd-raw.txt
: >"$RAW"
create() { # NAME ARGS...
  local name=$1
  shift
  printf '%s ' "$name" >>"$RAW"
  RUNSTAT_CPU=1 "$W/runstat" "$repo/hrun" --root "$W/root" create --bundle "$W/bundle" "$@" b \
    3>>"$RAW" </dev/null >/dev/null 2>&1
  "$repo/hrun" --root "$W/root" delete --force b >/dev/null 2>&1
}
for ((i = 0; i < N; i++)); do
  if ((i % 2)); then
    create plain; create hooksd --hooks-dir "$W/hooks.d"
  else
    create hooksd --hooks-dir "$W/hooks.d"; create plain
  fi
done
# per case: quartiles of the wall time and of hrun's CPU time (us), then
# the difference of the medians
stats() { # CASE COLUMN: "median q1 q3 n"
  awk -v k="$1" -v c="$2" '$1 == k && $4 == 0 { print $c }' "$RAW" | sort -n |
    awk '{ v[NR] = $1 } END { print v[int(NR / 2) + 1], v[int(NR / 4) + 1], v[int(3 * NR / 4) + 1], NR }'
}
{
  for col in 2:wall 5:cpu; do
    for k in plain hooksd; do
      stats "$k" "${col%%:*}" | awk -v k="$k" -v what="${col#*:}" '{ printf "create, %s, %s time: median %.2f ms (quartiles %.2f-%.2f), %d runs\n", k, what, $1 / 1000, $2 / 1000, $3 / 1000, $4 }'
    done
    echo "$(stats hooksd "${col%%:*}") $(stats plain "${col%%:*}")" |
      awk -v what="${col#*:}" '{ printf "create, added by 20 files that do not match, %s time: %.2f ms (difference of medians)\n", what, ($1 - $5) / 1000 }'
  done
  awk '$4 != 0 { n++ } END { if (n) printf "failed creates: %d\n", n }' "$RAW"
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores (wall times vary with it)"
} | tee -a "$OUT/hooksd.txt"
