#!/usr/bin/env bats
# Drop-in compatibility with crun: the same bundle, the same commands spelled
# as crun's callers spell them (compat/transcript.sh, dialect crun), through
# crun and hrun: the same exit codes, states and effects.
#
# crun 1.8.1 refuses this host's hybrid cgroup layout, so both runtimes run
# in a mount namespace of their own with the cgroup2 "unified" mount hidden
# (as make bench does), and in a pid namespace whose init (bash) reaps the
# containers' inits (this host's pid 1 does not, and crun takes a zombie
# for a live container).
#
# Where crun and runc differ, hrun does what runc does and the transcript
# leaves the step out or compares what they share: crun's extra state key
# "systemd-scope"; exec -c, which replaces crun's capability sets and adds
# to runc's; a second `spec -f`, which crun overwrites and runc refuses;
# `kill ID 0` of a stopped container (crun 0, runc 1 "container not
# running"); `ps` of a stopped container (crun 1.8.1 crashes).

load helpers

setup() {
  setup_common
  command -v crun >/dev/null || fail "crun is not installed (Debian package crun; make deps installs it)"
  CRUN_ROOT=$BATS_TEST_TMPDIR/crun-root
  rm -f "$BUNDLE/config.json"
  runc spec --bundle "$BUNDLE"
  update_config '.process.terminal = false | .process.args = ["sleep", "100"]'
  cp "$BUNDLE/config.json" "$BATS_TEST_TMPDIR/config.json"
}

teardown() {
  in_crun_namespaces sh -c \
    'for id in $(crun --root "$0" list -q 2>/dev/null); do crun --root "$0" delete -f "$id"; done' \
    "$CRUN_ROOT" >/dev/null 2>&1 || true
  teardown_common
}

# in_crun_namespaces CMD...: CMD with the cgroup2 mount hidden and a pid
# namespace whose init reaps orphans.
in_crun_namespaces() {
  unshare --pid --fork --mount --mount-proc --propagation private bash -c \
    'if [ "$(stat -f -c %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ]; then
       umount /sys/fs/cgroup/unified || exit 1
     fi
     "$@"' crun-ns "$@"
}

transcript() {
  cp "$BATS_TEST_TMPDIR/config.json" "$BUNDLE/config.json"
  rm -rf "$BUNDLE/specdir"
  in_crun_namespaces "$BATS_TEST_DIRNAME/compat/transcript.sh" crun "$1" "$2" "$BUNDLE" "$ID"
}

@test "the lifecycle and crun's flags: the same transcript as crun" {
  local crun_t hrun_t
  crun_t=$(transcript crun "$CRUN_ROOT")
  hrun_t=$(transcript "$HRUN_BIN" "$HRUN_ROOT")
  echo "crun:"; echo "$crun_t"
  echo "hrun:"; echo "$hrun_t"
  diff <(echo "$crun_t") <(echo "$hrun_t")
  grep -qx 'status running' <<<"$hrun_t"
  grep -qx 'after-kill-regex stopped stopped running' <<<"$hrun_t"
  grep -qx 'exec-c 0 sys_admin=1' <<<"$hrun_t"
  [ "$(wc -l <<<"$hrun_t")" -ge 60 ]
}
