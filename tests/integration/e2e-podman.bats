#!/usr/bin/env bats
# End to end: "$HRUN_BIN" as the runtime of a real podman + conmon
# (`podman --runtime "$HRUN_BIN"`), offline, on the busybox image of
# e2e/mkimage.sh. podman's root, runroot, tmpdir, containers.conf and
# storage.conf are private to this file (a scratch dir; vfs storage, file
# locks, cgroupfs with a unique --cgroup-parent, --network none). podman
# passes the runtime no --root: its state is in the runtime's default root.
# HRUN_BIN=/usr/sbin/runc runs the same tests against runc.

load helpers
load e2e/lib

setup_file() {
  e2e_require podman conmon jq script timeout prlimit mountpoint tar gzip sha256sum
  e2e_require_runtime
  E2E_DIR=$(e2e_scratch pod)
  # e.g. hrun-e2e-pod-Ab12Cd: container names and the cgroup parent.
  E2E_NAME=$(basename "$E2E_DIR" | tr -c 'A-Za-z0-9\n' '-')
  E2E_CGROUP_PARENT=/$E2E_NAME
  E2E_CGROUP_TOP=$(e2e_cgroup_top)
  E2E_VARLIB_CACHE_NEW=0
  [ -e /var/lib/containers/cache ] || E2E_VARLIB_CACHE_NEW=1
  E2E_ABSENT_DIRS=$(e2e_absent /var/lib/containers /var/lib/containers/cache "/run/$(basename "$HRUN_BIN")")
  export E2E_DIR E2E_NAME E2E_CGROUP_PARENT E2E_CGROUP_TOP E2E_VARLIB_CACHE_NEW E2E_ABSENT_DIRS
  e2e_podman_setup
  e2e_build_image "$E2E_DIR/image"
  e2e_podman load -i "$E2E_DIR/image/image.oci.tar"
  assert_success
  e2e_podman image exists "$E2E_IMAGE"
  assert_success
}

teardown_file() {
  e2e_podman_stop
}

setup() {
  NAME=$E2E_NAME-$BATS_TEST_NUMBER
  e2e_podman_run_opts
}

teardown() {
  e2e_podman_clean
}

# pod_run_d NAME CMD...: a detached container; sets CID (the full id, the
# runtime's container id) and CPID (its init's host pid).
pod_run_d() {
  local name=$1
  shift
  e2e_podman run -d "${E2E_RUN_OPTS[@]}" --name "$name" "$E2E_IMAGE" "$@"
  assert_success
  CID=${lines[${#lines[@]} - 1]}
  [[ $CID =~ ^[0-9a-f]{64}$ ]] || fail "no container id from podman run -d"
  e2e_podman inspect --format '{{.State.Status}} {{.State.Pid}}' "$name"
  assert_success
  assert_output --regexp '^running [1-9][0-9]*$'
  CPID=${output#running }
}

# pod_status NAME: status and exit code, as podman inspect says.
pod_status() {
  e2e_podman inspect --format '{{.State.Status}} {{.State.ExitCode}}' "$1"
}

# The runtime's own view, from its default root (podman gives no --root).
runtime_state() {
  e2e_run "$HRUN_BIN" state "$1"
}

# assert_json JQ_ARGS... FILTER: $output satisfies the jq FILTER.
assert_json() {
  local filter=${*: -1}
  jq -e "${@:1:$#-1}" "$filter" <<<"$output" >/dev/null ||
    fail "JSON does not satisfy $filter: $output"
}

@test "podman run --rm IMAGE echo hi" {
  e2e_podman run --rm "${E2E_RUN_OPTS[@]}" --name "$NAME" "$E2E_IMAGE" echo hi
  assert_success
  assert_output hi
  e2e_podman container exists "$NAME"
  assert_equal "$status" 1
}

@test "podman's default seccomp profile is loaded: the container runs under it" {
  e2e_podman run --rm "${E2E_RUN_OPTS[@]}" --name "$NAME" "$E2E_IMAGE" \
    sh -c 'grep Seccomp: /proc/self/status; echo still-running'
  assert_success
  assert_line --regexp '^Seccomp:\s+2$'
  assert_line still-running
}

@test "podman run --rm: --hostname, own uts/pid/mnt/ipc/net namespaces, exit status 3" {
  e2e_podman run --rm "${E2E_RUN_OPTS[@]}" --hostname e2e-host "$E2E_IMAGE" sh -c \
    'hostname; cat /etc/hrun-e2e-release; echo pid=$$; for n in uts pid mnt ipc net; do readlink /proc/self/ns/$n; done; exit 3'
  assert_equal "$status" 3
  assert_line --index 0 e2e-host
  assert_line --index 1 hrun-e2e-image
  assert_line --index 2 pid=1
  assert_own_namespaces 3 uts pid mnt ipc net
}

@test "podman run -d: the runtime's state is running, with the init pid and the bundle" {
  pod_run_d "$NAME" sleep 1000
  runtime_state "$CID"
  assert_success
  assert_json --arg id "$CID" --argjson pid "$CPID" \
    '.id == $id and .pid == $pid and .status == "running" and (.bundle | startswith("/")) and (.ociVersion | type) == "string"'
}

@test "podman exec: output, in the container's pid namespace, exit status 4" {
  pod_run_d "$NAME" sh -c 'trap "exit 7" TERM; while :; do sleep 0.2; done'
  e2e_podman exec "$NAME" sh -c 'echo exec-ok; echo pid=$$; tr "\0" " " </proc/1/cmdline; echo'
  assert_success
  assert_line --index 0 exec-ok
  assert_line --index 1 --regexp '^pid=[0-9]+$'
  refute_line pid=1
  assert_line --index 2 --partial 'while :; do sleep 0.2; done'
  e2e_podman exec "$NAME" sh -c 'exit 4'
  assert_equal "$status" 4
}

@test "podman exec -t gets a pty" {
  pod_run_d "$NAME" sleep 1000
  e2e_podman_argv
  e2e_pty_run "${E2E_PODMAN[@]}" exec -t "$NAME" sh -c 'tty; echo exec-tty-ok'
  assert_success
  assert_output --regexp '/dev/pts/[0-9]+'
  assert_output --partial exec-tty-ok
}

@test "podman pause/unpause; the runtime's state says paused" {
  pod_run_d "$NAME" sleep 1000
  e2e_podman pause "$NAME"
  assert_success
  pod_status "$NAME"
  assert_output --regexp '^paused '
  runtime_state "$CID"
  assert_success
  assert_json '.status == "paused"'
  e2e_podman unpause "$NAME"
  assert_success
  pod_status "$NAME"
  assert_output --regexp '^running '
  runtime_state "$CID"
  assert_success
  assert_json '.status == "running"'
}

@test "podman stop: the trapped SIGTERM gives exited 7; podman rm leaves no runtime state" {
  pod_run_d "$NAME" sh -c 'trap "exit 7" TERM; while :; do sleep 0.2; done'
  e2e_podman stop -t 20 "$NAME"
  assert_success
  pod_status "$NAME"
  assert_output 'exited 7'
  e2e_alive "$CPID" && fail "the container's init $CPID is still alive"
  e2e_podman rm "$NAME"
  assert_success
  e2e_podman container exists "$NAME"
  assert_equal "$status" 1
  runtime_state "$CID"
  assert_failure
}

@test "podman stop -t 1 of a container that ignores SIGTERM gives exited 137" {
  # (PID 1 without a handler: SIGTERM does nothing)
  pod_run_d "$NAME" sleep 1000
  e2e_podman stop -t 1 "$NAME"
  assert_success
  pod_status "$NAME"
  assert_output 'exited 137'
  e2e_alive "$CPID" && fail "the container's init $CPID is still alive"
  e2e_podman rm "$NAME"
  assert_success
  runtime_state "$CID"
  assert_failure
}

@test "podman run --rm -t gets a pty" {
  e2e_podman_argv
  e2e_pty_run "${E2E_PODMAN[@]}" run --rm -t "${E2E_RUN_OPTS[@]}" "$E2E_IMAGE" sh -c 'tty; echo run-tty-ok'
  assert_success
  assert_output --regexp '/dev/pts/[0-9]+'
  assert_output --partial run-tty-ok
}

# The state files a hook stored for LABEL in DIR, as one JSON array.
hook_states() {
  local dir=$1 label=$2 f
  for f in "$dir/$label".*.json; do
    [ -f "$f" ] && cat "$f"
  done | jq -cs .
}

# assert_hook_states DIR LABEL CID ANNOTATED: one prestart and one poststop
# state for LABEL, for container CID, with the annotation when ANNOTATED=1.
assert_hook_states() {
  local dir=$1 label=$2 cid=$3 ann=$4 states
  states=$(hook_states "$dir" "$label")
  jq -e --arg cid "$cid" --argjson ann "$ann" '
    def common: (.ociVersion | type) == "string" and (.ociVersion | length) > 0
      and .id == $cid and (.bundle | type) == "string" and (.bundle | startswith("/"))
      and (if $ann == 1 then .annotations["io.hrun.e2e"] == "yes" else true end);
    length == 2
    and (map(select(.status == "creating" or .status == "created"))
         | length == 1 and (.[0] | common and (.pid | type) == "number" and .pid > 0))
    and (map(select(.status == "stopped")) | length == 1 and (.[0] | common))
  ' <<<"$states" >/dev/null ||
    fail "hook $label: expected a prestart (creating/created, pid > 0) and a poststop (stopped) state for $cid$([ "$ann" = 1 ] && echo ' with io.hrun.e2e=yes'): $states"
}

# count_json DIR: the number of state files in DIR.
count_json() {
  local f n=0
  for f in "$1"/*.json; do
    [ -f "$f" ] && n=$((n + 1))
  done
  echo $n
}

# has_json DIR N: DIR holds N state files or more.
has_json() {
  [ "$(count_json "$1")" -ge "$2" ]
}

@test "--hooks-dir: oci-hooks 1.0.0 prestart/poststop hooks, always and by annotation" {
  local hooks=$BATS_TEST_TMPDIR/hooks out=$BATS_TEST_TMPDIR/hook-out cid1 cid2
  mkdir -p "$hooks" "$out" "$BATS_TEST_TMPDIR/run1" "$BATS_TEST_TMPDIR/run2"
  # record.sh DIR LABEL: stores the state read on stdin as DIR/LABEL.*.json.
  cat >"$hooks/record.sh" <<'EOF'
#!/bin/sh
f=$(mktemp "$1/$2.XXXXXX") || exit 1
cat >"$f" && mv "$f" "$f.json"
EOF
  chmod 755 "$hooks/record.sh"
  jq -n --arg path "$hooks/record.sh" --arg out "$out" '{
    version: "1.0.0",
    hook: {path: $path, args: ["record.sh", $out, "always"]},
    when: {always: true},
    stages: ["prestart", "poststop"]
  }' >"$hooks/always.json"
  jq -n --arg path "$hooks/record.sh" --arg out "$out" '{
    version: "1.0.0",
    hook: {path: $path, args: ["record.sh", $out, "annotated"]},
    when: {annotations: {"^io\\.hrun\\.e2e$": "^yes$"}},
    stages: ["prestart", "poststop"]
  }' >"$hooks/annotated.json"

  # With the annotation: both hooks, at both stages.
  e2e_podman --hooks-dir "$hooks" run --rm "${E2E_RUN_OPTS[@]}" --cidfile "$BATS_TEST_TMPDIR/cid1" \
    --annotation io.hrun.e2e=yes "$E2E_IMAGE" echo hooked
  assert_success
  assert_output hooked
  cid1=$(<"$BATS_TEST_TMPDIR/cid1")
  # (podman runs the poststop hooks as it cleans up; give it time)
  e2e_wait_for 10 has_json "$out" 4 || true
  mv "$out"/*.json "$BATS_TEST_TMPDIR/run1/" 2>/dev/null || true
  assert_hook_states "$BATS_TEST_TMPDIR/run1" always "$cid1" 1
  assert_hook_states "$BATS_TEST_TMPDIR/run1" annotated "$cid1" 1
  assert_equal "$(count_json "$BATS_TEST_TMPDIR/run1")" 4

  # Without it: the always hook only.
  e2e_podman --hooks-dir "$hooks" run --rm "${E2E_RUN_OPTS[@]}" --cidfile "$BATS_TEST_TMPDIR/cid2" \
    "$E2E_IMAGE" echo hooked
  assert_success
  cid2=$(<"$BATS_TEST_TMPDIR/cid2")
  e2e_wait_for 10 has_json "$out" 2 || true
  sleep 0.3 # (a hook that should not run gets the time to show)
  mv "$out"/*.json "$BATS_TEST_TMPDIR/run2/" 2>/dev/null || true
  assert_hook_states "$BATS_TEST_TMPDIR/run2" always "$cid2" 0
  assert_equal "$(hook_states "$BATS_TEST_TMPDIR/run2" annotated)" '[]'
  assert_equal "$(count_json "$BATS_TEST_TMPDIR/run2")" 2
}

@test "no runtime fd reaches the container's init or an exec'd process" {
  # (not the last command: sh does not exec ls, so /proc/1 stays sh)
  e2e_podman run --rm "${E2E_RUN_OPTS[@]}" "$E2E_IMAGE" sh -c 'ls -l /proc/1/fd; true'
  assert_success
  assert_std_fds_only
  pod_run_d "$NAME" sh -c 'while :; do sleep 1; done'
  e2e_podman exec "$NAME" ls -l /proc/1/fd
  assert_success
  assert_std_fds_only
  e2e_podman exec "$NAME" ls -l /proc/self/fd
  assert_success
  # (and the directory ls reads)
  assert_std_fds_only '^/proc/[0-9]+/fd$'
}

@test "podman import of the plain rootfs tar runs" {
  local image=localhost/${E2E_NAME,,}-import:latest
  e2e_podman import --change 'CMD ["sh"]' "$E2E_DIR/image/rootfs.tar" "$image"
  assert_success
  e2e_podman run --rm "${E2E_RUN_OPTS[@]}" "$image" cat /etc/hrun-e2e-release
  assert_success
  assert_output hrun-e2e-image
  e2e_podman rmi "$image"
  assert_success
}
