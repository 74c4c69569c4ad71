#!/usr/bin/env bats
# process.terminal: the pty the process gets and who owns it, with a
# --console-socket and without one (hrun then relays the pty itself, as
# runc does). The caller's terminal is a real pty: script(1)'s, whose stdin
# is what gets "typed", or tests/helpers/ptyrun's, which resizes it.

load helpers

setup() {
  setup_common
  setup_runc
  update_config '.process.terminal = true'
}

teardown() {
  teardown_common
  teardown_runc
}

RECVTTY=$REPO_ROOT/build/tests/helpers/recvtty
PTYRUN=$REPO_ROOT/build/tests/helpers/ptyrun

# Shell words for script(1)'s command lines.
hrun_words() { printf '%q ' "$HRUN_BIN" --root "$HRUN_ROOT"; }
runc_words() { printf '%q ' runc --root "$RUNC_ROOT"; }

# in_pty 'COMMAND LINE': runs it in a new pty (script -qec), with this
# function's stdin as what is typed into that pty; $status, and $output and
# $lines without the pty's carriage returns.
in_pty() {
  local out=$BATS_TEST_TMPDIR/pty.out
  status=0
  SHELL=/bin/bash timeout 30 script -qec "$1" /dev/null >"$out" 2>&1 || status=$?
  output=$(<"$out")
  drop_cr
}

# $output and $lines without carriage returns (a pty's ONLCR).
drop_cr() {
  output=${output//$'\r'/}
  lines=()
  [ -z "$output" ] || mapfile -t lines <<<"$output"
}

# with_tty_group GID: the rootfs's /etc/group gets a tty group.
with_tty_group() {
  printf 'tty:x:%s:\n' "$1" >>"$BUNDLE/rootfs/etc/group"
}

# runtime_cmd hrun|runc: the command line of that runtime with this test's
# root, in RT (timeout cannot run the hrun function).
runtime_cmd() {
  case $1 in
  hrun) RT=("$HRUN_BIN" --root "$HRUN_ROOT") ;;
  runc) RT=(runc --root "$RUNC_ROOT") ;;
  esac
}

# via_console_socket hrun|runc: create (with --console-socket S, recvtty on
# S) and start the test bundle; $output is what the process wrote to its
# terminal. (runc's run refuses a console socket without -d.)
via_console_socket() {
  local sock=$BATS_TEST_TMPDIR/tty.sock out=$BATS_TEST_TMPDIR/tty.out recv RT
  runtime_cmd "$1"
  rm -f "$sock"
  "$RECVTTY" "$sock" >"$out" 2>/dev/null &
  recv=$!
  wait_until 5 test -S "$sock"
  timeout 20 "${RT[@]}" create --console-socket "$sock" --bundle "$BUNDLE" "$ID" \
    </dev/null >/dev/null 2>&1 || fail "$1 create failed"
  timeout 20 "${RT[@]}" start "$ID"
  timeout 10 tail --pid="$recv" -f /dev/null || kill "$recv"
  "${RT[@]}" delete --force "$ID"
  output=$(tr -d '\r' <"$out")
}

@test "--console-socket: the slave belongs to process.user and the tty group, mode 0620, as with runc" {
  with_tty_group 5
  update_config '.process.user = {"uid": 1000, "gid": 1000}'
  set_args sh -c 'stat -c %u:%g:%a $(tty)'
  via_console_socket hrun
  assert_output '1000:5:620'
  via_console_socket runc
  assert_output '1000:5:620'
}

@test "the tty group comes from the container's /etc/group; without one the gid stays devpts'" {
  update_config '.process.user = {"uid": 1000, "gid": 1000}'
  set_args sh -c 'stat -c %u:%g:%a $(tty)'
  # devpts gid=5 in the config, but the image's tty group is 7
  with_tty_group 7
  via_console_socket hrun
  assert_output '1000:7:620'
  # no tty group, and a devpts without gid= and mode=: devpts' gid (the
  # opener's, root's) is kept, the mode is still 0620
  sed -i '/^tty:/d' "$BUNDLE/rootfs/etc/group"
  update_config '(.mounts[] | select(.destination == "/dev/pts") | .options) -= ["gid=5", "mode=0620"]'
  via_console_socket hrun
  assert_output '1000:0:620'
}

@test "an /etc/group that is a FIFO does not block the terminal set-up" {
  update_config '.process.user = {"uid": 1000, "gid": 1000}'
  rm "$BUNDLE/rootfs/etc/group"
  mkfifo "$BUNDLE/rootfs/etc/group"
  set_args sh -c 'stat -c %u:%g:%a $(tty)'
  via_console_socket hrun
  assert_output '1000:5:620'
}

@test "exec -t --console-socket: the slave belongs to the exec'd process's user" {
  with_tty_group 5
  update_config '.process.terminal = false'
  set_args sleep 100
  hrun create --bundle "$BUNDLE" "$ID"
  hrun start "$ID"
  local sock=$BATS_TEST_TMPDIR/tty.sock out=$BATS_TEST_TMPDIR/tty.out recv
  "$RECVTTY" "$sock" >"$out" 2>/dev/null &
  recv=$!
  wait_until 5 test -S "$sock"
  run timeout 20 "$HRUN_BIN" --root "$HRUN_ROOT" exec -t --console-socket "$sock" -u 1234 \
    "$ID" sh -c 'stat -c %u:%g:%a $(tty)'
  assert_success
  timeout 10 tail --pid="$recv" -f /dev/null || kill "$recv"
  assert_equal "$(tr -d '\r' <"$out")" '1234:5:620'
}

# --- without --console-socket: hrun relays the pty ----------------------

@test "run relays the pty: a tty on 0, 1 and 2 owned by the user, typed input, exit status; as runc" {
  with_tty_group 5
  update_config '.process.user = {"uid": 1000, "gid": 1000}'
  set_args sh -c 'tty; for fd in 0 1 2; do test -t $fd && echo fd$fd-tty; done
    stat -c owner=%u:%g:%a $(tty); read line; echo "got-$line"; exit 7'
  local rt t=$BATS_TEST_TMPDIR
  for rt in hrun runc; do
    in_pty "stty -g >$t/before; $(${rt}_words) run --bundle $BUNDLE $ID; echo rc=\$?; stty -g >$t/after" <<<typed
    assert_success
    assert_line --regexp '/dev/pts/[0-9]+$'
    assert_line fd0-tty
    assert_line fd1-tty
    assert_line fd2-tty
    assert_line owner=1000:5:620
    assert_line got-typed
    assert_line rc=7
    # the caller's terminal settings are back
    assert_equal "$(cat "$t/after")" "$(cat "$t/before")"
  done
}

@test "the window size is the caller's at start and follows SIGWINCH; as runc" {
  # (the trap waits for the new size: runc's own first resize, once the
  # process runs, sends a SIGWINCH too)
  set_args sh -c 'winch() { s=$(stty size); [ "$s" = "40 120" ] || return 0; echo "$s"; exit 3; }
    trap winch WINCH; stty size; echo "re""ady"; i=0
    while [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done; exit 1'
  run timeout 30 "$PTYRUN" 30 100 40 120 ready -- "$HRUN_BIN" --root "$HRUN_ROOT" run --bundle "$BUNDLE" "$ID"
  assert_equal "$status" 3
  drop_cr
  assert_equal "${lines[0]}" '30 100'
  assert_equal "${lines[2]}" '40 120'
  # runc sets the size only once the process runs: its first line may
  # still be 0 0
  run timeout 30 "$PTYRUN" 30 100 40 120 ready -- runc --root "$RUNC_ROOT" run --bundle "$BUNDLE" "$ID"
  assert_equal "$status" 3
  drop_cr
  assert_equal "${lines[2]}" '40 120'
}

@test "stdin not a tty: a pipe is copied, its end or /dev/null does not end the process" {
  # (the line is read first: the terminal echoes it as it arrives, which
  # could otherwise land in the middle of a line the process writes; the
  # sleeps are the process living on after its stdin ended)
  set_args sh -c 'read line; test -t 0 && echo in-tty; echo "got-$line"; sleep 0.3; echo still-here; exit 7'
  # (runc refuses this: it needs a terminal of its own, /dev/tty)
  run bash -c 'echo piped | timeout 20 "$0" --root "$1" run --bundle "$2" "$3"' \
    "$HRUN_BIN" "$HRUN_ROOT" "$BUNDLE" "$ID"
  assert_equal "$status" 7
  drop_cr
  assert_line in-tty
  assert_line got-piped
  assert_line still-here
  set_args sh -c 'sleep 0.3; test -t 1 && echo still-here; exit 5'
  run timeout 20 "$HRUN_BIN" --root "$HRUN_ROOT" run --bundle "$BUNDLE" "$ID" </dev/null
  assert_equal "$status" 5
  assert_output --partial still-here
  [ ! -e "$HRUN_ROOT/$ID" ]
}

@test "a signal hrun receives is forwarded; the terminal is raw meanwhile and restored after" {
  set_args sh -c 'trap "echo got-term; exit 9" TERM; echo up; sleep 30 & wait'
  local t=$BATS_TEST_TMPDIR
  # Without job control a background command's stdin is /dev/null unless
  # redirected: the pty is given back to it explicitly.
  in_pty "stty -g >$t/before; $(hrun_words) run --bundle $BUNDLE $ID </dev/tty & pid=\$!
    for i in \$(seq 50); do [ \"\$(stty -g)\" != \"\$(cat $t/before)\" ] && break; sleep 0.1; done
    stty -g >$t/during; kill -TERM \$pid; wait \$pid; echo rc=\$?; stty -g >$t/after" </dev/null
  assert_success
  assert_line --partial got-term
  assert_line rc=9
  [ "$(cat "$t/during")" != "$(cat "$t/before")" ]
  assert_equal "$(cat "$t/after")" "$(cat "$t/before")"
}

@test "a process killed by a signal: 128 + the signal, the terminal restored" {
  set_args sh -c 'echo up; sleep 30'
  local t=$BATS_TEST_TMPDIR
  in_pty "stty -g >$t/before; $(hrun_words) run --bundle $BUNDLE $ID; echo rc=\$? >$t/rc; stty -g >$t/after" </dev/null &
  local pty=$!
  wait_for_status "$ID" running
  hrun kill "$ID" KILL
  wait "$pty"
  assert_equal "$(cat "$t/rc")" rc=137
  assert_equal "$(cat "$t/after")" "$(cat "$t/before")"
}

@test "exec -t without --console-socket relays the pty, owned by the exec'd user; as runc" {
  with_tty_group 5
  update_config '.process.terminal = false'
  set_args sleep 100
  hrun_bg run -d --bundle "$BUNDLE" "$ID"
  assert_success
  runc --root "$RUNC_ROOT" run -d --bundle "$BUNDLE" "$ID" </dev/null >/dev/null 2>&1
  local rt t=$BATS_TEST_TMPDIR
  for rt in hrun runc; do
    in_pty "stty -g >$t/before; $(${rt}_words) exec -t -u 1000 $ID sh -c 'tty; stat -c owner=%u:%g:%a \$(tty); read l; echo got-\$l; exit 4'; echo rc=\$?; stty -g >$t/after" <<<typed
    assert_success
    assert_line --regexp '/dev/pts/[0-9]+$'
    assert_line owner=1000:5:620
    assert_line got-typed
    assert_line rc=4
    assert_equal "$(cat "$t/after")" "$(cat "$t/before")"
    in_pty "$(${rt}_words) exec -t $ID sh -c 'kill -TERM \$\$'; echo rc=\$?" </dev/null
    # (script(1) types a NUL when its stdin ends: ^@ may come first)
    assert_line --regexp 'rc=143$'
  done
  # stdin not a tty
  run bash -c 'echo piped | timeout 20 "$0" --root "$1" exec -t "$2" sh -c "test -t 0 && read l && echo got-\$l; exit 4"' \
    "$HRUN_BIN" "$HRUN_ROOT" "$ID"
  assert_equal "$status" 4
  assert_output --partial got-piped
}

@test "detached, a terminal still needs --console-socket (run -d, exec -d -t); as runc" {
  set_args sleep 100
  hrun_bg run -d --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output "hrun: run: config.json: process.terminal is true but no --console-socket was given"
  [ ! -e "$HRUN_ROOT/$ID" ]
  run runc --root "$RUNC_ROOT" run -d --bundle "$BUNDLE" "$ID" </dev/null
  assert_failure
  assert_output --partial "cannot allocate tty if runc will detach without setting console socket"
  update_config '.process.terminal = false'
  hrun_bg run -d --bundle "$BUNDLE" "$ID"
  run hrun exec -d -t "$ID" true
  assert_equal "$status" 255
  assert_output "hrun: exec: a terminal with --detach needs --console-socket"
}

@test "hrun spec && hrun run demo: the default spec gives a shell; as runc" {
  local dir=$BATS_TEST_TMPDIR/demo rt
  mkdir "$dir"
  cp -a "$BUNDLE/rootfs" "$dir/rootfs"
  (cd "$dir" && hrun spec)
  for rt in hrun runc; do
    in_pty "cd $dir && $(${rt}_words) run demo; echo rc=\$?" <<<'echo hello-$((40+2))
exit 4'
    assert_success
    assert_line --partial hello-42
    assert_line rc=4
  done
}

@test "user namespace: an unmapped tty gid leaves the gid as devpts gave it; as runc" {
  with_tty_group 5
  update_config '.linux.namespaces += [{"type":"user"}]
    | .linux.uidMappings = [{"containerID":0,"hostID":100000,"size":65536}]
    | .linux.gidMappings = [{"containerID":0,"hostID":100000,"size":1}]
    | (.mounts[] | select(.destination == "/dev/pts") | .options) -= ["gid=5"]
    | .process.user = {"uid": 1000, "gid": 0}'
  chown -R 100000:100000 "$BUNDLE/rootfs"
  # runc's init, as the mapped root, must reach the rootfs through bats'
  # private temporary directories
  local d=$BUNDLE rt
  while [ "$d" != /tmp ] && [ "$d" != / ]; do chmod o+x "$d"; d=${d%/*}; done
  set_args sh -c 'stat -c owner=%u:%g:%a $(tty)'
  for rt in hrun runc; do
    in_pty "$(${rt}_words) run --bundle $BUNDLE $ID; echo rc=\$?" </dev/null
    assert_line --regexp 'owner=1000:0:620$'
    assert_line --regexp 'rc=0$'
  done
}
