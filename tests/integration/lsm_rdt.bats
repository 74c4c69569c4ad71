#!/usr/bin/env bats
# Fields this machine has no kernel feature for, refused by name at create
# and leaving nothing behind: AppArmor (process.apparmorProfile), SELinux
# (process.selinuxLabel, linux.mountLabel) and Intel RDT (linux.intelRdt).
# Applying them needs a host with the feature: the AppArmor tests at the end
# run where the kernel runs AppArmor (the guest of make vm-check); the
# resctrl paths are unit-tested on a fake tree (tests/unit/test_intelrdt.c).

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

# --- AppArmor applied (a kernel with AppArmor: the VM of make vm-check) ---

APPARMOR_PROFILE=hrun-bats-deny-tmp

# needs_apparmor: AppArmor enabled and its parser installed, and the test
# profile loaded: everything allowed but writes below /tmp.
needs_apparmor() {
  [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ] ||
    skip "the kernel runs no AppArmor (tested in the VM of make vm-check)"
  command -v apparmor_parser >/dev/null || fail "no apparmor_parser (Debian package apparmor)"
  apparmor_parser -r <<EOF
profile $APPARMOR_PROFILE flags=(attach_disconnected,mediate_deleted) {
  file,
  capability,
  network,
  unix,
  signal,
  ptrace,
  mount,
  umount,
  pivot_root,
  deny /tmp/** w,
}
EOF
}

unload_apparmor() {
  echo "profile $APPARMOR_PROFILE {}" | apparmor_parser -R 2>/dev/null || true
}

@test "process.apparmorProfile: the process runs confined by the profile, which denies what it says" {
  needs_apparmor
  update_config ".process.apparmorProfile = \"$APPARMOR_PROFILE\""
  set_args sh -c 'cat /proc/self/attr/current; echo x >/tmp/f && echo wrote'
  run hrun run --bundle "$BUNDLE" "$ID"
  unload_apparmor
  assert_failure
  assert_line --index 0 "$APPARMOR_PROFILE (enforce)"
  assert_output --partial "/tmp/f: Permission denied"
  refute_output --partial wrote
  # Without the field the same process is unconfined and may write.
  update_config 'del(.process.apparmorProfile)'
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_output $'unconfined\nwrote'
}

@test "exec --apparmor: the new process is confined, the container's init is not" {
  needs_apparmor
  set_args sleep 100
  hrun_bg run -d --bundle "$BUNDLE" "$ID"
  assert_success
  run hrun exec --apparmor "$APPARMOR_PROFILE" "$ID" sh -c 'cat /proc/self/attr/current; echo x >/tmp/f'
  unload_apparmor
  assert_failure
  assert_line --index 0 "$APPARMOR_PROFILE (enforce)"
  assert_output --partial "/tmp/f: Permission denied"
  assert_equal "$(cat "/proc/$(init_pid "$ID")/attr/current")" unconfined
}

@test "process.apparmorProfile naming no loaded profile fails at create, naming it, leaving nothing" {
  needs_apparmor
  unload_apparmor
  refused '.process.apparmorProfile = "hrun-bats-not-loaded"' \
    'hrun: create: config.json: process.apparmorProfile: AppArmor profile "hrun-bats-not-loaded" is not loaded'
}
