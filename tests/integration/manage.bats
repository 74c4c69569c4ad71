#!/usr/bin/env bats
# What clients do with a running container besides exec: ps, pause/resume,
# update; and the create options they pass: --console-socket,
# --preserve-fds, LISTEN_FDS, --systemd-cgroup.

load helpers

setup() {
  setup_common
  set_args sh -c 'sleep 100 & sleep 100'
}

teardown() {
  teardown_common
}

RECVTTY=$REPO_ROOT/build/tests/helpers/recvtty

cgroup_file() {
  local controller=$1 file=$2 pid
  pid=$(init_pid "$ID")
  echo "/sys/fs/cgroup/$controller$(awk -F: -v c="$controller" '$2 == c {print $3}' /proc/$pid/cgroup)/$file"
}

# both_sleep PID: the init PID has forked its child and runs the last sleep.
both_sleep() {
  has_children "$1" 1 && [ "$(cat "/proc/$1/comm")" = sleep ]
}

@test "ps --format json lists the host pids of every process; the table is ps -ef's" {
  hrun create --bundle "$BUNDLE" "$ID"
  hrun start "$ID"
  local pid
  pid=$(init_pid "$ID")
  wait_until 5 both_sleep "$pid"
  run hrun ps --format json "$ID"
  assert_success
  assert_equal "$(jq length <<<"$output")" 2
  jq -e --argjson p "$pid" 'index($p) != null' <<<"$output"
  local child
  child=$(jq -r --argjson p "$pid" 'map(select(. != $p))[0]' <<<"$output")
  assert_equal "$(awk '/^PPid/{print $2}' /proc/$child/status)" "$pid"
  run hrun ps "$ID"
  assert_success
  assert_line --index 0 --regexp '^UID +PID +PPID'
  assert_equal "${#lines[@]}" 3
  run hrun ps "$ID" -- -o pid,comm
  assert_success
  assert_line --index 0 --regexp '^ *PID COMMAND$'
  assert_line --regexp "^ *$pid sleep$"
  assert_equal "${#lines[@]}" 3
}

@test "ps of a stopped container prints the header alone and succeeds, as runc does" {
  setup_runc
  set_args true
  local r out
  for r in hrun runc; do
    if [ $r = hrun ]; then
      hrun run -d --bundle "$BUNDLE" "$ID" </dev/null
      wait_for_status "$ID" stopped
      run hrun ps "$ID"
    else
      runc --root "$RUNC_ROOT" run -d --bundle "$BUNDLE" "$ID" </dev/null
      wait_for_runc_status "$ID" stopped
      run runc --root "$RUNC_ROOT" ps "$ID"
    fi
    assert_success
    assert_equal "${#lines[@]}" 1
    assert_line --index 0 --regexp '^UID +PID +PPID'
    out="$out $r-table=$status"
    if [ $r = hrun ]; then run hrun ps -f json "$ID"; else run runc --root "$RUNC_ROOT" ps -f json "$ID"; fi
    assert_success
    out="$out json=$output"
  done
  assert_equal "$out" " hrun-table=0 json=null runc-table=0 json=null"
  run hrun ps "$ID" -o pid,comm
  assert_success
  assert_output --regexp '^ *PID COMMAND$'
  # A container that is not there is still an error.
  hrun delete "$ID"
  run hrun ps "$ID"
  assert_failure
  assert_output --partial "container $ID does not exist"
}

@test "pause freezes every process and state says paused; resume thaws" {
  hrun create --bundle "$BUNDLE" "$ID"
  hrun start "$ID"
  run hrun pause "$ID"
  assert_success
  assert_equal "$(container_status "$ID")" paused
  assert_equal "$(cat "$(cgroup_file freezer freezer.state)")" FROZEN
  run hrun pause "$ID"
  assert_failure
  assert_output --partial "container $ID is paused, not running"
  run hrun resume "$ID"
  assert_success
  assert_equal "$(container_status "$ID")" running
  assert_equal "$(cat "$(cgroup_file freezer freezer.state)")" THAWED
  run hrun resume "$ID"
  assert_failure
  assert_output --partial "is running, not paused"
}

@test "delete --force kills a paused container" {
  hrun create --bundle "$BUNDLE" "$ID"
  hrun start "$ID"
  hrun pause "$ID"
  run hrun delete --force "$ID"
  assert_success
  [ ! -e "$HRUN_ROOT/$ID" ]
  run cgroup_dirs_named "$ID"
  assert_output ""
}

# procs_in_cgroup N: the container's pids cgroup has N processes.
procs_in_cgroup() {
  [ "$(wc -w <"$(cgroup_file pids cgroup.procs)")" -eq "$1" ]
}

@test "delete --force kills every process of a container with or without its own pid namespace" {
  local ns pids p
  for ns in own host; do
    [ "$ns" = own ] || update_config '.linux.namespaces |= map(select(.type != "pid"))'
    # A forked child besides the init.
    set_args sh -c 'sleep 1000 & exec sleep 1001'
    hrun_bg run -d --bundle "$BUNDLE" "$ID"
    assert_success
    wait_until 5 procs_in_cgroup 2
    pids=$(cat "$(cgroup_file pids cgroup.procs)")
    assert_equal "$(wc -w <<<"$pids")" 2
    run hrun delete --force "$ID"
    assert_success
    # (dead: gone, or a zombie its new parent has not reaped yet)
    for p in $pids; do
      case $(awk '{print $3}' "/proc/$p/stat" 2>/dev/null) in
        "" | Z | X) ;;
        *) fail "$ns pid namespace: process $p survived delete" ;;
      esac
    done
    run cgroup_dirs_named "$ID"
    assert_output ""
  done
}

@test "update --resources - and update flags change the cgroup limits" {
  update_config '.linux.resources.memory = {"limit": 67108864}'
  hrun create --bundle "$BUNDLE" "$ID"
  echo '{"memory": {"limit": 33554432}, "pids": {"limit": 77}, "cpu": {"shares": 512, "quota": 50000, "period": 100000}}' |
    hrun update --resources - "$ID"
  assert_equal "$(cat "$(cgroup_file memory memory.limit_in_bytes)")" 33554432
  assert_equal "$(cat "$(cgroup_file pids pids.max)")" 77
  assert_equal "$(cat "$(cgroup_file cpu cpu.shares)")" 512
  assert_equal "$(cat "$(cgroup_file cpu cpu.cfs_quota_us)")" 50000
  run hrun update --memory 48m --pids-limit 50 --cpuset-cpus 0 "$ID"
  assert_success
  assert_equal "$(cat "$(cgroup_file memory memory.limit_in_bytes)")" 50331648
  assert_equal "$(cat "$(cgroup_file pids pids.max)")" 50
  assert_equal "$(cat "$(cgroup_file cpuset cpuset.cpus)")" 0
  run hrun update --resources - "$ID" <<<'{"memory": {"limit": "lots"}}'
  assert_failure
  assert_output "hrun: update: --resources -: memory.limit: expected an integer"
}

@test "--console-socket: the pty is stdio, controlling terminal and /dev/console" {
  update_config '.process.terminal = true | .process.consoleSize = {"height": 30, "width": 100}'
  set_args sh -c 'tty; stty size; ls -l /proc/self/fd/0; readlink /proc/self/fd/1; test -t 0 && echo tty-in; stat -c %t:%T /dev/console; ps -o pid,tty | tail -n 1'
  "$RECVTTY" "$BATS_TEST_TMPDIR/tty.sock" >"$BATS_TEST_TMPDIR/tty.out" 2>&1 &
  local recv=$!
  wait_until 5 test -S "$BATS_TEST_TMPDIR/tty.sock"
  hrun_bg create --console-socket "$BATS_TEST_TMPDIR/tty.sock" --bundle "$BUNDLE" "$ID"
  assert_success
  hrun start "$ID"
  wait "$recv"
  run cat "$BATS_TEST_TMPDIR/tty.out"
  assert_line --regexp '^/dev/pts/0'
  assert_line --regexp '^30 100'
  assert_line --regexp '^/dev/pts/0'
  assert_line --partial tty-in
  assert_line --regexp '^88:0'
}

@test "terminal and --console-socket must come together" {
  update_config '.process.terminal = true'
  run hrun create --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output "hrun: create: config.json: process.terminal is true but no --console-socket was given"
  update_config '.process.terminal = false'
  run hrun create --console-socket /tmp/nowhere.sock --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output --partial "--console-socket was given but process.terminal is false"
  [ ! -e "$HRUN_ROOT/$ID" ]
}

@test "--preserve-fds and LISTEN_FDS pass exactly those fds to the container" {
  set_args sh -c 'ls -l /proc/self/fd; env'
  # every fd above 2 closed, then 3 and 4 opened: LISTEN_FDS=1 + --preserve-fds 1
  run bash -c 'for fd in $(ls /proc/$BASHPID/fd); do [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done
    exec 3</dev/null 4<"$0" 5</dev/zero
    export LISTEN_FDS=1 LISTEN_PID=$BASHPID
    exec "$1" --root "$2" run --preserve-fds 1 --bundle "$3" "$4"' \
    "$TESTDATA/config.json" "$HRUN_BIN" "$HRUN_ROOT" "$BUNDLE" "$ID"
  assert_success
  assert_line --regexp ' 3 -> /dev/null$'
  assert_line --regexp ' 4 -> .*config.json$'
  refute_line --regexp ' 5 -> /dev/zero$'
  assert_line LISTEN_FDS=1
  assert_line LISTEN_PID=1
}

@test "--systemd-cgroup is refused with the reason" {
  run "$HRUN_BIN" --root "$HRUN_ROOT" --systemd-cgroup create --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output --regexp "^hrun: create: --systemd-cgroup: "
  [ ! -e "$HRUN_ROOT/$ID" ]
}

@test "--rootless and --criu are accepted and ignored" {
  set_args true
  run "$HRUN_BIN" --root "$HRUN_ROOT" --rootless=false --criu /usr/sbin/criu run --bundle "$BUNDLE" "$ID"
  assert_success
}
