#!/usr/bin/env bats
# Nothing is left behind: after a failed create, after delete, and no
# runtime fd reaches a created container.

load helpers

setup() {
  setup_common
}

teardown() {
  teardown_common
}

@test "a config with errors fails create with one line naming the field, leaving nothing" {
  local cases=(
    '.process.args = []|process.args must not be empty'
    '.process.user.uid = "root"|process.user.uid: expected'
    '.process.cwd = "relative"|process.cwd must be an absolute path'
    '.linux.namespaces += [{"type":"bogus"}]|linux.namespaces[5].type: unknown namespace type "bogus"'
    'del(.ociVersion)|ociVersion'
    '.mounts[0].destination = 5|mounts[0].destination: expected'
    '.hooks = {"prestart":[{"path":"relative/hook"}]}|hooks.prestart[0].path must be an absolute path'
    '.root.path = "missing"|root.path'
  )
  local c filter expected
  for c in "${cases[@]}"; do
    filter=${c%%|*}
    expected=${c#*|}
    cp "$TESTDATA/config.json" "$BUNDLE/config.json"
    update_config "$filter"
    hrun_bg create --bundle "$BUNDLE" "$ID"
    assert_failure
    assert_equal "${#lines[@]}" 1
    assert_output --regexp "^hrun: create: config.json: "
    assert_output --partial "$expected"
    assert_no_leftovers "$ID"
  done
}

@test "invalid JSON fails with the parser's reason" {
  echo '{"ociVersion": ' >"$BUNDLE/config.json"
  hrun_bg create --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output --regexp '^hrun: create: config.json: invalid JSON: '
  assert_no_leftovers "$ID"
}

@test "a failure inside the container init leaves nothing either" {
  # The init cannot make a cwd below a regular file.
  touch "$BUNDLE/rootfs/file"
  update_config '.process.cwd = "/file/dir"'
  set_args sleep 100
  hrun_bg create --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_no_leftovers "$ID"
}

@test "delete leaves nothing behind" {
  update_config '.linux.resources.memory = {"limit": 67108864} | .linux.resources.pids = {"limit": 50}'
  set_args sleep 100
  hrun create --bundle "$BUNDLE" "$ID"
  hrun start "$ID"
  [ -n "$(cgroup_dirs_named "$ID")" ]
  hrun delete --force "$ID"
  assert_no_leftovers "$ID"
}

@test "a created container holds only stdio and the start channel" {
  set_args sleep 100
  # Give create extra fds of ours: they must not reach the container.
  exec 7</dev/null 8>"$BATS_TEST_TMPDIR/extra"
  hrun create --bundle "$BUNDLE" "$ID"
  exec 7<&- 8>&-
  local pid fds extra
  pid=$(init_pid "$ID")
  fds=$(ls "/proc/$pid/fd" | sort -n | tr '\n' ' ')
  # stdio and one more: the start channel's socket
  [[ "$fds" =~ ^"0 1 2 "([0-9]+)" "$ ]] || fail "fds of the created init: $fds"
  extra=${BASH_REMATCH[1]}
  [[ "$(readlink "/proc/$pid/fd/$extra")" == socket:* ]]
  hrun start "$ID"
  pid=$(init_pid "$ID")
  fds=$(ls "/proc/$pid/fd" | sort -n | tr '\n' ' ')
  assert_equal "$fds" "0 1 2 "
}

@test "the init of a created container is in the container's cgroup" {
  set_args sleep 100
  hrun create --bundle "$BUNDLE" "$ID"
  local pid
  pid=$(init_pid "$ID")
  # (on cgroup v2 both are the one unified path)
  assert_regex "$(cgroup_rel memory "$pid")" "/$ID$"
  assert_regex "$(cgroup_rel pids "$pid")" "/$ID$"
}
