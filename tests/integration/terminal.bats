#!/usr/bin/env bats
# process.terminal: the pty the process gets and who owns it, with a
# --console-socket and without one (hrun then relays the pty itself).

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
  for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.05; done
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
  for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.05; done
  run timeout 20 "$HRUN_BIN" --root "$HRUN_ROOT" exec -t --console-socket "$sock" -u 1234 \
    "$ID" sh -c 'stat -c %u:%g:%a $(tty)'
  assert_success
  timeout 10 tail --pid="$recv" -f /dev/null || kill "$recv"
  assert_equal "$(tr -d '\r' <"$out")" '1234:5:620'
}
