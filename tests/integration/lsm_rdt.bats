#!/usr/bin/env bats
# Fields this machine has no kernel feature for, refused by name at create
# and leaving nothing behind: AppArmor (process.apparmorProfile), SELinux
# (process.selinuxLabel, linux.mountLabel) and Intel RDT (linux.intelRdt).
# Applying them needs a host with the feature (the VM suite, for AppArmor);
# the resctrl paths are unit-tested on a fake tree (tests/unit/test_intelrdt.c).

load helpers

setup() {
  setup_common
  set_args true
}

teardown() {
  teardown_common
}

# refused JQ MESSAGE: create with the config changed by JQ fails with
# MESSAGE, and no state, process or cgroup of the container is left.
refused() {
  update_config "$1"
  hrun_bg create --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output --partial "$2"
  [ ! -e "$HRUN_ROOT/$ID" ] || fail "state of $ID left"
  [ -z "$(pids_mentioning "$ID")" ] || fail "a process of $ID left"
  [ -z "$(cgroup_dirs_named "$ID")" ] || fail "a cgroup of $ID left"
}

no_lsm() {
  [ ! -e /sys/module/apparmor/parameters/enabled ] && [ ! -d /sys/fs/selinux ] ||
    skip "this host runs AppArmor or SELinux (the VM suite tests them)"
}

@test "process.apparmorProfile is refused where AppArmor is not enabled" {
  no_lsm
  refused '.process.apparmorProfile = "docker-default"' \
    'process.apparmorProfile: AppArmor is not enabled on this host'
}

@test "process.selinuxLabel is refused where SELinux is not enabled" {
  no_lsm
  refused '.process.selinuxLabel = "system_u:system_r:container_t:s0"' \
    'process.selinuxLabel: SELinux is not enabled on this host'
}

@test "linux.mountLabel is refused where SELinux is not enabled" {
  no_lsm
  refused '.linux.mountLabel = "system_u:object_r:container_file_t:s0"' \
    'linux.mountLabel: SELinux is not enabled on this host'
}

@test "linux.intelRdt is refused where no resctrl is mounted" {
  ! grep -q ' - resctrl ' /proc/self/mountinfo || skip "this host has resctrl"
  refused '.linux.intelRdt = {"l3CacheSchema": "L3:0=f"}' \
    'linux.intelRdt: this host has no Intel RDT (no resctrl file system is mounted'
  refused '.linux.intelRdt = {"closID": "gold"}' 'linux.intelRdt: this host has no Intel RDT'
}

@test "linux.intelRdt.closID must name a directory of its own" {
  refused '.linux.intelRdt = {"closID": "../tasks"}' \
    'linux.intelRdt.closID: "../tasks" is not a valid group name'
}
