#!/usr/bin/env bats
# Regression tests for the doors runtimes have been broken through. Each
# test names its CVE; tests/security/mutants.sh rebuilds hrun with that
# protection compiled out (HRUN_TEST_* switches) and checks that the test
# then fails.

load helpers

setup() {
  setup_common
}

teardown() {
  teardown_common
  [ -z "${RUNTIME_COPY:-}" ] || rm -f "$RUNTIME_COPY"
}

# A private copy of the runtime: an attack that works corrupts only it.
use_runtime_copy() {
  RUNTIME_COPY=$BATS_TEST_TMPDIR/hrun-copy
  cp "$HRUN_BIN" "$RUNTIME_COPY"
  COPY_SUM=$(sha256sum <"$RUNTIME_COPY")
  HRUN_BIN=$RUNTIME_COPY
}

@test "CVE-2019-5736: a container process cannot rewrite the runtime through /proc/1/exe of a created container" {
  use_runtime_copy
  set_args sleep 100
  hrun create --bundle "$BUNDLE" "$ID"
  # Inside the container, hold the init's exe (hrun's image while created),
  # wait until no process runs that image any more, then write through it.
  hrun exec -d "$ID" sh -c '
    exec 3</proc/1/exe || exit
    touch /held
    while [ ! -e /go ]; do sleep 0.1; done
    if { echo pwned >>/proc/self/fd/3; } 2>/why; then echo WROTE; else echo REFUSED; fi >/result' \
    </dev/null >/dev/null 2>&1
  wait_until 5 test -e "$BUNDLE/rootfs/held"
  hrun start "$ID"
  touch "$BUNDLE/rootfs/go"
  wait_until 5 test -s "$BUNDLE/rootfs/result"
  assert_equal "$(cat "$BUNDLE/rootfs/result")" REFUSED
  run cat "$BUNDLE/rootfs/why"
  assert_output --regexp "(Read-only file system|Operation not permitted)"
  assert_equal "$(sha256sum <"$RUNTIME_COPY")" "$COPY_SUM"
}

@test "CVE-2019-5736: the image an exec'd process starts from cannot be rewritten" {
  use_runtime_copy
  set_args sleep 100
  hrun create --bundle "$BUNDLE" "$ID"
  hrun start "$ID"
  # The exec'd process is a clone of the exec command: hold that image.
  "$HRUN_BIN" --root "$HRUN_ROOT" exec "$ID" sleep 1 &
  local runner=$!
  # (its clone is there once it runs from the image it re-executed)
  wait_until 5 has_children "$runner" 1
  # (fd 8: bats owns fd 3)
  exec 8</proc/$runner/exe
  wait "$runner"
  run bash -c 'echo pwned >>/proc/self/fd/8'
  exec 8<&-
  assert_failure
  assert_output --regexp "(Read-only file system|Operation not permitted)"
  assert_equal "$(sha256sum <"$RUNTIME_COPY")" "$COPY_SUM"
}

@test "CVE-2021-30465: a mount destination raced into a symlink out of the rootfs never lands outside it" {
  local outside=$BATS_TEST_TMPDIR/outside
  mkdir -p "$outside" "$BUNDLE/rootfs/race"
  update_config '.mounts += [{"destination":"/race/vol/sub","type":"tmpfs","source":"tmpfs"}]'
  set_args true
  # Flip /race/vol between a directory and a symlink to a host directory.
  (
    cd "$BUNDLE/rootfs/race"
    while :; do
      rm -rf vol 2>/dev/null; mkdir -p vol
      rm -rf vol 2>/dev/null; ln -sfn "$outside" vol
    done
  ) &
  local racer=$!
  local i
  for i in $(seq 30); do
    hrun run --bundle "$BUNDLE" "$ID-$i" >/dev/null 2>&1 || true
    [ ! -e "$outside/sub" ] || break
  done
  kill "$racer"
  wait "$racer" 2>/dev/null || true
  [ ! -e "$outside/sub" ] || fail "a mount target was created on the host at $outside/sub"
  # A static symlink out of the rootfs is followed inside it.
  rm -rf "$BUNDLE/rootfs/race/vol"
  ln -sfn "$outside" "$BUNDLE/rootfs/race/vol"
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  [ ! -e "$outside/sub" ] || fail "a mount target was created on the host at $outside/sub"
  [ -d "$BUNDLE/rootfs$outside/sub" ]
}

@test "CVE-2024-21626: a cwd through a runtime fd never reaches the host" {
  set_args sleep 100
  hrun create --bundle "$BUNDLE" "$ID"
  hrun start "$ID"
  local fd escaped=""
  for fd in $(seq 3 20); do
    if out=$(hrun exec --cwd "/proc/self/fd/$fd" "$ID" sh -c 'pwd; ls ..' 2>&1); then
      escaped="$escaped fd $fd: $out;"
    fi
  done
  [ -z "$escaped" ] || fail "exec ran with its cwd outside the container:$escaped"
  for fd in 3 4 5 6 7 8; do
    update_config ".process.cwd = \"/proc/self/fd/$fd\""
    run hrun run --bundle "$BUNDLE" "$ID-cwd$fd"
    assert_failure
  done
}

@test "CVE-2024-21626: no runtime fd reaches a created container, its process or an exec'd one" {
  set_args sleep 100
  exec 7</dev/null
  hrun create --bundle "$BUNDLE" "$ID"
  exec 7<&-
  local pid
  pid=$(init_pid "$ID")
  assert_equal "$(ls /proc/$pid/fd | wc -l)" 4 # stdio + the start channel
  hrun start "$ID"
  assert_equal "$(ls /proc/$pid/fd | tr '\n' ' ')" "0 1 2 "
  run hrun exec "$ID" ls /proc/self/fd
  assert_equal "$(echo $output)" "0 1 2 3" # 3: the directory ls reads
}

# The attack binds a read-only /proc/sys file writable over a masked path.
# The target here is the container's own hostname (kernel.hostname belongs
# to its UTS namespace): on a build without the protection (make mutants)
# the write lands in the container, never on the host. The real attack
# aims at kernel.core_pattern, which is global.
@test "CVE-2025-31133: masking refuses a /dev/null that is a symlink to a /proc file" {
  update_config '.mounts |= map(select(.destination != "/dev"))'
  mkdir -p "$BUNDLE/rootfs/dev"
  ln -sfn /proc/sys/kernel/hostname "$BUNDLE/rootfs/dev/null"
  set_args sh -c 'echo pwned >/proc/keys; cat /proc/sys/kernel/hostname'
  local before
  before=$(cat /proc/sys/kernel/hostname)
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output --partial "/dev/null in the container is not the null device"
  refute_output --partial pwned
  assert_equal "$(cat /proc/sys/kernel/hostname)" "$before"
}

@test "CVE-2025-31133: the pty is never bound over the target of a /dev/console symlink" {
  update_config '.mounts |= map(select(.destination != "/dev")) | .process.terminal = true'
  mkdir -p "$BUNDLE/rootfs/dev"
  ln -sfn /proc/sys/kernel/hostname "$BUNDLE/rootfs/dev/console"
  "$REPO_ROOT/build/tests/helpers/recvtty" "$BATS_TEST_TMPDIR/tty.sock" >/dev/null 2>&1 &
  local recv=$!
  wait_until 5 test -S "$BATS_TEST_TMPDIR/tty.sock"
  set_args sh -c 'grep -c kernel/hostname /proc/self/mountinfo'
  hrun_bg run -d --console-socket "$BATS_TEST_TMPDIR/tty.sock" --bundle "$BUNDLE" "$ID"
  kill "$recv" 2>/dev/null || true
  assert_failure
  assert_output --partial "/dev/console in the container is a symlink"
}

@test "CVE-2019-19921: /proc must be a real procfs on a real directory of the rootfs" {
  rmdir "$BUNDLE/rootfs/proc"
  mkdir -p "$BUNDLE/rootfs/fakeproc"
  ln -s /fakeproc "$BUNDLE/rootfs/proc"
  set_args true
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output --partial "/proc must be a directory of the rootfs, not a symlink"
  [ ! -e "$HRUN_ROOT/$ID" ]
}

@test "CVE-2019-19921: nothing but procfs may be mounted on /proc, nothing inside it but lxcfs files" {
  update_config '.mounts += [{"destination":"/proc/sys/kernel/core_pattern","type":"bind","source":"/dev/null","options":["bind"]}]'
  set_args true
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output --partial "/proc/sys/kernel/core_pattern cannot be mounted because it is inside /proc"
  cp "$TESTDATA/config.json" "$BUNDLE/config.json"
  update_config '.mounts |= map(if .destination == "/proc" then {"destination":"/proc","type":"tmpfs","source":"tmpfs"} else . end)'
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output --partial "/proc cannot be mounted because it is not of type proc"
  # lxcfs-style files are allowed
  echo "12345.67 89.0" >"$BATS_TEST_TMPDIR/uptime"
  cp "$TESTDATA/config.json" "$BUNDLE/config.json"
  update_config ".mounts += [{\"destination\":\"/proc/uptime\",\"type\":\"bind\",\"source\":\"$BATS_TEST_TMPDIR/uptime\",\"options\":[\"bind\",\"ro\"]}]"
  set_args cat /proc/uptime
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_output "12345.67 89.0"
}

@test "CVE-2022-27650: exec never grants inheritable capabilities" {
  update_config '.process.capabilities.inheritable = []'
  set_args sleep 100
  hrun create --bundle "$BUNDLE" "$ID"
  hrun start "$ID"
  run hrun exec --cap CAP_SYS_ADMIN "$ID" grep -E '^Cap(Inh|Amb)' /proc/self/status
  assert_success
  assert_line --regexp '^CapInh:\s+0000000000000000$'
  assert_line --regexp '^CapAmb:\s+0000000000000000$'
  run hrun exec "$ID" grep '^CapInh' /proc/self/status
  assert_line --regexp '^CapInh:\s+0000000000000000$'
}

@test "noNewPrivileges and the capability sets also bind exec'd processes" {
  update_config '.process.noNewPrivileges = true'
  set_args sleep 100
  hrun create --bundle "$BUNDLE" "$ID"
  hrun start "$ID"
  run hrun exec "$ID" grep -E '^(CapBnd|CapEff|NoNewPrivs)' /proc/self/status
  assert_line --regexp '^CapBnd:\s+0000000020000420$'
  assert_line --regexp '^CapEff:\s+0000000020000420$'
  assert_line --regexp '^NoNewPrivs:\s+1$'
}

@test "--no-pivot hides the host's procfs and sysfs from the container" {
  set_args sh -c 'grep -E " (proc|sysfs) " /proc/self/mountinfo | awk "{print \$5}"'
  run hrun run --no-pivot --bundle "$BUNDLE" "$ID"
  assert_success
  # only the container's own /proc and /sys (and the masks inside them)
  refute_output --regexp '^/(host|tmp|run)'
  assert_line /proc
  assert_line /sys
}

@test "--preserve-fds never hands over an fd of hrun's own, even when the caller has none there" {
  set_args sleep 100
  hrun create --bundle "$BUNDLE" "$ID"
  hrun start "$ID"
  # The caller has nothing at 3 and 4: hrun's state dir or log must not
  # take those numbers and slip through.
  run bash -c 'for fd in $(ls /proc/$BASHPID/fd); do [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done
    exec "$0" --root "$1" --log "$2" exec --preserve-fds 2 "$3" ls -l /proc/self/fd' \
    "$HRUN_BIN" "$HRUN_ROOT" "$BATS_TEST_TMPDIR/log" "$ID"
  assert_success
  assert_line --regexp ' 3 -> /dev/null$'
  assert_line --regexp ' 4 -> /dev/null$'
  refute_output --partial "$HRUN_ROOT"
  refute_output --partial "$BATS_TEST_TMPDIR/log"
}
