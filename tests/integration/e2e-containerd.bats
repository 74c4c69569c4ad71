#!/usr/bin/env bats
# End to end: "$HRUN_BIN" as the runtime of a real containerd, through its
# runc v2 shim (`ctr run --runc-binary "$HRUN_BIN"`), offline, on the busybox
# image of e2e/mkimage.sh. The containerd is private to this file (config,
# root, state and socket in a scratch dir; a unique namespace); the shim runs
# the runtime with --root /run/containerd/runc/<namespace>.
# HRUN_BIN=/usr/sbin/runc runs the same tests against runc.

load helpers
load e2e/lib

setup_file() {
  e2e_require containerd ctr containerd-shim-runc-v2 jq script timeout tar gzip sha256sum
  e2e_require_runtime
  E2E_DIR=$(e2e_scratch ctrd)
  # e.g. hrun-e2e-ctrd-Ab12Cd: the namespace, hence the cgroup parent of
  # the containers and the runtime's root /run/containerd/runc/<namespace>.
  E2E_NS=$(basename "$E2E_DIR" | tr -c 'A-Za-z0-9\n' '-')
  E2E_ABSENT_DIRS=$(e2e_absent /run/containerd /run/containerd/s /run/containerd/runc /run/containerd/fifo)
  export E2E_DIR E2E_NS E2E_ABSENT_DIRS
  mkdir -p "$E2E_DIR/fifo"
  e2e_build_image "$E2E_DIR/image"
  e2e_containerd_start
  e2e_ctr images import --snapshotter "$E2E_SNAPSHOTTER" "$E2E_DIR/image/image.oci.tar"
  assert_success
  e2e_ctr images ls -q
  assert_line "$E2E_IMAGE"
}

teardown_file() {
  e2e_containerd_stop
}

setup() {
  ID=$E2E_NS-$BATS_TEST_NUMBER
  RTROOT=/run/containerd/runc/$E2E_NS
  RUN_OPTS=(--snapshotter "$E2E_SNAPSHOTTER" --runc-binary "$HRUN_BIN" --fifo-dir "$E2E_DIR/fifo")
}

teardown() {
  e2e_ctr_clean
}

# ctr_run_d ID CMD...: a detached container; sets PID1 (its host pid).
ctr_run_d() {
  local id=$1
  shift
  e2e_ctr run -d "${RUN_OPTS[@]}" "$E2E_IMAGE" "$id" "$@"
  assert_success
  e2e_wait_for 10 e2e_task_is "$id" RUNNING ||
    fail "task $id is '$(e2e_task_status "$id")', not RUNNING"
  PID1=$(e2e_ctr_q tasks ls | awk -v id="$id" '$1 == id { print $2 }')
  [[ $PID1 =~ ^[1-9][0-9]*$ ]] && e2e_alive "$PID1" || fail "task $id has no live pid ($PID1)"
}

# ctr_exec ID EXEC_ID CMD...
ctr_exec() {
  local id=$1 exec_id=$2
  shift 2
  e2e_ctr tasks exec --exec-id "$exec_id" --fifo-dir "$E2E_DIR/fifo" "$id" "$@"
}

# The runtime's own view, with the root the shim gives it.
runtime_state() {
  e2e_run "$HRUN_BIN" --root "$RTROOT" state "$1"
}

# assert_json JQ_ARGS... FILTER: $output satisfies the jq FILTER.
assert_json() {
  local filter=${*: -1}
  jq -e "${@:1:$#-1}" "$filter" <<<"$output" >/dev/null ||
    fail "JSON does not satisfy $filter: $output"
}

# assert_deleted ID: no container, no process, no runtime state.
assert_deleted() {
  e2e_ctr containers ls -q
  assert_success
  [[ $'\n'$output$'\n' != *$'\n'"$1"$'\n'* ]] || fail "container $1 is still listed"
  runtime_state "$1"
  assert_failure
}

@test "ctr run --rm: output, PID 1, own uts/pid/mnt/ipc namespaces" {
  e2e_ctr run --rm "${RUN_OPTS[@]}" "$E2E_IMAGE" "$ID" sh -c \
    'echo hello; cat /etc/hrun-e2e-release; echo pid=$$; for n in uts pid mnt ipc; do readlink /proc/self/ns/$n; done'
  assert_success
  assert_line --index 0 hello
  assert_line --index 1 hrun-e2e-image
  assert_line --index 2 pid=1
  assert_own_namespaces 3 uts pid mnt ipc
  assert_deleted "$ID"
}

@test "ctr run --rm passes the exit status 3 back" {
  e2e_ctr run --rm "${RUN_OPTS[@]}" "$E2E_IMAGE" "$ID" sh -c 'echo bye; exit 3'
  assert_equal "$status" 3
  assert_output bye
}

@test "ctr run -d: the runtime's state is running, with the init pid and the bundle" {
  ctr_run_d "$ID" sleep 1000
  runtime_state "$ID"
  assert_success
  assert_json --arg id "$ID" --argjson pid "$PID1" \
    --arg bundle "$E2E_DIR/state/io.containerd.runtime.v2.task/$E2E_NS/$ID" \
    '.id == $id and .pid == $pid and .status == "running" and .bundle == $bundle and (.ociVersion | type) == "string"'
}

@test "ctr task exec: output, in the container's pid namespace, exit status 5" {
  ctr_run_d "$ID" sh -c 'trap "exit 7" TERM; while :; do sleep 0.2; done'
  ctr_exec "$ID" x1 sh -c 'echo exec-ok; echo pid=$$; tr "\0" " " </proc/1/cmdline; echo'
  assert_success
  assert_line --index 0 exec-ok
  assert_line --index 1 --regexp '^pid=[0-9]+$'
  refute_line pid=1
  assert_line --index 2 --partial 'while :; do sleep 0.2; done'
  ctr_exec "$ID" x2 sh -c 'exit 5'
  assert_equal "$status" 5
}

@test "ctr task ps lists the container's init" {
  ctr_run_d "$ID" sleep 1000
  e2e_ctr tasks ps "$ID"
  assert_success
  assert_line --regexp "^${PID1}[[:space:]]"
}

@test "ctr task pause/resume; the runtime's state says paused" {
  ctr_run_d "$ID" sleep 1000
  e2e_ctr tasks pause "$ID"
  assert_success
  e2e_wait_for 10 e2e_task_is "$ID" PAUSED || fail "task $ID is '$(e2e_task_status "$ID")', not PAUSED"
  runtime_state "$ID"
  assert_success
  assert_json '.status == "paused"'
  e2e_ctr tasks resume "$ID"
  assert_success
  e2e_wait_for 10 e2e_task_is "$ID" RUNNING || fail "task $ID is '$(e2e_task_status "$ID")', not RUNNING"
  runtime_state "$ID"
  assert_success
  assert_json '.status == "running"'
}

@test "ctr task kill: the trapped SIGTERM gives exit code 7; the deletes leave no state" {
  ctr_run_d "$ID" sh -c 'trap "exit 7" TERM; while :; do sleep 0.2; done'
  e2e_ctr tasks kill "$ID"
  assert_success
  e2e_wait_for 20 e2e_task_is "$ID" STOPPED || fail "task $ID is '$(e2e_task_status "$ID")', not STOPPED"
  e2e_ctr tasks delete "$ID"
  assert_success
  assert_output --partial 'exit code 7'
  e2e_alive "$PID1" && fail "the container's init $PID1 is still alive"
  e2e_ctr containers delete "$ID"
  assert_success
  assert_deleted "$ID"
}

@test "ctr task kill -a -s SIGKILL gives exit code 137" {
  ctr_run_d "$ID" sleep 1000
  e2e_ctr tasks kill -a -s SIGKILL "$ID"
  assert_success
  e2e_wait_for 20 e2e_task_is "$ID" STOPPED || fail "task $ID is '$(e2e_task_status "$ID")', not STOPPED"
  e2e_ctr tasks delete "$ID"
  assert_success
  assert_output --partial 'exit code 137'
  e2e_ctr containers delete "$ID"
  assert_success
  assert_deleted "$ID"
}

@test "ctr task exec -t gets a pty" {
  ctr_run_d "$ID" sleep 1000
  e2e_pty_run ctr --address "$E2E_SOCK" --namespace "$E2E_NS" tasks exec -t \
    --exec-id xt --fifo-dir "$E2E_DIR/fifo" "$ID" sh -c 'tty; echo exec-tty-ok'
  assert_success
  assert_output --regexp '/dev/pts/[0-9]+'
  assert_output --partial exec-tty-ok
}

@test "ctr run --rm -t gets a pty" {
  e2e_pty_run ctr --address "$E2E_SOCK" --namespace "$E2E_NS" run --rm -t \
    "${RUN_OPTS[@]}" "$E2E_IMAGE" "$ID" sh -c 'tty; echo run-tty-ok'
  assert_success
  assert_output --regexp '/dev/pts/[0-9]+'
  assert_output --partial run-tty-ok
  assert_deleted "$ID"
}

@test "no runtime fd reaches the container's init (the shim's fd 3)" {
  # (not the last command: sh does not exec ls, so /proc/1 stays sh)
  e2e_ctr run --rm "${RUN_OPTS[@]}" "$E2E_IMAGE" "$ID" sh -c 'ls -l /proc/1/fd; true'
  assert_success
  assert_std_fds_only
  ctr_run_d "$ID-d" sh -c 'while :; do sleep 1; done'
  ctr_exec "$ID-d" x1 ls -l /proc/1/fd
  assert_success
  assert_std_fds_only
}

@test "no runtime fd reaches an exec'd process" {
  ctr_run_d "$ID" sleep 1000
  ctr_exec "$ID" x1 ls -l /proc/self/fd
  assert_success
  # (and the directory ls reads)
  assert_std_fds_only '^/proc/[0-9]+/fd$'
}
