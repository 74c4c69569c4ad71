#!/usr/bin/env bats
# Robustness against the environment hrun is run in: a caller that ignores
# SIGCHLD, system calls a seccomp filter answers with an error (Docker's
# default profile answers clone3 with ENOSYS), I/O errors, signals that
# arrive while a container is being made.

load helpers

FAILSYS=$REPO_ROOT/build/tests/helpers/failsys

setup() {
  setup_common
  [ -x "$FAILSYS" ] || fail "$FAILSYS is missing (make integration builds it)"
}

teardown() {
  local id pid
  # An init that kept hrun's fds holds the container's lock, and delete
  # would wait for it forever: kill it first.
  for id in $(hrun list -q 2>/dev/null); do
    pid=$(init_pid "$id")
    [ "${pid:-0}" -le 0 ] || kill -9 "$pid" 2>/dev/null || true
  done
  teardown_common
}

# Runs a command the way a shim or shell that set SIGCHLD to SIG_IGN would:
# the disposition survives execve.
ignoring_sigchld() {
  perl -e '$SIG{CHLD} = "IGNORE"; exec @ARGV or die "exec: $!"' "$@"
}

@test "a caller that ignores SIGCHLD: run, its hooks and exec still get exit statuses" {
  update_config '.hooks.prestart = [{"path": "/bin/true"}]
    | .hooks.poststop = [{"path": "/bin/true"}]'
  set_args sh -c 'exit 3'
  run ignoring_sigchld "$HRUN_BIN" --root "$HRUN_ROOT" run --bundle "$BUNDLE" "$ID"
  assert_equal "$status" 3
  refute_output
  [ ! -e "$HRUN_ROOT/$ID" ]

  update_config 'del(.hooks)'
  set_args sleep 100
  hrun_bg run -d --bundle "$BUNDLE" "$ID"
  assert_success
  run ignoring_sigchld "$HRUN_BIN" --root "$HRUN_ROOT" exec "$ID" sh -c 'exit 4'
  assert_equal "$status" 4
  refute_output
}

# Every line of /proc/<pid>/cgroup (the output of `cat /proc/self/cgroup`)
# names the container's cgroup, the cgroup2 line "0::" included.
assert_all_in_cgroup() {
  local cg=$1 text=$2 line
  [ -n "$text" ] || fail "no /proc/self/cgroup lines"
  grep -q '^0::' <<<"$text" || fail "no cgroup2 line in: $text"
  while read -r line; do
    [[ "$line" == *"$cg" ]] || fail "not in $cg: $line"
  done <<<"$text"
}

@test "clone3 answered with ENOSYS (Docker's seccomp profile): create, run and exec fall back to clone, into the right cgroups" {
  grep -q ' /sys/fs/cgroup/unified cgroup2 ' /proc/self/mounts || skip "no cgroup2 hierarchy on this host"
  local clone3=435 enosys=38
  set_args sh -c 'cat /proc/self/cgroup'
  run "$FAILSYS" $clone3 $enosys "$HRUN_BIN" --root "$HRUN_ROOT" run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_all_in_cgroup "/$ID" "$output"

  set_args sleep 100
  "$FAILSYS" $clone3 $enosys "$HRUN_BIN" --root "$HRUN_ROOT" create --bundle "$BUNDLE" "$ID" \
    </dev/null >"$BATS_TEST_TMPDIR/create.out" 2>&1 || fail "create: $(<"$BATS_TEST_TMPDIR/create.out")"
  assert_all_in_cgroup "/$ID" "$(cat "/proc/$(init_pid "$ID")/cgroup")"
  hrun start "$ID"
  run "$FAILSYS" $clone3 $enosys "$HRUN_BIN" --root "$HRUN_ROOT" exec "$ID" cat /proc/self/cgroup
  assert_success
  assert_all_in_cgroup "/$ID" "$output"
  hrun delete --force "$ID"
  [ -z "$(cgroup_dirs_named "$ID")" ]
}

@test "clone3 answered with ENOSYS on cgroup v2 and with a user namespace: the init and exec'd processes join their cgroup2 directory" {
  grep -q ' /sys/fs/cgroup/unified cgroup2 ' /proc/self/mounts || skip "no cgroup2 hierarchy on this host"
  local clone3=435 enosys=38 script
  update_config ".linux.cgroupsPath = \"/hrun-v2-$$/$ID\" | del(.linux.resources)
    | .linux.namespaces += [{\"type\":\"user\"}]
    | .linux.uidMappings = [{\"containerID\":0,\"hostID\":100000,\"size\":65536}]
    | .linux.gidMappings = [{\"containerID\":0,\"hostID\":100000,\"size\":65536}]"
  chown -R 100000:100000 "$BUNDLE/rootfs"
  set_args sleep 100
  # One private mount namespace for create, exec and delete.
  script='h() { "$FAILSYS" 435 38 "$HRUN_BIN" --root "$HRUN_ROOT" "$@"; }
    h run -d --bundle "$BUNDLE" "$ID" </dev/null >/dev/null || exit 1
    echo "init: $(grep "^0::" /proc/$(h state "$ID" | jq -r .pid)/cgroup)"
    echo "exec: $(h exec "$ID" cat /proc/self/cgroup | grep "^0::")"
    h delete --force "$ID"'
  run env FAILSYS="$FAILSYS" HRUN_BIN="$HRUN_BIN" HRUN_ROOT="$HRUN_ROOT" BUNDLE="$BUNDLE" ID="$ID" \
    unshare -m sh -c 'mount --make-rprivate / && umount -l /sys/fs/cgroup &&
      mount -t cgroup2 none /sys/fs/cgroup && eval "$0"' "$script"
  assert_success
  assert_line "init: 0::/hrun-v2-$$/$ID"
  assert_line "exec: 0::/hrun-v2-$$/$ID"
  [ ! -e "/sys/fs/cgroup/unified/hrun-v2-$$" ]
}

# The fd numbers a process holds, one line.
fds_of() {
  ls "/proc/$1/fd" | sort -n | tr '\n' ' '
}

@test "close_range answered with ENOSYS: the init and exec'd processes still keep none of hrun's fds" {
  local close_range=436 enosys=38 normal_init normal_exec
  set_args sleep 100
  # What they hold when close_range works.
  hrun_bg create --bundle "$BUNDLE" "$ID-n"
  assert_success
  normal_init=$(fds_of "$(init_pid "$ID-n")")
  hrun start "$ID-n"
  normal_exec=$(hrun exec "$ID-n" ls /proc/self/fd | tr '\n' ' ')
  hrun delete --force "$ID-n"

  # (a hang here was the init holding the state lock: timeout)
  timeout 20 "$FAILSYS" $close_range $enosys "$HRUN_BIN" --root "$HRUN_ROOT" create \
    --bundle "$BUNDLE" "$ID" </dev/null >"$BATS_TEST_TMPDIR/create.out" 2>&1 ||
    fail "create: $(<"$BATS_TEST_TMPDIR/create.out")"
  local pid
  pid=$(init_pid "$ID")
  assert_equal "$(fds_of "$pid")" "$normal_init"
  run readlink /proc/$pid/fd/*
  refute_output --partial "$HRUN_ROOT"
  refute_output --partial /sys/fs/cgroup
  timeout 20 "$HRUN_BIN" --root "$HRUN_ROOT" start "$ID"
  run timeout 20 "$FAILSYS" $close_range $enosys "$HRUN_BIN" --root "$HRUN_ROOT" exec "$ID" ls /proc/self/fd
  assert_success
  assert_equal "$(tr '\n' ' ' <<<"$output")" "$normal_exec"
  set_args sh -c 'ls /proc/self/fd'
  run timeout 20 "$FAILSYS" $close_range $enosys "$HRUN_BIN" --root "$HRUN_ROOT" run \
    --bundle "$BUNDLE" "$ID-r"
  assert_success
  assert_equal "$(tr '\n' ' ' <<<"$output")" "$normal_exec"
}

# Nothing of the container is left: no state, process or cgroup.
# assert_no_leftovers (helpers.bash), and list shows nothing either.
assert_nothing_left() {
  run hrun list -q
  refute_output
  assert_no_leftovers "$1"
}

@test "openat2 answered with ENOSYS: a clear error, nothing left" {
  local openat2=437 enosys=38
  run timeout 20 "$FAILSYS" $openat2 $enosys "$HRUN_BIN" --root "$HRUN_ROOT" run --bundle "$BUNDLE" "$ID"
  assert_failure 1
  assert_output "hrun: run: mounts[0] (/proc): open /proc in the rootfs: openat2 is missing (Linux 5.6 or later is needed, and a seccomp filter must allow it): function not implemented"
  assert_nothing_left "$ID"
}

@test "openat2 answering EAGAIN for ever (renames racing): bounded retries, a clear error, nothing left" {
  local openat2=437 eagain=11
  # (before: an endless loop, ended here by timeout)
  run timeout 20 "$FAILSYS" $openat2 $eagain "$HRUN_BIN" --root "$HRUN_ROOT" run --bundle "$BUNDLE" "$ID"
  assert_failure 1
  assert_output "hrun: run: mounts[0] (/proc): open /proc in the rootfs: renames kept racing with the lookup (32 tries): resource temporarily unavailable"
  assert_nothing_left "$ID"
}

@test "an /etc/passwd that cannot be read is an error for run and exec, as with runc, not HOME=/" {
  rm -f "$BUNDLE/rootfs/etc/passwd"
  mkdir "$BUNDLE/rootfs/etc/passwd" # read(2): EISDIR
  update_config '.process.env = ["PATH=/bin"]'
  set_args sh -c 'echo HOME=$HOME'
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_failure 1
  assert_output "hrun: run: HOME of uid 0: read /etc/passwd: is a directory"
  assert_nothing_left "$ID"

  update_config '.process.env = ["PATH=/bin", "HOME=/root"]'
  set_args sleep 100
  hrun_bg run -d --bundle "$BUNDLE" "$ID"
  assert_success
  echo '{"args": ["sh", "-c", "echo HOME=$HOME"], "env": ["PATH=/bin"], "cwd": "/",
         "user": {"uid": 0, "gid": 0}}' >"$BATS_TEST_TMPDIR/process.json"
  run hrun exec --process "$BATS_TEST_TMPDIR/process.json" "$ID"
  assert_failure
  assert_output "hrun: exec: HOME of uid 0: read /etc/passwd: is a directory"
  run hrun exec "$ID" sh -c 'echo HOME=$HOME'
  assert_success
  assert_output "HOME=/root"
}

@test "read(2) failing with EIO: state, list and delete say so, and the container is not taken for gone" {
  local read=0 eio=5
  set_args sleep 100
  hrun_bg run -d --bundle "$BUNDLE" "$ID"
  assert_success
  run "$FAILSYS" $read $eio "$HRUN_BIN" --root "$HRUN_ROOT" state "$ID"
  assert_failure
  assert_output "hrun: state: container $ID: read state.json: input/output error"
  # Before: an empty list and success.
  run "$FAILSYS" $read $eio "$HRUN_BIN" --root "$HRUN_ROOT" list
  assert_output --partial "container $ID: read state.json: input/output error"
  run "$FAILSYS" $read $eio "$HRUN_BIN" --root "$HRUN_ROOT" delete --force "$ID"
  assert_failure
  assert_output "hrun: delete: container $ID: read state.json: input/output error"
  assert_equal "$(container_status "$ID")" running
}

# A hook that sends SIGTERM to the hrun process that runs it (its parent).
signal_parent_hook() {
  local hook=$BATS_TEST_TMPDIR/term-parent.sh
  printf '#!/bin/sh\nkill -TERM $PPID\n' >"$hook"
  chmod +x "$hook"
  echo "$hook"
}

# The container's process ends with 7 on SIGTERM once its trap is set, and
# is killed by it (143) before. Not pid 1 of a pid namespace: that one
# would ignore a SIGTERM that comes before its handler.
TRAP_ARGS=(sh -c 'trap "exit 7" TERM; while :; do sleep 0.05; done')
no_pid_namespace() {
  update_config '.linux.namespaces |= map(select(.type != "pid"))'
}

@test "run: SIGTERM while the container is made (prestart, createRuntime hooks) ends the run with 143, leaving nothing" {
  local hook stage
  hook=$(signal_parent_hook)
  set_args "${TRAP_ARGS[@]}"
  for stage in prestart createRuntime; do
    update_config ".hooks = {\"$stage\": [{\"path\": \"$hook\"}],
                            \"poststop\": [{\"path\": \"/bin/sh\", \"args\": [\"sh\", \"-c\", \"echo ran >$BATS_TEST_TMPDIR/poststop\"]}]}"
    rm -f "$BATS_TEST_TMPDIR/poststop"
    run timeout 20 "$HRUN_BIN" --root "$HRUN_ROOT" run --bundle "$BUNDLE" "$ID"
    assert_equal "$stage: $status" "$stage: 143"
    refute_output
    assert_nothing_left "$ID"
    # Deleted as any container is: its poststop hooks ran.
    [ -e "$BATS_TEST_TMPDIR/poststop" ] || fail "$stage: no poststop"
  done
}

@test "run: SIGTERM while the container is started (startContainer, poststart hooks) reaches the container's process" {
  local hook pid status
  hook=$(signal_parent_hook)
  set_args "${TRAP_ARGS[@]}"
  no_pid_namespace
  update_config ".hooks = {\"poststart\": [{\"path\": \"$hook\"}]}"
  run timeout 20 "$HRUN_BIN" --root "$HRUN_ROOT" run --bundle "$BUNDLE" "$ID"
  [[ "$status" == 7 || "$status" == 143 ]] || fail "status $status: $output"
  refute_output
  assert_nothing_left "$ID"

  # startContainer runs in the container: it says when it runs through a
  # bind mount, and the test sends the signal while it still runs (sleep 1).
  mkdir "$BATS_TEST_TMPDIR/marker"
  update_config ".mounts += [{\"destination\": \"/marker\", \"type\": \"bind\",
                              \"source\": \"$BATS_TEST_TMPDIR/marker\", \"options\": [\"rbind\"]}]
    | .hooks = {\"startContainer\": [{\"path\": \"/bin/sh\",
                                      \"args\": [\"sh\", \"-c\", \"touch /marker/started; sleep 1\"]}]}"
  "$HRUN_BIN" --root "$HRUN_ROOT" run --bundle "$BUNDLE" "$ID" </dev/null >"$BATS_TEST_TMPDIR/out" 2>&1 &
  pid=$!
  wait_until 5 test -e "$BATS_TEST_TMPDIR/marker/started" || fail "the startContainer hook did not run"
  kill -TERM "$pid"
  status=0
  wait "$pid" || status=$?
  # (before: passed on to the init before it executed the process, which
  # killed it: start failed, status 1)
  [[ "$status" == 7 || "$status" == 143 ]] || fail "status $status: $(<"$BATS_TEST_TMPDIR/out")"
  assert_equal "$(<"$BATS_TEST_TMPDIR/out")" ""
  assert_nothing_left "$ID"
}

@test "run: SIGTERM at any moment ends in 143 or the container's own status, leaving nothing" {
  local delay pid status id
  set_args "${TRAP_ARGS[@]}"
  no_pid_namespace
  for delay in 0 0.002 0.005 0.01 0.015 0.02 0.03 0.04 0.06 0.08 0.1 0.15 0.2 0.3; do
    id=$ID-$delay
    "$HRUN_BIN" --root "$HRUN_ROOT" run --bundle "$BUNDLE" "$id" </dev/null \
      >"$BATS_TEST_TMPDIR/out" 2>&1 &
    pid=$!
    sleep "$delay" # (the moment of the signal is what the test varies)
    kill -TERM "$pid"
    status=0
    wait "$pid" || status=$?
    case $status in
      143 | 7) ;;
      *) fail "after ${delay}s: status $status: $(<"$BATS_TEST_TMPDIR/out")" ;;
    esac
    # (the container's own end: its exit code, not a signal)
    [ ! -s "$BATS_TEST_TMPDIR/out" ] || fail "after ${delay}s: $(<"$BATS_TEST_TMPDIR/out")"
    assert_nothing_left "$id"
  done
}
