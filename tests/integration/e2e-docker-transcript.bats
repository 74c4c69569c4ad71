#!/usr/bin/env bats
# Side by side: the same docker commands, against the same private Docker
# Engine 20.10 (e2e/docker.bash), once with `--runtime runc` (Debian's
# /usr/sbin/runc) and once with `--runtime hrun` ("$HRUN_BIN"). Each test
# writes one transcript per runtime: every command with its exit code, and
# the engine-visible state of the container after it (docker inspect:
# .State.Status, .ExitCode, .OOMKilled, .Running, .Paused, .Restarting,
# .RestartCount, .State.Health.Status), then asserts the two transcripts are
# identical and shows the diff when they are not. Error texts, ids and times
# are not recorded: they differ between runtimes by design.
# HRUN_BIN=/usr/sbin/runc compares runc with itself (the test of the tests).

load helpers
load e2e/lib
load e2e/docker

setup_file() {
  e2e_docker_setup_file dtx
}

teardown_file() {
  e2e_docker_teardown_file
}

teardown() {
  e2e_docker_clean
}

# --- transcripts ----------------------------------------------------------
# TX_RT (runc or hrun), TX_FILE (its transcript), TX_OPTS (the options of
# every container), TX_N (the name prefix of this test and runtime).

# tx LABEL DOCKER_ARGS...: runs docker; records "LABEL: exit N".
tx() {
  local label=$1
  shift
  e2e_docker "$@"
  echo "$label: exit $status" >>"$TX_FILE"
}

# tx_out LABEL DOCKER_ARGS...: tx, and records the output too (only where it
# is the same for every runtime: no ids, no error texts).
tx_out() {
  local label=$1
  shift
  e2e_docker "$@"
  echo "$label: exit $status, output <${output//$'\n'/|}>" >>"$TX_FILE"
}

# tx_state LABEL NAME: records the state of container NAME as docker
# inspect has it, or "absent".
tx_state() {
  local s
  s=$(e2e_docker_q inspect -f "$E2E_DOCKER_STATE_FMT" "$2" 2>/dev/null) || s=absent
  echo "$1: state $s" >>"$TX_FILE"
}

# tx_wait SECONDS NAME PREDICATE: waits (at most SECONDS) until PREDICATE
# (a function given the state line of NAME) is true. The outcome is in the
# transcript that follows: no failure here.
tx_wait() {
  local name=$2 pred=$3 end=$((SECONDS + $1))
  until "$pred" "$(e2e_docker_state "$name")"; do
    if [ "$SECONDS" -ge "$end" ]; then
      echo "tx: waited $1 s for $pred on $name" >&2
      return 0
    fi
    sleep 0.1
  done
}
tx_not_running() { [[ $1 != running* && $1 != restarting* ]]; }
tx_settled() { [[ $1 == exited* && $1 == *restarting=false* ]]; }
tx_health_settled() { [[ $1 != *health=starting* ]]; }

# tx_compare SCENARIO: runs the function SCENARIO with runc, then with hrun,
# and compares their transcripts.
tx_compare() {
  local rt n
  for rt in runc hrun; do
    TX_RT=$rt
    TX_FILE=$BATS_TEST_TMPDIR/transcript.$rt
    TX_N=$E2E_NS-$BATS_TEST_NUMBER-$rt
    TX_OPTS=(--runtime "$rt" --pull never --network none)
    : >"$TX_FILE"
    echo "=== $1 with --runtime $rt" >&2
    "$1"
    e2e_docker_clean
  done
  n=$(wc -l <"$BATS_TEST_TMPDIR/transcript.runc")
  [ "$n" -gt 0 ] || fail "empty transcript"
  {
    echo "--- transcript with --runtime runc:"
    cat "$BATS_TEST_TMPDIR/transcript.runc"
  } >&2
  if ! diff -u --label "runc" --label "hrun ($HRUN_BIN)" \
    "$BATS_TEST_TMPDIR/transcript.runc" "$BATS_TEST_TMPDIR/transcript.hrun" >"$BATS_TEST_TMPDIR/diff"; then
    cat "$BATS_TEST_TMPDIR/diff" >&2
    fail "the transcripts with --runtime runc and --runtime hrun differ: $(grep -c '^+[^+]' "$BATS_TEST_TMPDIR/diff") of $n lines (diff above: - runc, + hrun)"
  fi
  echo "# $1: $n lines, the same with runc and hrun" >&3
}

# --- scenarios --------------------------------------------------------------

# docker run's exit codes: the command's own, 125 (refused by docker or by
# the runtime), 126 (cannot be executed), 127 (not found); the state of the
# container each leaves behind, and its removal.
sc_exit_codes() {
  local k=0 cmd
  tx "run --rm true" run --rm "${TX_OPTS[@]}" "$E2E_IMAGE" true
  tx "run --rm exit 3" run --rm "${TX_OPTS[@]}" "$E2E_IMAGE" sh -c 'exit 3'
  for cmd in true false 'sh -c "exit 3"' /etc/passwd /etc /no/such/binary no-such-command; do
    k=$((k + 1))
    # shellcheck disable=SC2086 # (the command's words)
    eval "set -- $cmd"
    tx "run [$cmd]" run --name "$TX_N-$k" "${TX_OPTS[@]}" "$E2E_IMAGE" "$@"
    tx_state "  after run [$cmd]" "$TX_N-$k"
    tx "  rm" rm "$TX_N-$k"
    tx_state "  after rm" "$TX_N-$k"
  done
  tx "run --memory 1k (refused by docker)" run --name "$TX_N-mem" "${TX_OPTS[@]}" --memory 1k "$E2E_IMAGE" true
  tx_state "  after it" "$TX_N-mem"
  tx "run --ulimit nofile=2000000 (refused by the runtime)" run --name "$TX_N-ulimit" "${TX_OPTS[@]}" \
    --ulimit nofile=2000000:2000000 "$E2E_IMAGE" true
  tx_state "  after it" "$TX_N-ulimit"
  tx "run --sysctl net.ipv4.no_such_sysctl=1 (refused by the runtime)" run --name "$TX_N-sysctl" "${TX_OPTS[@]}" \
    --sysctl net.ipv4.no_such_sysctl=1 "$E2E_IMAGE" true
  tx_state "  after it" "$TX_N-sysctl"
  tx "rm -f of both" rm -f "$TX_N-ulimit" "$TX_N-sysctl"
}

# create, start, exec, pause, unpause, stop (trapped SIGTERM, and SIGKILL
# after -t), kill, restart, wait, rm of created, exited and running
# containers.
sc_lifecycle() {
  local n=$TX_N trap_loop='trap "exit 7" TERM; while :; do sleep 0.2; done'
  tx "create" create --name "$n-a" "${TX_OPTS[@]}" "$E2E_IMAGE" sh -c "$trap_loop"
  tx_state "  after create" "$n-a"
  tx "rm of a created container" rm "$n-a"
  tx_state "  after rm" "$n-a"
  tx "create" create --name "$n-b" "${TX_OPTS[@]}" "$E2E_IMAGE" sh -c "$trap_loop"
  tx "start" start "$n-b"
  tx_state "  after start" "$n-b"
  tx_out "exec exit 5" exec "$n-b" sh -c 'echo in-exec; exit 5'
  tx "exec no-such-command" exec "$n-b" no-such-command
  tx "exec /etc/passwd" exec "$n-b" /etc/passwd
  tx "exec /no/such/binary" exec "$n-b" /no/such/binary
  tx "pause" pause "$n-b"
  tx_state "  after pause" "$n-b"
  tx "exec while paused" exec "$n-b" true
  tx "pause again" pause "$n-b"
  tx "unpause" unpause "$n-b"
  tx_state "  after unpause" "$n-b"
  tx "unpause again" unpause "$n-b"
  tx "stop (SIGTERM, trapped)" stop -t 20 "$n-b"
  tx_state "  after stop" "$n-b"
  tx "stop again" stop "$n-b"
  tx "kill of an exited container" kill "$n-b"
  tx "start again" start "$n-b"
  tx_state "  after start" "$n-b"
  tx "kill" kill "$n-b"
  tx_wait 10 "$n-b" tx_not_running
  tx_state "  after kill" "$n-b"
  tx_out "wait" wait "$n-b"
  tx "rm of an exited container" rm "$n-b"
  tx_state "  after rm" "$n-b"
  tx "run -d sleep (SIGTERM ignored)" run -d --name "$n-c" "${TX_OPTS[@]}" "$E2E_IMAGE" sleep 1000
  tx "stop -t 1" stop -t 1 "$n-c"
  tx_state "  after stop -t 1" "$n-c"
  tx "restart -t 1" restart -t 1 "$n-c"
  tx_state "  after restart" "$n-c"
  # (PID 1 has no handler for it: the kernel drops it)
  tx "kill -s USR2" kill -s USR2 "$n-c"
  sleep 0.5 # (nothing to wait for: the state must stay)
  tx_state "  after kill -s USR2" "$n-c"
  tx "kill -s KILL" kill -s KILL "$n-c"
  tx_wait 10 "$n-c" tx_not_running
  tx_state "  after kill -s KILL" "$n-c"
  tx "run -d exit 4 after 0.5 s" run -d --name "$n-d" "${TX_OPTS[@]}" "$E2E_IMAGE" sh -c 'sleep 0.5; exit 4'
  tx_out "wait" wait "$n-d"
  tx_state "  after wait" "$n-d"
  tx "run -d sleep" run -d --name "$n-e" "${TX_OPTS[@]}" "$E2E_IMAGE" sleep 1000
  tx "rm of a running container" rm "$n-e"
  tx "rm -f of a running container" rm -f "$n-e"
  tx_state "  after rm -f" "$n-e"
  tx "run -d sleep" run -d --name "$n-f" "${TX_OPTS[@]}" "$E2E_IMAGE" sleep 1000
  tx "pause" pause "$n-f"
  tx "rm -f of a paused container" rm -f "$n-f"
  tx_state "  after rm -f" "$n-f"
}

# Limits and policies: an OOM kill, a restart policy, health checks, the
# pids limit, update, read-only root, non-root user, seccomp.
sc_resources() {
  local n=$TX_N
  tx "run --memory 16m dd bs=64M (OOM)" run --name "$n-oom" "${TX_OPTS[@]}" --memory 16m --memory-swap 16m \
    "$E2E_IMAGE" dd if=/dev/zero of=/dev/null bs=64M count=1
  tx_state "  after it" "$n-oom"
  tx "run -d --restart on-failure:2 exit 3" run -d --name "$n-r" "${TX_OPTS[@]}" --restart on-failure:2 \
    "$E2E_IMAGE" sh -c 'exit 3'
  restarted_twice() { tx_settled "$1" && [[ $1 == *restarts=2* ]]; }
  tx_wait 30 "$n-r" restarted_twice
  tx_state "  after the restarts" "$n-r"
  tx "run -d --health-cmd true" run -d --name "$n-h1" "${TX_OPTS[@]}" --health-cmd true \
    --health-interval 1s --health-retries 1 "$E2E_IMAGE" sleep 1000
  tx "run -d --health-cmd false" run -d --name "$n-h2" "${TX_OPTS[@]}" --health-cmd false \
    --health-interval 1s --health-retries 1 "$E2E_IMAGE" sleep 1000
  tx_wait 30 "$n-h1" tx_health_settled
  tx_wait 30 "$n-h2" tx_health_settled
  tx_state "  health true" "$n-h1"
  tx_state "  health false" "$n-h2"
  tx "update --memory 32m --pids-limit 10" update --memory 32m --memory-swap 64m --pids-limit 10 "$n-h1"
  tx_out "  memory and pids limits seen inside" exec "$n-h1" cat /sys/fs/cgroup/memory/memory.limit_in_bytes \
    /sys/fs/cgroup/pids/pids.max
  tx "update --memory 1k (refused)" update --memory 1k "$n-h1"
  tx_state "  after update" "$n-h1"
  tx_out "run --pids-limit 5, forking beyond it" run --rm "${TX_OPTS[@]}" --pids-limit 5 "$E2E_IMAGE" sh -c \
    'sh -c "for i in 1 2 3 4 5 6 7 8; do sleep 5 & done" 2>/dev/null; echo rc=$?; read -r c </sys/fs/cgroup/pids/pids.current; echo current=$c'
  tx_out "run --read-only, touch /x" run --rm "${TX_OPTS[@]}" --read-only "$E2E_IMAGE" sh -c 'touch /x 2>/dev/null; echo $?'
  tx_out "run --user 65534, touch /root/x" run --rm "${TX_OPTS[@]}" --user 65534:65534 "$E2E_IMAGE" sh -c \
    'touch /root/x 2>/dev/null; echo $?; grep ^CapEff: /proc/self/status'
  tx_out "run, seccomp and unshare -U" run --rm "${TX_OPTS[@]}" "$E2E_IMAGE" sh -c \
    'grep -E "^(Seccomp|NoNewPrivs):" /proc/self/status; unshare -U true 2>/dev/null; echo unshare=$?'
  tx_out "run --security-opt no-new-privileges" run --rm "${TX_OPTS[@]}" --security-opt no-new-privileges "$E2E_IMAGE" \
    grep ^NoNewPrivs: /proc/self/status
  tx_out "run --cap-drop ALL --cap-add KILL" run --rm "${TX_OPTS[@]}" --cap-drop ALL --cap-add KILL "$E2E_IMAGE" \
    grep ^CapEff: /proc/self/status
}

@test "transcript: docker run exit codes 0, 1, 3, 125, 126, 127; rm of what they leave" {
  tx_compare sc_exit_codes
}

@test "transcript: create, start, exec, pause/unpause, stop, kill, restart, wait, rm" {
  tx_compare sc_lifecycle
}

@test "transcript: OOM kill, restart policy, health checks, update, limits, seccomp" {
  tx_compare sc_resources
}
