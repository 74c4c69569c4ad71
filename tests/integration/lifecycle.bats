#!/usr/bin/env bats
# create / start / state / kill / delete / run / list, their exit codes and
# their errors.

load helpers

setup() {
  setup_common
}

teardown() {
  teardown_common
}

@test "create then start: created, running, stopped, deleted" {
  set_args sleep 100
  hrun_bg create --bundle "$BUNDLE" "$ID"
  assert_success
  assert_equal "$(container_status "$ID")" created

  run hrun start "$ID"
  assert_success
  assert_equal "$(container_status "$ID")" running

  run hrun kill "$ID" KILL
  assert_success
  wait_for_status "$ID" stopped
  assert_equal "$(hrun state "$ID" | jq .pid)" 0

  run hrun delete "$ID"
  assert_success
  run hrun state "$ID"
  assert_failure
  assert_output --partial "container $ID does not exist"
}

@test "state prints runc's keys with the right values" {
  set_args sleep 100
  update_config '.annotations = {"org.example.key": "value"}'
  hrun create --bundle "$BUNDLE" "$ID"
  run hrun state "$ID"
  assert_success
  assert_equal "$(jq -r '[keys[]] | sort | join(",")' <<<"$output")" \
    "annotations,bundle,created,id,ociVersion,owner,pid,rootfs,status"
  assert_equal "$(jq -r .id <<<"$output")" "$ID"
  assert_equal "$(jq -r .bundle <<<"$output")" "$BUNDLE"
  assert_equal "$(jq -r .rootfs <<<"$output")" "$BUNDLE/rootfs"
  assert_equal "$(jq -r .ociVersion <<<"$output")" "1.3.0"
  assert_equal "$(jq -r '.annotations["org.example.key"]' <<<"$output")" value
  [[ "$(jq -r .created <<<"$output")" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z$ ]]
  local pid
  pid=$(jq -r .pid <<<"$output")
  [ -d "/proc/$pid" ]
}

@test "run returns the exit code of the process and removes the container" {
  set_args sh -c 'exit 7'
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_equal "$status" 7
  run hrun list -q
  assert_output ""
  [ ! -e "$HRUN_ROOT/$ID" ]
}

@test "run prints the process's output on the runtime's stdout" {
  set_args echo hello from the container
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_output "hello from the container"
}

@test "run: a process killed by a signal gives 128 + the signal" {
  set_args sleep 100
  # The binary itself, not the hrun() function: $! must be its pid.
  "$HRUN_BIN" --root "$HRUN_ROOT" run --bundle "$BUNDLE" "$ID" &
  local runner=$!
  wait_for_status "$ID" running
  hrun kill "$ID" KILL
  local code=0
  wait "$runner" || code=$? # not under `run`: a subshell cannot wait for it
  assert_equal "$code" 137
}

@test "run --keep leaves a stopped container" {
  set_args true
  run hrun run --keep --bundle "$BUNDLE" "$ID"
  assert_success
  assert_equal "$(container_status "$ID")" stopped
  run hrun delete "$ID"
  assert_success
}

@test "run -d returns at once and leaves a running container" {
  set_args sleep 100
  hrun_bg run -d --bundle "$BUNDLE" "$ID"
  assert_success
  assert_equal "$(container_status "$ID")" running
}

@test "run forwards SIGTERM to the container process" {
  set_args sh -c 'trap "exit 42" TERM; touch /tmp/trapped; while :; do sleep 0.1; done'
  "$HRUN_BIN" --root "$HRUN_ROOT" run --bundle "$BUNDLE" "$ID" &
  local runner=$!
  wait_until 5 test -e "$BUNDLE/rootfs/tmp/trapped"
  kill -TERM "$runner"
  local code=0
  wait "$runner" || code=$?
  assert_equal "$code" 42
}

@test "create with --pid-file writes the init's host pid" {
  set_args sleep 100
  hrun_bg create --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/pid" "$ID"
  assert_success
  assert_equal "$(cat "$BATS_TEST_TMPDIR/pid")" "$(init_pid "$ID")"
}

@test "a relative --pid-file is relative to the caller's directory (create, run, exec), as with runc" {
  setup_runc
  set_args sleep 100
  local r caller=$BATS_TEST_TMPDIR/caller
  for r in hrun runc; do
    mkdir -p "$caller/$r"
    cd "$caller/$r"
    if [ $r = hrun ]; then
      hrun_bg create --bundle "$BUNDLE" --pid-file create.pid "$ID"
      assert_success
      hrun_bg run -d --bundle "$BUNDLE" --pid-file run.pid "$ID-run"
      assert_success
      hrun exec -d --pid-file exec.pid "$ID-run" sleep 50
    else
      runc --root "$RUNC_ROOT" create --bundle "$BUNDLE" --pid-file create.pid "$ID" </dev/null >/dev/null 2>&1
      runc --root "$RUNC_ROOT" run -d --bundle "$BUNDLE" --pid-file run.pid "$ID-run" </dev/null >/dev/null 2>&1
      runc --root "$RUNC_ROOT" exec -d --pid-file exec.pid "$ID-run" sleep 50
    fi
    assert_equal "$(ls "$caller/$r" | tr '\n' ' ')" "create.pid exec.pid run.pid "
  done
  assert_equal "$(cat "$caller/hrun/create.pid")" "$(init_pid "$ID")"
  assert_equal "$(cat "$caller/hrun/run.pid")" "$(init_pid "$ID-run")"
  [ -z "$(find "$BUNDLE" -maxdepth 1 -name '*.pid')" ] || fail "a pid file landed in the bundle"
}

@test "create without --bundle uses the current directory" {
  set_args sleep 100
  cd "$BUNDLE"
  hrun_bg create "$ID"
  assert_success
  assert_equal "$(hrun state "$ID" | jq -r .bundle)" "$BUNDLE"
}

@test "the bundle's config.json is read once, at create" {
  set_args sh -c 'echo original >/tmp/out'
  hrun create --bundle "$BUNDLE" "$ID"
  set_args sh -c 'echo edited >/tmp/out'
  hrun start "$ID"
  wait_for_status "$ID" stopped
  assert_equal "$(cat "$BUNDLE/rootfs/tmp/out")" original
}

@test "start of a container that is not created fails" {
  set_args sleep 100
  hrun create --bundle "$BUNDLE" "$ID"
  hrun start "$ID"
  run hrun start "$ID"
  assert_failure
  assert_output --partial "it is running, not created"
}

# start_kill_point PHASE: where the START message leaves `start`, as
# killat names it (found on a container of its own).
start_kill_point() {
  local killat=$REPO_ROOT/build/tests/helpers/killat
  hrun create --bundle "$BUNDLE" "$ID-probe"
  "$killat" -l "$BATS_TEST_TMPDIR/list" "$HRUN_BIN" --root "$HRUN_ROOT" start "$ID-probe"
  hrun delete --force "$ID-probe"
  awk -v phase="$1" '$4 == "send:START" { print phase ":" $1 ":" $2; exit }' "$BATS_TEST_TMPDIR/list"
}

@test "a start killed before its START reached the init leaves the container created, and start works" {
  set_args sleep 100
  local point
  point=$(start_kill_point entry)
  [ -n "$point" ]
  hrun create --bundle "$BUNDLE" "$ID"
  "$REPO_ROOT/build/tests/helpers/killat" -k "$point" "$HRUN_BIN" --root "$HRUN_ROOT" start "$ID"
  assert_equal "$(container_status "$ID")" created
  [ -S "$HRUN_ROOT/$ID/start.sock" ]
  hrun start "$ID"
  assert_equal "$(container_status "$ID")" running
}

@test "a start killed once its START was sent leaves a running container, not one that claims to be created" {
  set_args sleep 100
  local point
  point=$(start_kill_point exit)
  hrun create --bundle "$BUNDLE" "$ID"
  "$REPO_ROOT/build/tests/helpers/killat" -k "$point" "$HRUN_BIN" --root "$HRUN_ROOT" start "$ID"
  wait_for_status "$ID" running
  run hrun start "$ID"
  assert_failure
  assert_output "hrun: start: cannot start container $ID: it is running, not created"
}

@test "two starts racing: one starts the container, the other says so" {
  set_args sleep 100
  hrun create --bundle "$BUNDLE" "$ID"
  hrun start "$ID" >"$BATS_TEST_TMPDIR/a" 2>&1 &
  local a=$! sa=0 sb=0
  hrun start "$ID" >"$BATS_TEST_TMPDIR/b" 2>&1 || sb=$?
  wait "$a" || sa=$?
  [ $((sa + sb)) -eq 1 ] || fail "start exit statuses $sa and $sb: $(cat "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b")"
  run cat "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
  assert_output --regexp "^hrun: start: cannot start container $ID: (it is running, not created|another start is starting it)"
  assert_equal "$(container_status "$ID")" running
}

@test "create with an id that exists fails and leaves the first container alone" {
  set_args sleep 100
  hrun create --bundle "$BUNDLE" "$ID"
  hrun_bg create --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output --partial "container $ID already exists"
  assert_equal "$(container_status "$ID")" created
}

@test "commands on an unknown id say it does not exist and exit 1" {
  local cmd
  for cmd in state start delete kill; do
    run hrun $cmd nosuchcontainer
    assert_equal "$status" 1
    assert_output --partial "container nosuchcontainer does not exist"
  done
}

@test "delete --force of an unknown id succeeds silently, as with runc and crun" {
  run hrun delete --force nosuchcontainer
  assert_success
  assert_output ""
  run runc --root "$HRUN_ROOT" delete --force nosuchcontainer
  assert_success
}

@test "invalid container ids are refused" {
  local id
  for id in "../escape" "a/b" ".hidden" "with space" "x;y"; do
    hrun_bg create --bundle "$BUNDLE" "$id"
    assert_failure
    assert_output --partial "invalid container id"
  done
  [ ! -e "$HRUN_ROOT/../escape" ]
}

@test "ids with control characters are refused by every command, never echoed raw" {
  setup_runc
  local id cmd shown out
  for id in $'a\nb' $'a\tb' $'a\x1b[31mb' $'a\x7f' $'\x01x'; do
    shown=$(printf '%s' "$id" | od -An -tx1 -v | tr -s ' \n' ' ')
    for cmd in "create --bundle $BUNDLE" "run --bundle $BUNDLE" start state kill "kill --all" \
      delete "delete --force" ps "ps -f json" pause resume "update --memory 10M" exec; do
      # shellcheck disable=SC2086
      if [ "$cmd" = exec ]; then
        hrun_bg exec "$id" true
      else
        hrun_bg $cmd "$id"
      fi
      [ "$status" -ne 0 ] || fail "hrun $cmd accepted id bytes$shown"
      assert_output --regexp "^hrun: ${cmd%% *}: invalid container id \"[^\"]*\\\\x[0-9a-f]{2}"
      # Nothing but printable ASCII and the newline that ends the line.
      out=$(printf '%s' "$output" | LC_ALL=C tr -d '\n -~')
      [ -z "$out" ] || fail "hrun $cmd echoed raw bytes of id$shown"
      # shellcheck disable=SC2086
      if [ "$cmd" = exec ]; then
        run runc --root "$RUNC_ROOT" exec "$id" true
      else
        run runc --root "$RUNC_ROOT" $cmd "$id"
      fi
      [ "$status" -ne 0 ] || fail "runc $cmd accepted id bytes$shown"
    done
  done
  [ -z "$(ls -A "$HRUN_ROOT" 2>/dev/null)" ] || fail "a state directory was left: $(ls -A "$HRUN_ROOT")"
  hrun_bg state $'x\x1b]0;title\x07'
  assert_output "hrun: state: invalid container id \"x\\x1b]0;title\\x07\": use letters, digits, '_', '+', '-' and (not first) '.'"
}

@test "delete of a running or created container without --force fails" {
  set_args sleep 100
  hrun create --bundle "$BUNDLE" "$ID"
  run hrun delete "$ID"
  assert_failure
  assert_output --partial "cannot delete container $ID that is not stopped: created"
  hrun start "$ID"
  run hrun delete "$ID"
  assert_failure
  assert_output --partial "that is not stopped: running"
  run hrun delete --force "$ID"
  assert_success
  [ ! -e "$HRUN_ROOT/$ID" ]
}

@test "kill: default SIGTERM, names with and without SIG, numbers" {
  set_args sh -c 'trap "echo TERM >/tmp/got" TERM; trap "echo USR1 >/tmp/got" USR1; trap "echo HUP >/tmp/got" HUP; echo none >/tmp/got; while :; do sleep 0.1; done'
  hrun create --bundle "$BUNDLE" "$ID"
  hrun start "$ID"
  local rootfs=$BUNDLE/rootfs
  wait_until 5 file_is "$rootfs/tmp/got" none
  hrun kill "$ID"
  wait_until 5 file_is "$rootfs/tmp/got" TERM
  hrun kill "$ID" USR1
  wait_until 5 file_is "$rootfs/tmp/got" USR1
  hrun kill "$ID" SIGHUP
  wait_until 5 file_is "$rootfs/tmp/got" HUP
  hrun kill "$ID" 9
  wait_for_status "$ID" stopped
  run hrun kill "$ID" KILL
  assert_failure
  assert_output --partial "container not running"
  run hrun kill "$ID" NOSUCHSIG
  assert_failure
  assert_output --partial 'unknown signal "NOSUCHSIG"'
}

@test "kill of a created container ends it" {
  set_args sleep 100
  hrun create --bundle "$BUNDLE" "$ID"
  run hrun kill "$ID" TERM
  assert_success
  wait_for_status "$ID" stopped
}

@test "kill --all signals every process of the container" {
  set_args sh -c 'sleep 100 & sleep 100 & wait'
  hrun create --bundle "$BUNDLE" "$ID"
  hrun start "$ID"
  wait_until 5 has_children "$(init_pid "$ID")" 2
  run hrun kill --all "$ID" KILL
  assert_success
  wait_for_status "$ID" stopped
}

@test "list: table, json and quiet" {
  set_args sleep 100
  hrun create --bundle "$BUNDLE" "$ID"
  run hrun list
  assert_success
  assert_line --index 0 --regexp '^ID +PID +STATUS +BUNDLE +CREATED +OWNER$'
  assert_line --index 1 --regexp "^$ID +[0-9]+ +created +$BUNDLE +[0-9T:.Z-]+ +root$"
  run hrun list -f json
  assert_success
  assert_equal "$(jq -r '.[0].id' <<<"$output")" "$ID"
  assert_equal "$(jq -r '.[0].status' <<<"$output")" created
  run hrun list -q
  assert_output "$ID"
}

@test "--version prints the version, the commit and the spec version" {
  run "$HRUN_BIN" --version
  assert_success
  assert_line --index 0 --regexp '^hrun version [0-9]+\.[0-9]+\.[0-9]+'
  assert_line --index 1 --regexp '^commit: '
  assert_line --index 2 'spec: 1.3.0'
}

@test "an unknown command is an error" {
  run "$HRUN_BIN" frobnicate
  assert_failure
  assert_output --partial 'unknown command "frobnicate"'
}

@test "--log-format json writes errors as JSON lines with level, msg and time" {
  run "$HRUN_BIN" --root "$HRUN_ROOT" --log "$BATS_TEST_TMPDIR/log.json" --log-format json state nosuch
  assert_failure
  run jq -r '.level + "|" + .msg' "$BATS_TEST_TMPDIR/log.json"
  assert_output "error|container nosuch does not exist"
  jq -e '.time | test("^[0-9]{4}-")' "$BATS_TEST_TMPDIR/log.json"
}

@test "kill 0 probes a live container and fails on a stopped one" {
  set_args sleep 100
  hrun create --bundle "$BUNDLE" "$ID"
  run hrun kill "$ID" 0
  assert_success
  assert_equal "$(container_status "$ID")" created
  hrun kill "$ID" KILL
  wait_for_status "$ID" stopped
  run hrun kill "$ID" 0
  assert_failure
  assert_output --partial "container not running"
}

@test "kill --all of a stopped container kills what is left in its cgroup and succeeds" {
  # No pid namespace of its own: the init's child outlives it.
  update_config '.linux.namespaces |= map(select(.type != "pid"))'
  set_args sh -c "sleep 1234$BATS_TEST_NUMBER & exit 0"
  hrun create --bundle "$BUNDLE" "$ID"
  hrun start "$ID"
  wait_for_status "$ID" stopped
  local left
  left=$(pids_mentioning "sleep 1234$BATS_TEST_NUMBER")
  [ -n "$left" ] || fail "the init's child is not there"
  run hrun kill --all "$ID" KILL
  assert_success
  wait_until 5 no_pids_mentioning "sleep 1234$BATS_TEST_NUMBER"
  run hrun kill --all "$ID" KILL
  assert_success
  run hrun kill "$ID" KILL
  assert_failure
  assert_output --partial "container not running"
}

@test "a pidfd_open failure is reported as itself; delete --force still kills the init" {
  local failsys=$REPO_ROOT/build/tests/helpers/failsys pidfd_open=434 emfile=24
  [ -x "$failsys" ] || fail "$failsys is missing (make integration builds it)"
  set_args sleep 100
  hrun create --bundle "$BUNDLE" "$ID"
  local pid
  pid=$(init_pid "$ID")
  run "$failsys" $pidfd_open $emfile "$HRUN_BIN" --root "$HRUN_ROOT" kill "$ID" KILL
  assert_failure
  assert_output --partial "pidfd_open $pid: too many open files"
  refute_output --partial "not running"
  assert_equal "$(container_status "$ID")" created
  run "$failsys" $pidfd_open $emfile "$HRUN_BIN" --root "$HRUN_ROOT" delete --force "$ID"
  assert_success
  [ ! -e "/proc/$pid" ] || [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" = Z ] ||
    fail "the init $pid still lives"
  [ ! -e "$HRUN_ROOT/$ID" ]
}
