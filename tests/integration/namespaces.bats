#!/usr/bin/env bats
# The container's namespaces: new ones differ from the host's, joined ones
# are the ones named by path.

load helpers

setup() {
  setup_common
  set_args sleep 100
}

teardown() {
  teardown_common
  [ -z "${NETNS:-}" ] || umount "$NETNS" 2>/dev/null || true
}

ns_inode() {
  readlink "/proc/$1/ns/$2"
}

@test "each configured namespace differs from the host's, the others are shared" {
  update_config '.linux.namespaces = [{"type":"pid"},{"type":"network"},{"type":"ipc"},{"type":"uts"},{"type":"mount"},{"type":"cgroup"}]'
  hrun create --bundle "$BUNDLE" "$ID"
  local pid ns
  pid=$(init_pid "$ID")
  for ns in pid net ipc uts mnt cgroup; do
    [ "$(ns_inode "$pid" $ns)" != "$(ns_inode $$ $ns)" ] || fail "$ns namespace is the host's"
  done
  for ns in user time; do
    assert_equal "$(ns_inode "$pid" $ns)" "$(ns_inode $$ $ns)"
  done
}

@test "a time namespace gets the configured offsets" {
  update_config '.linux.namespaces += [{"type":"time"}] | .linux.timeOffsets = {"boottime": {"secs": 86400, "nanosecs": 0}}'
  set_args cat /proc/uptime
  local host_up
  host_up=$(cut -d. -f1 /proc/uptime)
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  local up=${output%%.*}
  [ "$up" -ge $((host_up + 86400)) ] || fail "uptime $up, host $host_up"
}

@test "the container init is pid 1 of its pid namespace" {
  set_args sh -c 'echo $$'
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_output 1
}

@test "a network namespace given by path is joined" {
  # A network namespace kept by a bind mount in the test's own dir (not
  # `ip netns add`, which leaves a shared /run/netns mount on the host).
  NETNS=$BATS_TEST_TMPDIR/netns
  touch "$NETNS"
  unshare --net="$NETNS" true
  update_config ".linux.namespaces |= map(if .type == \"network\" then .path = \"$NETNS\" else . end)"
  hrun create --bundle "$BUNDLE" "$ID"
  assert_equal "$(ns_inode "$(init_pid "$ID")" net)" "$(stat -L -c 'net:[%i]' "$NETNS")"
}

@test "a pid namespace given by path is joined" {
  set_args sleep 100
  hrun create --bundle "$BUNDLE" first
  hrun start first
  local first_pid
  first_pid=$(init_pid first)
  local second=$BATS_TEST_TMPDIR/second
  make_bundle "$second"
  update_config ".process.args = [\"sleep\", \"100\"] | .linux.namespaces |= map(if .type == \"pid\" then .path = \"/proc/$first_pid/ns/pid\" else . end)" "$second"
  hrun create --bundle "$second" "$ID"
  assert_equal "$(ns_inode "$(init_pid "$ID")" pid)" "$(ns_inode "$first_pid" pid)"
}

@test "a namespace path of the wrong type is refused" {
  update_config '.linux.namespaces |= map(if .type == "network" then .path = "/proc/self/ns/ipc" else . end)'
  hrun_bg create --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output --partial "network namespace"
  [ ! -e "$HRUN_ROOT/$ID" ]
}

@test "hostname and domainname are set in the new uts namespace" {
  update_config '.hostname = "box" | .domainname = "example.org"'
  set_args sh -c 'hostname; cat /proc/sys/kernel/domainname'
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_line --index 0 box
  assert_line --index 1 example.org
}

@test "sysctl kernel.hostname/kernel.domainname: refused when they contradict the hostname/domainname fields" {
  setup_runc
  set_args sh -c 'hostname; cat /proc/sys/kernel/domainname'
  update_config '.hostname = "box" | .linux.sysctl = {"kernel.hostname": "other"}'
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output 'hrun: run: config.json: linux.sysctl.kernel.hostname ("other") conflicts with the hostname field ("box")'
  [ ! -e "$HRUN_ROOT/$ID" ]
  update_config '.hostname = "box" | .domainname = "example.org" | .linux.sysctl = {"kernel.domainname": "other.org"}'
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output 'hrun: run: config.json: linux.sysctl.kernel.domainname ("other.org") conflicts with the domainname field ("example.org")'
  [ ! -e "$HRUN_ROOT/$ID" ]
  # Agreeing, or standing alone, they are written.
  update_config '.hostname = "box" | .domainname = "example.org" | .linux.sysctl = {"kernel.hostname": "box", "kernel.domainname": "example.org"}'
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_equal "$(echo $output)" "box example.org"
  update_config 'del(.hostname) | del(.domainname) | .linux.sysctl = {"kernel.hostname": "other", "kernel.domainname": "other.org"}'
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_equal "$(echo $output)" "other other.org"
  # runc refuses kernel.hostname even then, and lets a contradicting
  # kernel.domainname win; hrun refuses a contradiction only.
  run runc --root "$RUNC_ROOT" run --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output --partial 'is not allowed as it conflicts with the OCI \"hostname\" field'
}

@test "a new user namespace maps the container's root to the configured host id" {
  update_config '.linux.namespaces += [{"type":"user"}]
    | .linux.uidMappings = [{"containerID":0,"hostID":100000,"size":65536}]
    | .linux.gidMappings = [{"containerID":0,"hostID":100000,"size":65536}]'
  chown -R 100000:100000 "$BUNDLE/rootfs"
  set_args sh -c 'cat /proc/self/uid_map; id -u; touch /tmp/mine'
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_line --index 0 --regexp '^ +0 +100000 +65536$'
  assert_line --index 1 0
  assert_equal "$(stat -c %u "$BUNDLE/rootfs/tmp/mine")" 100000
}

@test "bind sources the user namespace cannot reach are opened by the runtime, as runc does" {
  setup_runc
  # Mode 0700, owned by the host's root: the container's root (host uid
  # 100000) may not walk into it.
  local private=$BATS_TEST_TMPDIR/private
  mkdir -m 0700 "$private"
  mkdir "$private/dir" "$BATS_TEST_TMPDIR/outside"
  echo in-dir >"$private/dir/file"
  echo a-file >"$private/file"
  mkdir -p "$BUNDLE/volume"
  echo relative >"$BUNDLE/volume/file"
  ln -s "$BATS_TEST_TMPDIR/outside" "$BUNDLE/rootfs/escape"
  update_config '.linux.namespaces += [{"type":"user"}]
    | .linux.uidMappings = [{"containerID":0,"hostID":100000,"size":65536}]
    | .linux.gidMappings = [{"containerID":0,"hostID":100000,"size":65536}]
    | .mounts |= map(select(.destination != "/sys/fs/cgroup"))
    | .mounts += [{"destination":"/data","type":"bind","source":"'"$private/dir"'","options":["rbind","ro"]},
                  {"destination":"/one","type":"bind","source":"'"$private/file"'","options":["bind"]},
                  {"destination":"/rel","type":"bind","source":"volume","options":["bind"]}]'
  chown -R 100000:100000 "$BUNDLE/rootfs"
  # runc's init walks to the rootfs as the container's root: let it search
  # (not read) bats' 0700 directories on the way.
  local d=$BATS_TEST_TMPDIR
  while [ "$d" != / ] && [ "$d" != /tmp ]; do
    chmod a+x "$d"
    d=$(dirname "$d")
  done
  set_args sh -c 'cat /data/file /one /rel/file; touch /data/x 2>&1; echo fds=$(ls -l /proc/1/fd/ /proc/self/fd/ 2>/dev/null | grep -c -e private -e volume)'
  cd "$BUNDLE"
  run runc --root "$RUNC_ROOT" run "$ID"
  assert_success
  local runc_out=$output
  run hrun run "$ID"
  assert_success
  assert_line --index 0 in-dir
  assert_line --index 1 a-file
  assert_line --index 2 relative
  assert_line --index 3 --partial "Read-only file system"
  # No fd of a source reaches the container.
  assert_line --index 4 fds=0
  assert_equal "$output" "$runc_out"

  # The targets are still resolved inside the rootfs (CVE-2021-30465).
  update_config '.mounts += [{"destination":"/escape/sub","type":"bind","source":"'"$private/dir"'","options":["bind"]}]'
  set_args cat /escape/sub/file
  run hrun run "$ID"
  assert_success
  assert_output in-dir
  [ ! -e "$BATS_TEST_TMPDIR/outside/sub" ] || fail "a mount target was made outside the rootfs"

  # A source that is not there: the error names the mount, nothing is left.
  update_config '.mounts += [{"destination":"/gone","type":"bind","source":"'"$private/gone"'","options":["bind"]}]'
  hrun_bg run "$ID"
  assert_failure
  assert_output "hrun: run: mounts[10] (/gone): source $private/gone: no such file or directory"
  [ ! -e "$HRUN_ROOT/$ID" ]
  [ -z "$(pids_mentioning "$ID")" ]
  [ -z "$(cgroup_dirs_named "$ID")" ]
}

@test "user namespace without its own network namespace: /sys is the host's, read-only; cgroups and mqueue work" {
  update_config '.linux.namespaces = [{"type":"pid"},{"type":"ipc"},{"type":"uts"},{"type":"mount"},{"type":"user"},{"type":"cgroup"}]
    | .linux.uidMappings = [{"containerID":0,"hostID":100000,"size":65536}]
    | .linux.gidMappings = [{"containerID":0,"hostID":100000,"size":65536}]
    | .linux.resources.pids = {"limit": 33}'
  chown -R 100000:100000 "$BUNDLE/rootfs"
  set_args sh -c 'ls /sys/class >/dev/null && echo sys-ok; awk "\$5 == \"/sys\" {print \$6}" /proc/self/mountinfo; cat /sys/fs/cgroup/pids/pids.max; grep -c " /dev/mqueue " /proc/self/mountinfo'
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_line --index 0 sys-ok
  assert_line --index 1 --regexp '^ro,'
  assert_line --index 2 33
  assert_line --index 3 1
}

# --- no mount namespace: chroot, and the caller's mounts stay as they are ---

# A config with no mount namespace and nothing that would need one.
no_mount_namespace() {
  update_config '.linux.namespaces |= map(select(.type != "mount")) | .mounts = []
    | del(.linux.maskedPaths) | del(.linux.readonlyPaths)'
}

# in_private_mntns SCRIPT: runs the shell SCRIPT (with $H, this hrun with
# this test's root) in a mount namespace of its own: were hrun to mount or
# pivot where it was called, only that throwaway namespace would change.
in_private_mntns() {
  H="$HRUN_BIN --root $HRUN_ROOT" unshare -m --propagation private sh -c "$1"
}

@test "without a mount namespace: chrooted into the rootfs; the caller's root, mounts and propagation stay as they were" {
  no_mount_namespace
  echo only-in-the-rootfs >"$BUNDLE/rootfs/marker"
  set_args sh -c 'cat /marker; exec sleep 100'
  local T=$BATS_TEST_TMPDIR
  # Shared mounts in the caller's namespace (new peer groups, its own): a
  # propagation change there shows in mountinfo.
  in_private_mntns "
    mount --make-rshared /
    cat /proc/self/mountinfo >$T/mi.before; stat -c %d:%i / >$T/root.before
    \$H create --bundle $BUNDLE $ID </dev/null >$T/out 2>&1 || exit 1
    pid=\$(\$H state $ID | jq -r .pid)
    readlink /proc/\$pid/root >$T/init.root; readlink /proc/\$pid/ns/mnt >$T/init.mnt
    readlink /proc/self/ns/mnt >$T/self.mnt
    cat /proc/self/mountinfo >$T/mi.created
    \$H start $ID && \$H exec $ID cat /marker >$T/exec.out 2>&1
    cat /proc/self/mountinfo >$T/mi.started
    \$H delete --force $ID
    cat /proc/self/mountinfo >$T/mi.after; stat -c %d:%i / >$T/root.after
    readlink /proc/\$\$/root >$T/self.root"
  # The init shares the caller's mount namespace and has the rootfs as root.
  assert_equal "$(cat "$T/init.mnt")" "$(cat "$T/self.mnt")"
  assert_equal "$(cat "$T/init.root")" "$BUNDLE/rootfs"
  assert_equal "$(cat "$T/out")" only-in-the-rootfs
  assert_equal "$(cat "$T/exec.out")" only-in-the-rootfs
  # The caller: same root, every mount and its propagation as before.
  assert_equal "$(cat "$T/self.root") $(cat "$T/root.after")" "/ $(cat "$T/root.before")"
  grep -q ' / / .* shared:' "$T/mi.before" || fail "/ was not shared to begin with"
  local s
  for s in created started after; do
    diff -u "$T/mi.before" "$T/mi.$s" || fail "the caller's mountinfo changed ($s)"
  done
}

@test "without a mount namespace, each field that needs one is refused, naming it; nothing is left" {
  no_mount_namespace
  local why='requires a mount namespace (linux.namespaces has no "mount"; without one hrun only chroots into the rootfs)'
  local c filter field
  for c in '.mounts = [{"destination":"/proc","type":"proc","source":"proc"}]|mounts' \
    '.linux.maskedPaths = ["/proc/kcore"]|linux.maskedPaths' \
    '.linux.readonlyPaths = ["/proc/sys"]|linux.readonlyPaths' \
    '.linux.rootfsPropagation = "private"|linux.rootfsPropagation' \
    '.linux.devices = [{"path":"/dev/fuse","type":"c","major":10,"minor":229}]|linux.devices' \
    '.root.readonly = true|root.readonly' \
    '.process.terminal = true|process.terminal'; do
    filter=${c%|*} field=${c##*|}
    cp "$BUNDLE/config.json" "$BATS_TEST_TMPDIR/config.saved"
    update_config "$filter"
    # (to a file: the init of a create that wrongly succeeded would hold
    # a pipe open)
    status=0
    in_private_mntns "\$H create --bundle $BUNDLE $ID </dev/null >$BATS_TEST_TMPDIR/err 2>&1" ||
      status=$?
    output=$(<"$BATS_TEST_TMPDIR/err")
    cp "$BATS_TEST_TMPDIR/config.saved" "$BUNDLE/config.json"
    assert_failure
    assert_output "hrun: create: config.json: $field: $why"
    [ ! -e "$HRUN_ROOT/$ID" ] || fail "$field: a state directory was left"
  done
  # The same config with a mount namespace is no error.
  update_config '.linux.namespaces += [{"type":"mount"}] | .linux.maskedPaths = ["/proc/kcore"] | .root.readonly = true'
  set_args true
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
}
