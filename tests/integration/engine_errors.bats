#!/usr/bin/env bats
# The error texts engines and shims match in a runtime's output: one test
# per row of docs/engine-errors.md. Each applies the engine's own matcher
# (the substring or regex it uses) to what hrun prints, and to what runc
# prints for the same bundle, so the engine takes hrun's failure exactly
# as it takes runc's.

load helpers

setup() {
  setup_common
  setup_runc
}

teardown() {
  teardown_common
  teardown_runc
}

runc_() {
  runc --root "$RUNC_ROOT" "$@"
}

# both CMD...: runs "hrun CMD" and "runc CMD" from the bundle, each with
# --log FILE --log-format json as containerd and podman call them. Sets
# HRUN_OUT/HRUN_STATUS and RUNC_OUT/RUNC_STATUS: what an engine reads, the
# stderr and the msg of the log's last "error" line. Output goes through
# files: a container left running must not hold a pipe of ours.
both() {
  local rt out log
  for rt in hrun runc; do
    out=$BATS_TEST_TMPDIR/$rt.out log=$BATS_TEST_TMPDIR/$rt.log.json
    rm -f "$log"
    local st=0
    (cd "$BUNDLE" && "$rt"_json "$log" "$@") </dev/null >"$out" 2>&1 || st=$?
    out=$(cat "$out")
    [ ! -s "$log" ] || out+=$'\n'$(jq -r 'select(.level == "error") | .msg' "$log" | tail -n 1)
    printf -v "${rt^^}_OUT" '%s' "$out"
    printf -v "${rt^^}_STATUS" '%s' "$st"
  done
  echo "hrun ($HRUN_STATUS): $HRUN_OUT" >&2
  echo "runc ($RUNC_STATUS): $RUNC_OUT" >&2
}

hrun_json() {
  local log=$1
  shift
  "$HRUN_BIN" --root "$HRUN_ROOT" --log "$log" --log-format json "$@"
}

runc_json() {
  local log=$1
  shift
  runc --root "$RUNC_ROOT" --log "$log" --log-format json "$@"
}

# matched_by ENGINE_RE: both outputs match the engine's (extended) regex,
# and both commands failed.
matched_by() {
  [ "$HRUN_STATUS" -ne 0 ] || fail "hrun succeeded: $HRUN_OUT"
  [ "$RUNC_STATUS" -ne 0 ] || fail "runc succeeded: $RUNC_OUT"
  grep -qE -- "$1" <<<"$RUNC_OUT" || fail "runc's text no longer matches /$1/: $RUNC_OUT"
  grep -qE -- "$1" <<<"$HRUN_OUT" || fail "hrun's text does not match /$1/ (runc's does): $HRUN_OUT"
}

# not_matched_by RE: hrun's text does not match RE (a matcher that would
# take the failure for something else).
not_matched_by() {
  ! grep -qE -- "$1" <<<"$HRUN_OUT" || fail "hrun's text matches /$1/: $HRUN_OUT"
}

# A stopped container of each runtime, id $ID.
stopped_container() {
  set_args true
  both run -d "$ID"
  [ "$HRUN_STATUS" = 0 ] && [ "$RUNC_STATUS" = 0 ] || fail "run -d failed"
  wait_for_status "$ID" stopped
  wait_for_runc_status "$ID" stopped || fail "runc's container did not stop"
}

@test "engine text: kill of a stopped container contains 'container not running' (containerd checkKillError, CRI-O)" {
  stopped_container
  both kill "$ID" 9
  matched_by 'container not running'
}

@test "engine text: kill --all of a stopped container succeeds (containerd's shim after every exit)" {
  stopped_container
  both kill --all "$ID" 9
  [ "$HRUN_STATUS" = 0 ] && [ "$RUNC_STATUS" = 0 ] ||
    fail "kill --all: hrun $HRUN_STATUS, runc $RUNC_STATUS"
}

@test "engine text: kill of an unknown id contains 'does not exist' (containerd checkKillError)" {
  both kill nosuchcontainer 9
  matched_by 'does not exist'
  not_matched_by 'container not running'
}

@test "engine text: delete of an unknown id contains 'does not exist' (containerd Init.delete takes it as deleted)" {
  both delete nosuchcontainer
  matched_by 'does not exist'
}

@test "engine text: state of an unknown id contains 'does not exist' (podman)" {
  both state nosuchcontainer
  matched_by 'does not exist'
}

@test "engine text: a command not in \$PATH says 'executable file not found' (Docker and podman: 127)" {
  set_args nosuchcommand
  both create "$ID"
  matched_by 'exec: "nosuchcommand": executable file not found in \$PATH'
}

@test "engine text: a missing absolute path says 'no such file or directory' (Docker and podman: 127)" {
  set_args /no/such/binary
  both create "$ID"
  matched_by 'exec: "/no/such/binary": stat /no/such/binary: no such file or directory'
  not_matched_by 'permission denied'
}

@test "engine text: a file that is not executable says 'permission denied' (Docker and podman: 126)" {
  set_args /etc/passwd
  both create "$ID"
  matched_by 'exec: "/etc/passwd": permission denied'
  not_matched_by 'executable file not found|no such file or directory'
}

@test "engine text: a directory as the command says 'permission denied' (Docker and podman: 126)" {
  set_args /etc
  both create "$ID"
  matched_by 'exec: "/etc": permission denied'
  not_matched_by 'executable file not found|no such file or directory'
}

@test "engine text: exec of a missing command says what create says (Docker exec: 127)" {
  set_args sleep 100
  both run -d "$ID"
  both exec "$ID" /no/such/binary
  matched_by 'exec: "/no/such/binary": stat /no/such/binary: no such file or directory'
  both exec "$ID" nosuchcommand
  matched_by 'executable file not found in \$PATH'
}

@test "engine text: a file bound onto a directory says 'not a directory' (Docker: 127 and its hint)" {
  touch "$BUNDLE/afile"
  update_config ".mounts += [{destination: \"/etc\", type: \"bind\", source: \"$BUNDLE/afile\", options: [\"bind\"]}]"
  both create "$ID"
  matched_by 'not a directory'
}

@test "engine text: system errors are runc's lower-case texts, not strerror's capitals" {
  # A cwd below a regular file: both runtimes try to make it and fail.
  touch "$BUNDLE/rootfs/file"
  update_config '.process.cwd = "/file/dir"'
  both run "$ID"
  matched_by 'not a directory'
  ! grep -q 'Not a directory' <<<"$HRUN_OUT" || fail "strerror's capitals: $HRUN_OUT"
}

@test "engine text: --log-format json ends with runc's {level: error, msg, time} line (containerd getLastRuntimeError)" {
  set_args /no/such/binary
  cd "$BUNDLE"
  run "$HRUN_BIN" --root "$HRUN_ROOT" --log "$BATS_TEST_TMPDIR/hrun.json" --log-format json create "$ID"
  assert_failure
  run runc --root "$RUNC_ROOT" --log "$BATS_TEST_TMPDIR/runc.json" --log-format json create "$ID"
  assert_failure
  local f keys
  for f in hrun runc; do
    # containerd decodes the objects one after another and keeps the msg
    # of the last one whose level is "error".
    keys=$(tail -n 1 "$BATS_TEST_TMPDIR/$f.json" | jq -c 'keys')
    assert_equal "$keys" '["level","msg","time"]'
    assert_equal "$(tail -n 1 "$BATS_TEST_TMPDIR/$f.json" | jq -r .level)" error
    grep -q 'no such file or directory' <<<"$(tail -n 1 "$BATS_TEST_TMPDIR/$f.json" | jq -r .msg)" ||
      fail "$f: the error line's msg lacks the reason: $(cat "$BATS_TEST_TMPDIR/$f.json")"
  done
}

@test "engine text: a failed create's json log is exactly one object (podman reads the whole file as one)" {
  set_args /no/such/binary
  cd "$BUNDLE"
  run "$HRUN_BIN" --root "$HRUN_ROOT" --log "$BATS_TEST_TMPDIR/hrun.json" --log-format json create "$ID"
  assert_failure
  run jq -e -s 'length == 1 and .[0].level == "error"' "$BATS_TEST_TMPDIR/hrun.json"
  assert_success
}

@test "engine text: exec failures reach the json log as its last error line (containerd reads exec errors there)" {
  set_args sleep 100
  hrun_bg run -d --bundle "$BUNDLE" "$ID"
  assert_success
  run "$HRUN_BIN" --root "$HRUN_ROOT" --log "$BATS_TEST_TMPDIR/hrun.json" --log-format json exec "$ID" nosuchcommand
  assert_failure
  run sh -c "tail -n 1 '$BATS_TEST_TMPDIR/hrun.json' | jq -r 'select(.level == \"error\") | .msg'"
  assert_output --partial 'exec: "nosuchcommand": executable file not found in $PATH'
}
