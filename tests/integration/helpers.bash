# Shared set-up for hrun's integration tests: real containers on the real
# kernel, each test with its own state root, bundle and container id.

bats_require_minimum_version 1.5.0
load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

REPO_ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
HRUN_BIN=${HRUN_BIN:-$REPO_ROOT/hrun}
TESTDATA=$BATS_TEST_DIRNAME/testdata

# The commands `hrun --help` lists, one a line.
listed_commands() {
  "$HRUN_BIN" --help | awk '/^commands:/ { on = 1; next } /^$/ { on = 0 } on { print $1 }'
}

# hrun with this test's private state root.
hrun() {
  "$HRUN_BIN" --root "$HRUN_ROOT" "$@"
}

# A busybox-static rootfs, built once per bats run (one process per applet
# link costs half a minute under the VM's emulation) and copied per test.
ROOTFS_TEMPLATE=${BATS_RUN_TMPDIR:-$BATS_FILE_TMPDIR}/rootfs-template
build_rootfs_template() {
  local t=$ROOTFS_TEMPLATE.$$
  [ -d "$ROOTFS_TEMPLATE" ] && return 0
  rm -rf "$t"
  mkdir -p "$t"/{bin,etc,proc,sys,dev,tmp,root,home/user}
  cp /bin/busybox "$t/bin/busybox"
  local applet
  for applet in $("$t/bin/busybox" --list); do
    [ "$applet" = busybox ] || ln -s busybox "$t/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:user:/home/user:/bin/sh\n' >"$t/etc/passwd"
  printf 'root:x:0:\nuser:x:1000:\n' >"$t/etc/group"
  chmod 1777 "$t/tmp"
  # (whole or not at all, should another file's test be looking)
  mv -T "$t" "$ROOTFS_TEMPLATE" 2>/dev/null || rm -rf "$t"
}

# make_bundle DIR: a bundle like `runc spec` makes (terminal false).
make_bundle() {
  local dir=$1
  build_rootfs_template
  mkdir -p "$dir"
  cp -a "$ROOTFS_TEMPLATE" "$dir/rootfs"
  cp "$TESTDATA/config.json" "$dir/config.json"
}

# update_config 'jq filter' [bundle]
update_config() {
  local dir=${2:-$BUNDLE}
  jq "$1" "$dir/config.json" >"$dir/config.json.new"
  mv "$dir/config.json.new" "$dir/config.json"
}

# set_args ARG... : process.args of the test bundle.
set_args() {
  local json='[]' arg
  # One --arg per element: jq would read "-c" among --args as its option.
  for arg in "$@"; do
    json=$(jq -c --arg a "$arg" '. + [$a]' <<<"$json")
  done
  update_config ".process.args = $json"
}

setup_common() {
  HRUN_ROOT=$BATS_TEST_TMPDIR/root
  BUNDLE=$BATS_TEST_TMPDIR/bundle
  ID=hrun-t$$-$BATS_TEST_NUMBER
  make_bundle "$BUNDLE"
}

# runc beside hrun, for side-by-side tests: its own root in RUNC_ROOT.
setup_runc() {
  command -v runc >/dev/null || fail "runc is not installed (make deps installs it)"
  RUNC_ROOT=$BATS_TEST_TMPDIR/runc-root
}

teardown_runc() {
  local id
  for id in $(runc --root "$RUNC_ROOT" list -q 2>/dev/null); do
    runc --root "$RUNC_ROOT" delete --force "$id" >/dev/null 2>&1 || true
  done
}

teardown_common() {
  local id
  # A test that called setup_runc leaves no runc container either.
  [ -z "${RUNC_ROOT:-}" ] || teardown_runc
  [ -d "$HRUN_ROOT" ] || return 0
  for id in $(hrun list -q 2>/dev/null); do
    hrun delete --force "$id" >/dev/null 2>&1 || true
  done
}

# hrun_bg ARGS...: `run hrun ARGS...` for commands that leave a container
# process behind (create, run -d). That process inherits hrun's stdio, and
# bats' output capture would wait for it to close; a file does not.
hrun_bg() {
  local out
  out=$(mktemp "$BATS_TEST_TMPDIR/hrun-out.XXXXXX")
  status=0
  hrun "$@" </dev/null >"$out" 2>&1 || status=$?
  output=$(<"$out")
  lines=()
  [ -z "$output" ] || mapfile -t lines <<<"$output"
}

# The host pid of a container's init.
init_pid() {
  hrun state "$1" | jq -r .pid
}

container_status() {
  hrun state "$1" | jq -r .status
}

# wait_until SECONDS CMD...: runs CMD every 0.1 s until it succeeds. The
# one way a test waits for something to happen (a process, a file, a
# state): never a bare sleep, which is too short on a loaded machine and
# too long elsewhere. After SECONDS it names the command that never
# succeeded and fails, so that an unmet condition fails the test. CMD is
# run afresh each time: a condition with $(...) in it goes in a function.
wait_until() {
  local secs=$1 end
  shift
  # (microseconds: $SECONDS ticks whole seconds, a 1 s wait could be none)
  end=$((${EPOCHREALTIME//[!0-9]/} + secs * 1000000))
  until "$@"; do
    if [ "${EPOCHREALTIME//[!0-9]/}" -ge "$end" ]; then
      echo "wait_until: \`$*\` did not succeed within $secs s" >&2
      return 1
    fi
    sleep 0.1
  done
}

status_is() {
  [ "$(container_status "$1")" = "$2" ]
}

# wait_for_status ID STATUS: polls up to 5 s.
wait_for_status() {
  wait_until 5 status_is "$1" "$2" && return 0
  echo "container $1 is $(container_status "$1"), expected $2" >&2
  return 1
}

# The same for runc's container ID (in $RUNC_ROOT, setup_runc).
runc_status_is() {
  [ "$(runc --root "$RUNC_ROOT" state "$1" 2>/dev/null | jq -r .status)" = "$2" ]
}

wait_for_runc_status() {
  wait_until 5 runc_status_is "$1" "$2" && return 0
  echo "runc's container $1 is not $2" >&2
  return 1
}

# file_is FILE TEXT: FILE holds the line TEXT.
file_is() {
  [ "$(cat "$1" 2>/dev/null)" = "$2" ]
}

# Every process whose command line mentions the string (the init is a clone
# of `hrun create ... ID`, so a leaked init shows up here).
pids_mentioning() {
  local p
  for p in /proc/[0-9]*; do
    [ "${p#/proc/}" = "$$" ] && continue
    # (a process may exit between the glob and the read)
    { tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null | grep -qF -- "$1" && echo "${p#/proc/}"
  done
  return 0
}

# has_children PID N: PID has forked N children or more.
has_children() {
  [ "$(ps -o pid= --ppid "$1" | wc -l)" -ge "$2" ]
}

# no_pids_mentioning STRING: no process mentions STRING any more.
no_pids_mentioning() {
  [ -z "$(pids_mentioning "$1")" ]
}

# The cgroup v1 directories (or v2 directory) named after an id, anywhere.
cgroup_dirs_named() {
  find /sys/fs/cgroup -mindepth 1 -maxdepth 6 -type d -name "$1" 2>/dev/null
}

# ---- cgroup v1 or v2, as the host has it ----------------------------------
# The tests read the files of the host's layout: cgroup v1 (or hybrid, v1
# controllers beside a cgroup2 mount at /sys/fs/cgroup/unified), or pure
# cgroup v2 (the unified hierarchy at /sys/fs/cgroup and no v1 hierarchy),
# as systemd hosts have it and the VM of make vm-check (docs/vm.md).
cgroup_v2_host() {
  [ -e /sys/fs/cgroup/cgroup.controllers ] &&
    ! awk '$3 == "cgroup" { found = 1 } END { exit !found }' /proc/self/mounts
}

# cgroup_rel CONTROLLER PID: PID's cgroup path in CONTROLLER's v1
# hierarchy, or in the v2 one.
cgroup_rel() {
  if cgroup_v2_host; then
    awk -F: '$1 == "0" { print $3 }' "/proc/$2/cgroup"
  else
    awk -F: -v c="$1" '$2 == c { print $3 }' "/proc/$2/cgroup"
  fi
}

# cgroup_root CONTROLLER: where CONTROLLER's hierarchy is mounted.
cgroup_root() {
  if cgroup_v2_host; then echo /sys/fs/cgroup; else echo "/sys/fs/cgroup/$1"; fi
}

# cgroup_dir CONTROLLER PID: PID's cgroup directory for CONTROLLER.
cgroup_dir() {
  echo "$(cgroup_root "$1")$(cgroup_rel "$1" "$2")"
}

# cgroup_limit memory|pids|cpu PID: the limit PID's cgroup has, in one form
# for v1 and v2: bytes or "max", a number or "max", "QUOTA PERIOD".
cgroup_limit() {
  local d
  d=$(cgroup_dir "$1" "$2")
  case $1 in
    memory)
      if cgroup_v2_host; then cat "$d/memory.max"; else cat "$d/memory.limit_in_bytes"; fi ;;
    pids) cat "$d/pids.max" ;;
    cpu)
      if cgroup_v2_host; then cat "$d/cpu.max"
      else echo "$(cat "$d/cpu.cfs_quota_us") $(cat "$d/cpu.cfs_period_us")"; fi ;;
    *) echo "cgroup_limit: unknown $1" >&2; return 1 ;;
  esac
}

# Where a cgroup2 hierarchy is on the host: /sys/fs/cgroup on pure v2,
# /sys/fs/cgroup/unified on hybrid hosts; nothing without one.
cgroup2_root() {
  if cgroup_v2_host; then
    echo /sys/fs/cgroup
  elif grep -q ' /sys/fs/cgroup/unified cgroup2 ' /proc/self/mounts; then
    echo /sys/fs/cgroup/unified
  fi
}

require_cgroup2() {
  [ -n "$(cgroup2_root)" ] || skip "no cgroup2 hierarchy on this host"
}

# assert_no_leftovers ID: no trace of container ID remains: state dir,
# cgroup dirs, processes, mounts under the bundle.
assert_no_leftovers() {
  local id=$1
  [ ! -e "$HRUN_ROOT/$id" ] || fail "state dir $HRUN_ROOT/$id is left"
  run cgroup_dirs_named "$id"
  assert_output ""
  run pids_mentioning "$id"
  assert_output ""
  run grep -F "$BUNDLE" /proc/self/mountinfo
  assert_output ""
}

# Runs a command where /sys/fs/cgroup is the host's cgroup2 hierarchy: a
# pure cgroup v2 layout, as most hosts have. On a hybrid host (this
# machine's cgroup2 hierarchy only has the hugetlb controller) that is a
# private mount namespace; a pure v2 host has it already.
run_on_cgroup2() {
  if cgroup_v2_host; then
    "$@"
    return
  fi
  unshare -m sh -c '
    mount --make-rprivate / &&
    umount -l /sys/fs/cgroup &&
    mount -t cgroup2 none /sys/fs/cgroup &&
    exec "$@"' sh "$@"
}
