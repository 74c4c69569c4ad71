# The fault sweep of faults.bats: hrun SIGKILLed at each kill point of a
# command (tests/helpers/killat.c), and after each kill the proof that
# nothing is wedged: `delete --force` succeeds and leaves no state dir,
# cgroup, mount or process, and the id can be created, started and
# deleted again.
#
# Kill points: both phases (entry: not sent or not received; exit: sent, or
# received and not yet acted on) of every system call that carried a sync
# message of nsexec/sync.h, and the exit of a sample of the others
# (FAULTS_SAMPLE of them, default 40; FAULTS_ALL=1 takes every one).

KILLAT=$REPO_ROOT/build/tests/helpers/killat
FAULTS_SAMPLE=${FAULTS_SAMPLE:-40}
# The sync messages each sweep saw at a kill point, for the coverage test.
SYNC_SEEN=$BATS_FILE_TMPDIR/sync-seen

# kill_points LIST [sync]: "PHASE:NR:K [LABEL]" lines, from killat -l's list.
kill_points() {
  awk -v sample="$FAULTS_SAMPLE" -v all="${FAULTS_ALL:-0}" -v only_sync="${2:-}" '
    $3 == "exit_group" { next }
    NF >= 4 { print "entry:" $1 ":" $2 " " $4; print "exit:" $1 ":" $2 " " $4; next }
    { other[n++] = "exit:" $1 ":" $2 }
    END {
      if (only_sync != "") exit
      stride = (all == 1 || n <= sample) ? 1 : n / sample
      for (i = 0; i < n; i += stride) print other[int(i)]
    }' "$1"
}

# Processes whose command line names the id: a container init (a clone of
# `hrun create ... ID`), the container's process and the hooks (both carry
# the id as an argument in the fault bundle).
id_processes() {
  local f p
  for f in $(grep -lsa -- "$ID" /proc/[0-9]*/cmdline); do
    p=${f%/cmdline}
    [ -e "$p" ] || continue
    grep -qsa -e "grep -lsa" "$f" && continue
    echo "${p#/proc/} $(tr '\0' ' ' <"$f" 2>/dev/null)"
  done
}

no_id_processes() {
  [ -z "$(id_processes)" ]
}

# What a failed recovery left, removed by hand so that the next kill point
# (and the host) starts clean.
scrub() {
  local p d
  for p in $(id_processes | cut -d' ' -f1); do kill -9 "$p" 2>/dev/null || true; done
  wait_until 5 no_id_processes || true
  for d in $(cgroup_dirs_named "$ID" | sort -r); do rmdir "$d" 2>/dev/null || true; done
  rm -rf "${HRUN_ROOT:?}/$ID"
  grep -F "$BUNDLE" /proc/self/mountinfo | awk '{print $5}' | sort -r | xargs -r umount -l
}

# leftovers: one line per trace of the id left on the host.
leftovers() {
  local cg procs
  [ ! -e "$HRUN_ROOT/$ID" ] || echo "state dir: $(ls -A "$HRUN_ROOT/$ID" | tr '\n' ' ')"
  cg=$(cgroup_dirs_named "$ID")
  [ -z "$cg" ] || echo "cgroup: $cg" | tr '\n' ' '
  procs=$(id_processes)
  [ -z "$procs" ] || echo "processes: $procs" | tr '\n' ';'
  ! grep -qF "$BUNDLE" /proc/self/mountinfo || echo "mounts under the bundle"
}

# The id works again: create, start, delete.
reusable() {
  hrun create --bundle "$BUNDLE" "$ID" </dev/null >"$BATS_TEST_TMPDIR/reuse" 2>&1 &&
    hrun start "$ID" >>"$BATS_TEST_TMPDIR/reuse" 2>&1 &&
    hrun delete --force "$ID" >>"$BATS_TEST_TMPDIR/reuse" 2>&1
}

# recovered WHAT: delete --force, then nothing left and the id reusable;
# otherwise a line in FAILED and the host scrubbed.
recovered() {
  local what=$1 problems=""
  if [ -n "${AFTER_KILL:-}" ]; then
    problems=$("$AFTER_KILL" 2>&1) || true
  fi
  hrun delete --force "$ID" >"$BATS_TEST_TMPDIR/delete" 2>&1 ||
    problems+="delete --force failed: $(<"$BATS_TEST_TMPDIR/delete"); "
  problems+=$(leftovers)
  [ -z "${BEFORE_REUSE:-}" ] || "$BEFORE_REUSE"
  if [ -z "$problems" ] && ! reusable; then
    problems+="not reusable: $(<"$BATS_TEST_TMPDIR/reuse")"
    hrun delete --force "$ID" >/dev/null 2>&1 || true
  fi
  [ -n "$problems" ] || return 0
  FAILED+=("$what: $problems")
  scrub
  return 1
}

# fault_sweep NAME SETUP [sync] -- CMD [ARG...]: SETUP (a function: the
# state the command starts from), then CMD killed at each kill point.
fault_sweep() {
  local name=$1 setup=$2 only_sync=${3:-}
  [ "$3" = -- ] && only_sync=""
  shift 3
  [ "$1" != -- ] || shift
  local list=$BATS_TEST_TMPDIR/$name.list out=$BATS_TEST_TMPDIR/$name.out
  local points line point label rc tried=0 ok=0 missed=0 sync=0
  FAILED=()
  "$setup"
  rc=0
  "$KILLAT" -l "$list" "$@" </dev/null >"$out" 2>&1 || rc=$?
  # TRACED_MAY_FAIL: a sweep of a command that fails by design.
  [ "$rc" -eq 0 ] || { [ -n "${TRACED_MAY_FAIL:-}" ] && [ "$rc" -ne 2 ]; } ||
    fail "$name: \`$*\` failed when traced to its end: $(<"$out")"
  hrun delete --force "$ID" >/dev/null 2>&1 || true
  [ -z "$(leftovers)" ] || fail "$name: the untraced delete left: $(leftovers)"
  mapfile -t points < <(kill_points "$list" "$only_sync")
  [ "${#points[@]}" -gt 0 ] || fail "$name: no kill point in $(wc -l <"$list") system calls"
  for line in "${points[@]}"; do
    read -r point label <<<"$line"
    "$setup"
    rc=0
    "$KILLAT" -k "$point" "$@" </dev/null >"$out" 2>&1 || rc=$?
    if [ "$rc" -eq 3 ]; then
      # Not every run makes the same calls (a retry, a poll): only a sync
      # message must always be reached.
      missed=$((missed + 1))
      [ -z "$label" ] || FAILED+=("$point ($label): never reached: $(<"$out")")
      hrun delete --force "$ID" >/dev/null 2>&1 || true
      continue
    fi
    [ "$rc" -eq 0 ] || FAILED+=("$point: killat: $(<"$out")")
    tried=$((tried + 1))
    if [ -n "$label" ]; then
      sync=$((sync + 1))
      echo "${label#*:}" >>"$SYNC_SEEN"
    fi
    recovered "$point${label:+ ($label)}" && ok=$((ok + 1))
  done
  echo "# $name: $tried kill points tried ($sync at sync messages), $ok recovered$([ "$missed" -eq 0 ] || echo ", $missed sampled ones not reached")" >&3
  [ "${#FAILED[@]}" -eq 0 ] || fail "$(printf '%s\n' "${FAILED[@]}")"
}

# Starting states.
from_nothing() { :; }

from_created() {
  hrun create --bundle "$BUNDLE" "$ID" </dev/null >/dev/null 2>&1 ||
    fail "create before the kill failed"
}

from_running() {
  from_created
  hrun start "$ID" >/dev/null 2>&1 || fail "start before the kill failed"
}

# After a killed start, the container says what it is, and a "created" one
# can be started (the start channel was not taken away by a start that
# never sent START).
start_after_kill() {
  local status out
  status=$(hrun state "$ID" 2>&1 | jq -r .status 2>&1)
  case $status in
  created)
    out=$(hrun start "$ID" 2>&1) && return 0
    # The killed start's START may have reached the init, which runs on.
    [[ "$out" == *"it is running, not created"* || "$out" == *"another start is starting it"* ]] ||
      echo "created, but start failed: $out; "
    ;;
  running | stopped) ;;
  *) echo "status after the kill: $status; " ;;
  esac
}

# After a start that failed: the container is destroyed (design.md: a
# start that fails destroys it, poststop hooks run), or as after a kill.
start_after_failure() {
  local out
  out=$(hrun state "$ID" 2>&1) && { start_after_kill; return; }
  [[ "$out" == *"container $ID does not exist"* ]] || echo "state after the failure: $out; "
}

# --- one failing system call per run ---

# Always failed, every call of them (x86_64 numbers): the state dir's and
# the cgroups' making and unmaking, the lock, and every open, stat and read
# (what once wedged an id, or was taken for the end of mountinfo): flock 73,
# mkdir 83, mkdirat 258, unlink 87, unlinkat 263, rmdir 84, rename 82,
# renameat 264, renameat2 316, openat 257, fstat 5, newfstatat 262, read 0,
# pread64 17.
INJECT_ALWAYS="73 83 258 87 263 84 82 264 316 257 5 262 0 17"
# The errors injected, in turn (EIO, ENOSPC, EMFILE, EAGAIN).
INJECT_ERRNOS=(5 28 24 11)

# Never failed: the program loader's and the allocator's calls (execve of
# hrun itself, brk, mmap, mprotect, munmap, arch_prctl). Their failure is a
# broken binary or an out-of-memory, which ends any program where it
# happens, and brk has no error return to fake (glibc's malloc takes the
# fake value for a break and corrupts its heap).
INJECT_NEVER="59 12 9 10 11 158"

# failure_points LIST: "NR:K" for every call of INJECT_ALWAYS's and a
# sample (FAULTS_SAMPLE, or all with FAULTS_ALL=1) of the others.
failure_points() {
  awk -v sample="$FAULTS_SAMPLE" -v all="${FAULTS_ALL:-0}" -v always="$INJECT_ALWAYS" \
    -v never="$INJECT_NEVER" '
    BEGIN { split(always, a, " "); for (i in a) keep[a[i]] = 1
            split(never, b, " "); for (i in b) skip[b[i]] = 1 }
    $3 == "exit_group" || $1 in skip { next }
    $1 in keep { print $1 ":" $2; next }
    { other[n++] = $1 ":" $2 }
    END {
      stride = (all == 1 || n <= sample) ? 1 : n / sample
      for (i = 0; i < n; i += stride) print other[int(i)]
    }' "$1"
}

# failure_sweep NAME SETUP -- CMD [ARG...]: CMD run once per failure
# point with that one call failing. Whether it then fails (with a one-line
# error) or copes, nothing may be wedged: recovered() as after a kill. A
# command still running after 30 s is a hang, and a failure.
failure_sweep() {
  local name=$1 setup=$2
  shift 3
  local list=$BATS_TEST_TMPDIR/$name.list out=$BATS_TEST_TMPDIR/$name.out
  local points point rc tried=0 ok=0 failed_cmd=0 n=0 e
  FAILED=()
  "$setup"
  "$KILLAT" -l "$list" "$@" </dev/null >"$out" 2>&1 ||
    [ -n "${TRACED_MAY_FAIL:-}" ] || fail "$name: \`$*\` failed when traced: $(<"$out")"
  # A command that copes with a failure must still do all of its work: as
  # many cgroup directories of the id as without one.
  local cgroups
  cgroups=$(cgroup_dirs_named "$ID" | wc -l)
  hrun delete --force "$ID" >/dev/null 2>&1 || true
  mapfile -t points < <(failure_points "$list")
  [ "${#points[@]}" -gt 0 ] || fail "$name: no failure point"
  for point in "${points[@]}"; do
    e=${INJECT_ERRNOS[$((n++ % ${#INJECT_ERRNOS[@]}))]}
    "$setup"
    rc=0
    timeout -s KILL 30 "$KILLAT" -f "$point:$e" "$@" </dev/null >"$out" 2>&1 || rc=$?
    case $rc in
    3) hrun delete --force "$ID" >/dev/null 2>&1 || true; continue ;; # not reached this run
    137) FAILED+=("$point:$e: hung (killed after 30 s): $(<"$out")") ;;
    0) [ "$(cgroup_dirs_named "$ID" | wc -l)" -eq "$cgroups" ] ||
         FAILED+=("$point:$e: succeeded with $(cgroup_dirs_named "$ID" | wc -l) cgroup directories, not $cgroups") ;;
    *) failed_cmd=$((failed_cmd + 1))
       # A failure says what failed, on one line, naming the command.
       [ -n "${TRACED_MAY_FAIL:-}" ] || grep -q "^hrun: " "$out" ||
         FAILED+=("$point:$e: exit $rc without an hrun error: $(<"$out")") ;;
    esac
    tried=$((tried + 1))
    recovered "fail $point:$e" && ok=$((ok + 1))
  done
  echo "# $name: $tried failing system calls tried ($failed_cmd made it fail), $ok recovered" >&3
  [ "${#FAILED[@]}" -eq 0 ] || fail "$(printf '%s\n' "${FAILED[@]}")"
}

# in_late_cgroups CMD...: CMD in a private mount namespace whose mountinfo
# lists the cgroup hierarchies after 80 other mounts (past its first 8 KiB,
# as on a host with many container mounts), so that a read of mountinfo
# failing part-way cuts them off. The hierarchies are the host's own,
# mounted again: cgroup directories made there are the host's.
in_late_cgroups() {
  unshare -m --propagation private bash -c '
    set -e
    hier=$(awk "\$5 ~ \"^/sys/fs/cgroup/\" { split(\$0, a, \" - \"); split(a[2], b, \" \");
                print \$5, b[1], b[3] }" /proc/self/mountinfo)
    umount -R -l /sys/fs/cgroup
    fill=$(mktemp -d)
    for i in $(seq 80); do mkdir "$fill/filler-mount-with-a-long-name-$i"; mount -t tmpfs -o size=4k "fill$i" "$fill/filler-mount-with-a-long-name-$i"; done
    mount -t tmpfs -o mode=755 cgroup_root /sys/fs/cgroup
    while read -r mp type opts; do
      mkdir -p "$mp"
      opts=$(tr , "\n" <<<"$opts" | grep -vx -e rw -e ro | paste -sd,)
      mount -t "$type" ${opts:+-o "$opts"} cgroup "$mp"
    done <<<"$hier"
    exec "$@"' late-cgroups "$@"
}
