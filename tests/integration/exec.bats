#!/usr/bin/env bats
# exec: a new process in a running container, in every namespace and the
# cgroup of its init, with the container's process as its base.

load helpers

setup() {
  setup_common
  set_args sleep 100
  hrun create --bundle "$BUNDLE" "$ID"
  hrun start "$ID"
  INIT=$(init_pid "$ID")
}

teardown() {
  teardown_common
}

RECVTTY=$REPO_ROOT/build/tests/helpers/recvtty

@test "exec joins every namespace and the cgroup of the container" {
  run hrun exec "$ID" sh -c 'for n in mnt pid net ipc uts cgroup user time; do readlink /proc/self/ns/$n; done; echo pid=$$'
  assert_success
  local i=0 n
  for n in mnt pid net ipc uts cgroup user time; do
    assert_line --index $i "$(readlink /proc/$INIT/ns/$n)"
    i=$((i + 1))
  done
  assert_line --index 8 --regexp '^pid=[0-9]+$'
  refute_line pid=1
  hrun exec -d --pid-file "$BATS_TEST_TMPDIR/pid" "$ID" sleep 50
  local pid
  pid=$(cat "$BATS_TEST_TMPDIR/pid")
  assert_equal "$(grep ':memory:' /proc/$pid/cgroup)" "$(grep ':memory:' /proc/$INIT/cgroup)"
  assert_equal "$(grep ':pids:' /proc/$pid/cgroup)" "$(grep ':pids:' /proc/$INIT/cgroup)"
}

@test "exec passes the exit status back; a signal gives 128 + the signal" {
  run hrun exec "$ID" sh -c 'exit 5'
  assert_equal "$status" 5
  run hrun exec "$ID" sh -c 'kill -KILL $$'
  assert_equal "$status" 137
}

@test "exec -d --pid-file: returns at once, the pid is the process's host pid" {
  hrun_bg exec -d --pid-file "$BATS_TEST_TMPDIR/pid" "$ID" sleep 77
  assert_success
  local pid
  pid=$(cat "$BATS_TEST_TMPDIR/pid")
  assert_equal "$(tr '\0' ' ' </proc/$pid/cmdline)" "sleep 77 "
}

@test "exec inherits the container's capabilities, noNewPrivileges, env, cwd and rlimits" {
  run hrun exec "$ID" sh -c 'grep -E "^(CapEff|CapBnd|NoNewPrivs)" /proc/self/status; echo "$PATH"; pwd; ulimit -n'
  assert_success
  assert_line --regexp '^CapEff:\s+0000000020000420$'
  assert_line --regexp '^CapBnd:\s+0000000020000420$'
  assert_line --regexp '^NoNewPrivs:\s+1$'
  assert_line /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
  assert_line /
  assert_line 1024
}

@test "exec -e, -u, --cwd, --cap and --no-new-privs change the base process" {
  update_config '.process.noNewPrivileges = false'
  run hrun exec -e FOO=bar -e TERM=dumb -u 1000:1000 --cwd /tmp --cap CAP_CHOWN "$ID" \
    sh -c 'echo "$FOO $TERM"; id -u; id -g; pwd; grep -E "^(CapBnd)" /proc/self/status'
  assert_success
  assert_line --index 0 "bar dumb"
  assert_line --index 1 1000
  assert_line --index 2 1000
  assert_line --index 3 /tmp
  # CAP_CHOWN (bit 0) joins the bounding set
  assert_line --regexp '^CapBnd:\s+0000000020000421$'
  run hrun exec --cap CAP_NOPE "$ID" true
  assert_failure
  assert_output --partial 'unknown capability "CAP_NOPE"'
}

@test "exec --cwd must be absolute; an empty one is the container's cwd (as runc)" {
  setup_runc
  runc --root "$RUNC_ROOT" run -d --bundle "$BUNDLE" "$ID" </dev/null >/dev/null 2>&1
  local cwd
  for cwd in tmp ./tmp ../tmp; do
    run hrun exec --cwd "$cwd" "$ID" touch /ran
    assert_equal "$status" 255
    assert_output "hrun: exec: --cwd: \"$cwd\" must be an absolute path"
    [ ! -e "$BUNDLE/rootfs/ran" ] || fail "the process ran"
    run runc --root "$RUNC_ROOT" exec --cwd "$cwd" "$ID" true
    assert_equal "$status" 255
    assert_output --partial "Cwd must be an absolute path"
  done
  run hrun exec --cwd "" "$ID" pwd
  assert_success
  assert_output /
  run runc --root "$RUNC_ROOT" exec --cwd "" "$ID" pwd
  assert_output /
}

@test "exec --process FILE runs that process spec" {
  cat >"$BATS_TEST_TMPDIR/process.json" <<'JSON'
{"args": ["sh", "-c", "echo $ONLY; id -u; pwd"], "env": ["ONLY=this", "PATH=/bin"], "cwd": "/tmp",
 "user": {"uid": 1234, "gid": 1234}, "terminal": false}
JSON
  run hrun exec --process "$BATS_TEST_TMPDIR/process.json" "$ID"
  assert_success
  assert_line --index 0 this
  assert_line --index 1 1234
  assert_line --index 2 /tmp
  echo '{"args": [], "cwd": "/", "user": {"uid": 0, "gid": 0}}' >"$BATS_TEST_TMPDIR/bad.json"
  run hrun exec --process "$BATS_TEST_TMPDIR/bad.json" "$ID"
  assert_equal "$status" 255
  assert_output --partial "process.args must not be empty"
}

# exec_process_side_by_side: the container (re)made from $BUNDLE by hrun
# and by runc, then `exec --process $BATS_TEST_TMPDIR/process.json` in each;
# $out is " hrun: <output> runc: <output>".
exec_process_side_by_side() {
  local r
  out=""
  hrun delete --force "$ID"
  hrun run -d --bundle "$BUNDLE" "$ID" </dev/null
  runc --root "$RUNC_ROOT" run -d --bundle "$BUNDLE" "$ID" </dev/null >/dev/null 2>&1
  for r in hrun runc; do
    if [ $r = hrun ]; then
      run hrun exec --process "$BATS_TEST_TMPDIR/process.json" "$ID"
    else
      run runc --root "$RUNC_ROOT" exec --process "$BATS_TEST_TMPDIR/process.json" "$ID"
    fi
    assert_success
    out="$out $r: $(echo $output)"
  done
}

@test "exec --process FILE without a user runs as 0:0, not as the container's user (as runc)" {
  setup_runc
  local base
  base='.process.args = ["sleep", "100"] | .process.user = {"uid": 1000, "gid": 1000, "additionalGids": [10]}'
  update_config "$base"
  echo '{"args": ["sh", "-c", "id -u; id -g; id -G"], "cwd": "/", "env": ["PATH=/bin"]}' \
    >"$BATS_TEST_TMPDIR/process.json"
  exec_process_side_by_side
  assert_equal "$out" " hrun: 0 0 0 runc: 0 0 0"
  # The container's own process still has its user.
  run hrun exec "$ID" id -u
  assert_output 1000
}

@test "exec --process FILE without capabilities gets the container's, as with runc" {
  setup_runc
  update_config '.process.args = ["sleep", "100"]'
  echo '{"args": ["sh", "-c", "grep ^CapEff /proc/self/status"], "cwd": "/", "env": ["PATH=/bin"], "user": {"uid": 0, "gid": 0}}' \
    >"$BATS_TEST_TMPDIR/process.json"
  exec_process_side_by_side
  # The test config's three capabilities: AUDIT_WRITE, KILL, NET_BIND_SERVICE.
  assert_equal "$out" " hrun: CapEff: 0000000020000420 runc: CapEff: 0000000020000420"
}

@test "no fd of the caller or of hrun reaches an exec'd process" {
  exec 7</dev/null 8>"$BATS_TEST_TMPDIR/extra"
  run hrun exec "$ID" ls /proc/self/fd
  exec 7<&- 8>&-
  assert_success
  # stdio, and the fd ls reads the directory with
  assert_equal "$(echo $output)" "0 1 2 3"
  # With every other fd closed, fd 3 is the one --preserve-fds 1 passes.
  run bash -c 'for fd in $(ls /proc/$BASHPID/fd); do [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done
    exec 3</dev/null
    "$0" --root "$1" exec --preserve-fds 1 "$2" ls -l /proc/self/fd' "$HRUN_BIN" "$HRUN_ROOT" "$ID"
  assert_success
  assert_line --regexp ' 3 -> /dev/null$'
  refute_line --regexp ' 5 -> '
}

@test "exec errors: a missing command, a stopped or unknown container" {
  run hrun exec "$ID" /no/such/program
  assert_equal "$status" 255
  assert_output --partial 'exec: "/no/such/program": stat /no/such/program: no such file or directory'
  run hrun exec nosuch true
  assert_equal "$status" 255
  assert_output --partial "container nosuch does not exist"
  hrun kill "$ID" KILL
  wait_for_status "$ID" stopped
  run hrun exec "$ID" true
  assert_equal "$status" 255
  assert_output --partial "cannot exec in container $ID: it is stopped"
}

@test "exec --tty sends a pty through --console-socket; detached without it, a clear error" {
  "$RECVTTY" "$BATS_TEST_TMPDIR/tty.sock" >"$BATS_TEST_TMPDIR/tty.out" 2>&1 &
  local recv=$!
  wait_until 5 test -S "$BATS_TEST_TMPDIR/tty.sock"
  run hrun exec -t --console-socket "$BATS_TEST_TMPDIR/tty.sock" "$ID" sh -c 'tty; echo tty-ok'
  assert_success
  wait "$recv"
  run cat "$BATS_TEST_TMPDIR/tty.out"
  assert_line --regexp '^/dev/pts/[0-9]+'
  assert_line --partial tty-ok
  # (without -d, hrun relays the pty itself: terminal.bats)
  run hrun exec -d -t "$ID" true
  assert_failure
  assert_output --partial "a terminal with --detach needs --console-socket"
}
