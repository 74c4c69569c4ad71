#!/usr/bin/env bats
# Nothing a kill or a race does wedges a container (README "State and
# locks", docs/state.md).
#
# Kills: hrun SIGKILLed at each kill point of create, start, run, run -d,
# exec and delete (faults.bash): after each, `delete --force` leaves no
# state dir, cgroup, mount or process, and the id is reusable. Every sync
# message of nsexec/sync.h is a kill point of some sweep. Each sweep prints
# "# NAME: N kill points tried (S at sync messages), N recovered".
#
# Failures: one system call per run fails (killat -f) in create, start, run,
# exec and delete: the command fails with one hrun: line or does all its
# work, and delete --force leaves nothing. "# NAME: N failing system calls
# tried (F made it fail), N recovered".
#
# Races: concurrent commands on one id.

load helpers
load faults

setup() {
  setup_common
  # Every process of the container and every hook names the id, so that a
  # leftover shows up in id_processes.
  set_args sh -c "sleep 100; : $ID"
  local hook="{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\":\",\"hook-$ID\"]}"
  update_config ".hooks = {\"prestart\":[$hook],\"createRuntime\":[$hook],
    \"createContainer\":[$hook],\"startContainer\":[$hook],\"poststart\":[$hook],
    \"poststop\":[$hook]}
    | .linux.resources.memory = {\"limit\": 67108864} | .linux.resources.pids = {\"limit\": 50}"
}

teardown() {
  [ -z "${AGENT_PID:-}" ] || { kill "$AGENT_PID" 2>/dev/null; wait "$AGENT_PID" 2>/dev/null; } || true
  teardown_common
  hrun delete --force "$ID" >/dev/null 2>&1 || true
  [ -z "$(leftovers)" ] || scrub
}

# The command as the sweeps run it (no shell function: killat execs it).
HRUN_CMD() {
  CMD=("$HRUN_BIN" --root "$HRUN_ROOT" "$@")
}

@test "create killed at each kill point: delete --force leaves nothing, the id is reusable" {
  # --debug: the init sends a HOOK_REPORT after each createContainer hook.
  HRUN_CMD --debug create --bundle "$BUNDLE" "$ID"
  fault_sweep create from_nothing -- "${CMD[@]}"
}

@test "start killed at each kill point: the container is created (and starts) or runs; delete --force leaves nothing" {
  AFTER_KILL=start_after_kill
  HRUN_CMD --debug start "$ID"
  fault_sweep start from_created -- "${CMD[@]}"
}

@test "run killed at each kill point: delete --force leaves nothing, the id is reusable" {
  set_args sh -c "true; : $ID"
  HRUN_CMD run --bundle "$BUNDLE" "$ID"
  fault_sweep run from_nothing -- "${CMD[@]}"
}

@test "run -d killed at each kill point: delete --force leaves nothing, the id is reusable" {
  HRUN_CMD run -d --bundle "$BUNDLE" "$ID"
  fault_sweep run-d from_nothing -- "${CMD[@]}"
}

@test "exec killed at each kill point: delete --force leaves nothing, the id is reusable" {
  HRUN_CMD exec "$ID" sh -c ": $ID"
  fault_sweep exec from_running -- "${CMD[@]}"
}

@test "exec of a command that is not there (ERROR from the exec'd process) killed at each sync message" {
  HRUN_CMD exec "$ID" /no/such/command
  TRACED_MAY_FAIL=1 fault_sweep exec-error from_running sync -- "${CMD[@]}"
}

@test "delete --force killed at each kill point: delete --force again leaves nothing, the id is reusable" {
  HRUN_CMD delete --force "$ID"
  fault_sweep delete from_running -- "${CMD[@]}"
}

@test "create with a user namespace and bind mounts (MOUNT_SOURCES) killed at each sync message" {
  mkdir -p "$BATS_TEST_TMPDIR/volume"
  update_config '.linux.namespaces += [{"type":"user"}]
    | .linux.uidMappings = [{"containerID":0,"hostID":100000,"size":65536}]
    | .linux.gidMappings = [{"containerID":0,"hostID":100000,"size":65536}]
    | .mounts |= map(select(.destination != "/sys/fs/cgroup"))
    | .mounts += [{"destination":"/volume","type":"bind","source":"'"$BATS_TEST_TMPDIR/volume"'","options":["rbind"]}]'
  chown -R 100000:100000 "$BUNDLE/rootfs"
  HRUN_CMD create --bundle "$BUNDLE" "$ID"
  fault_sweep create-userns from_nothing sync -- "${CMD[@]}"
}

# A seccomp agent for each attempt (it serves one container).
from_agent() {
  local sock=$BATS_TEST_TMPDIR/agent.sock
  [ -z "${AGENT_PID:-}" ] || { kill "$AGENT_PID" 2>/dev/null; wait "$AGENT_PID" 2>/dev/null; } || true
  rm -f "$sock"
  "$REPO_ROOT/build/tests/helpers/seccomp_agent" "$sock" "$BATS_TEST_TMPDIR" \
    >"$BATS_TEST_TMPDIR/agent.log" 2>&1 &
  AGENT_PID=$!
  wait_until 2 test -S "$sock" || fail "the seccomp agent did not listen"
}

@test "create with a seccomp notify listener (SECCOMP_FD, SECCOMP_DONE) killed at each sync message" {
  update_config ".linux.seccomp = {\"defaultAction\": \"SCMP_ACT_ALLOW\",
    \"listenerPath\": \"$BATS_TEST_TMPDIR/agent.sock\",
    \"syscalls\": [{\"names\": [\"mkdirat\"], \"action\": \"SCMP_ACT_NOTIFY\"}]}"
  HRUN_CMD create --bundle "$BUNDLE" "$ID"
  BEFORE_REUSE=from_agent
  fault_sweep create-seccomp from_agent sync -- "${CMD[@]}"
}

@test "every sync message of nsexec/sync.h was a kill point" {
  [ -s "$SYNC_SEEN" ] || skip "the sweeps above did not run"
  local m missing=""
  for m in $(sed -n 's/^  SYNC_\([A-Z_]*\).*/\1/p' "$REPO_ROOT/nsexec/sync.h"); do
    grep -qx "$m" "$SYNC_SEEN" || missing+=" $m"
  done
  [ -z "$missing" ] || fail "never a kill point:$missing"
}

# create_killed_at AWK-CONDITION: a create SIGKILLed at the exit of the
# first system call of its killat list ("NR K NAME [LABEL]") that matches.
create_killed_at() {
  local list=$BATS_TEST_TMPDIR/list point
  HRUN_CMD create --bundle "$BUNDLE" "$ID"
  "$KILLAT" -l "$list" "${CMD[@]}" </dev/null >/dev/null 2>&1
  hrun delete --force "$ID"
  point=$(awk "$1"' { print "exit:" $1 ":" $2; exit }' "$list")
  [ -n "$point" ] || fail "no system call with $1 in $(cat "$list")"
  "$KILLAT" -k "$point" "${CMD[@]}" </dev/null >/dev/null 2>&1
}

@test "a create killed before its first state write: state and list show it stopped, create says what to do, delete removes it" {
  # The exit of the state dir's mkdirat: the dir exists, nothing in it.
  create_killed_at '$3 == "mkdirat"'
  [ -d "$HRUN_ROOT/$ID" ] && [ ! -e "$HRUN_ROOT/$ID/state.json" ]
  run hrun state "$ID"
  assert_success
  assert_equal "$(jq -r '"\(.status) \(.pid)"' <<<"$output")" "stopped 0"
  run hrun list -q
  assert_output "$ID"
  hrun_bg create --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output "hrun: create: container $ID already exists (a create of it was killed half-way; \`hrun delete --force\` removes what it left)"
  hrun delete "$ID"
  assert_equal "$(leftovers)" ""
  reusable
}

@test "a create killed after its cgroup and init were made: stopped, and delete --force removes the cgroup, the init and the state" {
  # Right after READY arrived: the init is set up, state.json still says
  # its creator is at work.
  create_killed_at '$4 == "recv:READY"'
  [ -n "$(cgroup_dirs_named "$ID")" ]
  [ -n "$(id_processes)" ]
  assert_equal "$(container_status "$ID")" stopped
  run hrun kill "$ID" KILL
  assert_failure
  assert_output "hrun: kill: container $ID: container not running"
  hrun delete "$ID"
  assert_equal "$(leftovers)" ""
  reusable
}

@test "create with one failing system call per run (EIO, ENOSPC, EMFILE, EAGAIN): a clear error or success, never wedged" {
  HRUN_CMD create --bundle "$BUNDLE" "$ID"
  failure_sweep create-fail from_nothing -- "${CMD[@]}"
}

@test "start with one failing system call per run: never wedged" {
  AFTER_KILL=start_after_failure
  HRUN_CMD start "$ID"
  failure_sweep start-fail from_created -- "${CMD[@]}"
}

@test "run with one failing system call per run: never wedged" {
  set_args sh -c "true; : $ID"
  HRUN_CMD run --bundle "$BUNDLE" "$ID"
  failure_sweep run-fail from_nothing -- "${CMD[@]}"
}

@test "exec with one failing system call per run: never wedged" {
  HRUN_CMD exec "$ID" sh -c ": $ID"
  failure_sweep exec-fail from_running -- "${CMD[@]}"
}

@test "delete --force with one failing system call per run: a second delete --force removes everything" {
  HRUN_CMD delete --force "$ID"
  failure_sweep delete-fail from_running -- "${CMD[@]}"
}

@test "a read of mountinfo failing part-way (hierarchies past its first 8 KiB): create fails or joins every hierarchy" {
  local list=$BATS_TEST_TMPDIR/list out=$BATS_TEST_TMPDIR/out k rc all late=0 ok=0
  HRUN_CMD create --bundle "$BUNDLE" "$ID"
  in_late_cgroups "$KILLAT" -l "$list" "${CMD[@]}" </dev/null >"$out" 2>&1 ||
    fail "create with late hierarchies: $(<"$out")"
  all=$(cgroup_dirs_named "$ID" | wc -l)
  [ "$all" -ge 2 ] || fail "only $all cgroup directories"
  hrun delete --force "$ID"
  # Every read(2) of create fails once, with EIO.
  for k in $(awk '$1 == 0 { print $2 }' "$list"); do
    rc=0
    in_late_cgroups "$KILLAT" -f "0:$k:5" "${CMD[@]}" </dev/null >"$out" 2>&1 || rc=$?
    if [ "$rc" -eq 0 ]; then
      [ "$(cgroup_dirs_named "$ID" | wc -l)" -eq "$all" ] ||
        fail "read $k failing: create succeeded with the container in $(cgroup_dirs_named "$ID" | wc -l) of $all cgroup directories"
      ok=$((ok + 1))
    elif grep -q "mountinfo" "$out"; then
      late=$((late + 1))
    fi
    hrun delete --force "$ID"
    assert_equal "$(leftovers)" ""
  done
  echo "# $(awk '$1 == 0' "$list" | wc -l) reads failed in turn: $late failed naming mountinfo, $ok coped" >&3
  [ "$late" -gt 0 ] || fail "no failing read was reported as a read of mountinfo"
}

# racer NAME CMD...: CMD in the background, its status and output in
# BATS_TEST_TMPDIR/NAME.{rc,out}; wait_racers waits for every one.
racer() {
  local name=$1
  shift
  (
    rc=0
    "$@" </dev/null >"$BATS_TEST_TMPDIR/$name.out" 2>&1 || rc=$?
    echo "$rc" >"$BATS_TEST_TMPDIR/$name.rc"
  ) &
  RACERS+=($!)
}

wait_racers() {
  local p
  for p in "${RACERS[@]}"; do wait "$p" || true; done
  RACERS=()
}

# raced NAME RC-REGEX OUT-REGEX: how NAME ended is one of those allowed.
raced() {
  local rc out
  rc=$(<"$BATS_TEST_TMPDIR/$1.rc")
  out=$(<"$BATS_TEST_TMPDIR/$1.out")
  [[ "$rc" =~ ^($2)$ ]] || fail "$1 exited $rc: $out"
  [ "$rc" = 0 ] || [[ "$out" =~ $3 ]] || fail "$1: $out"
}

@test "50 parallel creates of one id: exactly one wins, the others say it exists, nothing is left" {
  local i won=0 h=("$HRUN_BIN" --root "$HRUN_ROOT")
  RACERS=()
  for i in $(seq 50); do
    racer "create$i" "${h[@]}" create --bundle "$BUNDLE" "$ID"
  done
  wait_racers
  for i in $(seq 50); do
    if [ "$(<"$BATS_TEST_TMPDIR/create$i.rc")" = 0 ]; then
      won=$((won + 1))
    else
      raced "create$i" 1 "^hrun: create: container $ID already exists"
    fi
  done
  assert_equal "$won" 1
  assert_equal "$(container_status "$ID")" created
  # One init: the one state.json names.
  assert_equal "$(id_processes | wc -l)" 1
  hrun start "$ID"
  hrun delete --force "$ID"
  assert_equal "$(leftovers)" ""
}

@test "delete --force, kill, state and exec racing on one container: each answers, nothing is left" {
  local round i h=("$HRUN_BIN" --root "$HRUN_ROOT")
  RACERS=()
  for round in 1 2 3 4 5; do
    from_running
    for i in 1 2 3; do
      racer "delete$i" "${h[@]}" delete --force "$ID"
      racer "kill$i" "${h[@]}" kill "$ID" KILL
      racer "state$i" "${h[@]}" state "$ID"
      racer "exec$i" "${h[@]}" exec "$ID" sh -c ": $ID"
    done
    wait_racers
    for i in 1 2 3; do
      raced "delete$i" 0 ''
      raced "kill$i" '0|1' "^hrun: kill: container $ID(: container not running| does not exist)\$"
      raced "state$i" '0|1' "^hrun: state: container $ID does not exist\$"
      # The exec'd process may have been killed by the delete (137).
      raced "exec$i" '0|1|137|255' "^hrun: exec: [^"$'\n'"]*\$"
    done
    assert_equal "$(leftovers)" ""
  done
}

@test "create and delete --force racing: either order, never wedged" {
  local round h=("$HRUN_BIN" --root "$HRUN_ROOT")
  RACERS=()
  for round in $(seq 10); do
    racer create "${h[@]}" create --bundle "$BUNDLE" "$ID"
    sleep "0.0$((RANDOM % 4))" # (a random head start: the race under test)
    racer delete "${h[@]}" delete --force "$ID"
    wait_racers
    raced delete 0 ''
    # The create either came first (and its container may have been
    # deleted under it) or failed because delete killed its init.
    raced create '0|1' '^hrun: create: '
    hrun delete --force "$ID"
    assert_equal "$(leftovers)" ""
  done
  reusable
}

@test "a state.json whose pid names another live process: kill and delete never signal it" {
  from_running
  sleep 1000 &
  local decoy=$! st=$HRUN_ROOT/$ID/state.json
  jq --argjson p "$decoy" '.pid = $p' "$st" >"$st.new" && mv "$st.new" "$st"
  assert_equal "$(container_status "$ID")" stopped
  run hrun kill "$ID" KILL
  assert_failure
  assert_output "hrun: kill: container $ID: container not running"
  hrun delete --force "$ID"
  kill -0 "$decoy" || fail "delete signalled the process the edited pid named"
  kill "$decoy"
  # The real init was in the container's cgroup: gone with it.
  assert_equal "$(leftovers)" ""
}

@test "a creator or a hook record that names another live process: delete never signals it" {
  from_running
  sleep 1000 &
  local decoy=$! st=$HRUN_ROOT/$ID/state.json
  # A creator "at work" that is not ours (its start time differs), and a
  # hook group whose leader's pid was reused.
  jq --argjson p "$decoy" '.creator = {"pid": $p, "startTime": 1}' "$st" >"$st.new" && mv "$st.new" "$st"
  echo 1 >"$HRUN_ROOT/$ID/hook-$decoy"
  assert_equal "$(container_status "$ID")" stopped
  hrun delete --force "$ID"
  kill -0 "$decoy" || fail "delete signalled a process it had no business with"
  kill "$decoy"
  assert_equal "$(leftovers)" ""
}
