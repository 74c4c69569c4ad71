#!/usr/bin/env bats
# The container's filesystem: only its rootfs, its mounts and devices, and
# the masked and read-only paths.

load helpers

setup() {
  setup_common
}

teardown() {
  teardown_common
}

@test "the container sees only its rootfs" {
  touch "$BATS_TEST_TMPDIR/host-marker"
  echo inside >"$BUNDLE/rootfs/rootfs-marker"
  set_args sh -c "cat /rootfs-marker; ls $BATS_TEST_TMPDIR/host-marker 2>&1; ls /"
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_line --index 0 inside
  assert_line --index 1 --partial "No such file or directory"
  assert_line rootfs-marker
}

@test "--no-pivot also confines the container to its rootfs" {
  echo inside >"$BUNDLE/rootfs/rootfs-marker"
  set_args sh -c 'cat /rootfs-marker; ls /'
  run hrun run --no-pivot --bundle "$BUNDLE" "$ID"
  assert_success
  assert_line --index 0 inside
  refute_line usr
}

@test "root.readonly makes / read-only" {
  update_config '.root.readonly = true'
  set_args sh -c 'touch /x 2>&1; echo rc=$?'
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_output --partial "Read-only file system"
  assert_output --partial "rc=1"
  [ ! -e "$BUNDLE/rootfs/x" ]
}

@test "masked paths: files read empty, directories are empty and read-only" {
  set_args sh -c 'wc -c </proc/keys; ls -A /proc/acpi | wc -l; touch /proc/acpi/x 2>&1; true'
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_line --index 0 0
  assert_line --index 1 0
  assert_line --index 2 --partial "Read-only file system"
}

@test "read-only paths cannot be written" {
  set_args sh -c 'echo 1 >/proc/sys/kernel/ns_last_pid 2>&1; echo rc=$?'
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_output --partial "Read-only file system"
  assert_output --partial "rc=1"
}

@test "masking refuses a /dev/null that is not the null device" {
  update_config '.mounts |= map(select(.destination != "/dev"))'
  mkdir -p "$BUNDLE/rootfs/dev"
  # An image whose /dev/null is a regular file.
  : >"$BUNDLE/rootfs/dev/null"
  hrun_bg create --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output --partial "/dev/null in the container is not the null device"
  [ ! -e "$HRUN_ROOT/$ID" ]
}

@test "default devices exist with their numbers and /dev symlinks point to /proc" {
  set_args sh -c 'for d in null zero full random urandom tty; do stat -c "%n %t:%T %a" /dev/$d; done; for l in fd stdin ptmx; do readlink /dev/$l; done'
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_line "/dev/null 1:3 666"
  assert_line "/dev/zero 1:5 666"
  assert_line "/dev/full 1:7 666"
  assert_line "/dev/random 1:8 666"
  assert_line "/dev/urandom 1:9 666"
  assert_line "/dev/tty 5:0 666"
  assert_line /proc/self/fd
  assert_line /proc/self/fd/0
  assert_line pts/ptmx
}

@test "config devices are created with their mode, uid and gid" {
  update_config '.linux.devices = [{"path":"/dev/mynull","type":"c","major":1,"minor":3,"fileMode":416,"uid":1000,"gid":1000}]
    | .linux.resources.devices += [{"allow":true,"type":"c","major":1,"minor":3,"access":"rwm"}]'
  set_args stat -c '%t:%T %a %u:%g' /dev/mynull
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_output "1:3 640 1000:1000"
}

@test "the devices cgroup refuses a node the config did not allow" {
  mknod -m 666 "$BUNDLE/rootfs/mem" c 1 1
  set_args sh -c 'head -c1 /mem >/dev/null 2>&1; echo rc=$?'
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_output "rc=1"
}

@test "tmpfs mount options and a read-only bind mount" {
  mkdir -p "$BATS_TEST_TMPDIR/shared"
  echo from-host >"$BATS_TEST_TMPDIR/shared/file"
  update_config ".mounts += [{\"destination\":\"/data\",\"type\":\"bind\",\"source\":\"$BATS_TEST_TMPDIR/shared\",\"options\":[\"rbind\",\"ro\"]},
    {\"destination\":\"/scratch\",\"type\":\"tmpfs\",\"source\":\"tmpfs\",\"options\":[\"nosuid\",\"nodev\",\"mode=700\",\"size=1m\"]}]"
  set_args sh -c 'cat /data/file; touch /data/x 2>&1; stat -c %a /scratch; grep " /scratch " /proc/mounts'
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_line --index 0 from-host
  assert_line --index 1 --partial "Read-only file system"
  assert_line --index 2 700
  assert_line --index 3 --regexp 'tmpfs /scratch tmpfs rw,nosuid,nodev,.*size=1024k'
}

@test "a tmpfs without mode= keeps the mode of the directory it covers, as with runc" {
  setup_runc
  mkdir -p "$BUNDLE/rootfs/data" "$BUNDLE/rootfs/sticky" "$BUNDLE/rootfs/asked"
  chmod 0710 "$BUNDLE/rootfs/data"
  chmod 1770 "$BUNDLE/rootfs/sticky"
  update_config '.mounts += [
    {"destination":"/data","type":"tmpfs","source":"tmpfs","options":["size=1m"]},
    {"destination":"/sticky","type":"tmpfs","source":"tmpfs"},
    {"destination":"/fresh","type":"tmpfs","source":"tmpfs"}]'
  set_args stat -c '%n %a %u:%g' /data /sticky /fresh
  local r
  for r in runc hrun; do
    rm -rf "$BUNDLE/rootfs/fresh"
    if [ $r = hrun ]; then
      run hrun run --bundle "$BUNDLE" "$ID"
    else
      run runc --root "$RUNC_ROOT" run --bundle "$BUNDLE" "$ID"
    fi
    assert_success
    # A directory the runtime makes gets tmpfs's own default, 1777.
    assert_equal "$(echo $output)" "/data 710 0:0 /sticky 1770 0:0 /fresh 1777 0:0"
  done
  # mode= in the options wins over the directory's (runc 1.1.8 and later;
  # 1.1.5 chmods the tmpfs back to the directory's mode, a bug upstream
  # fixed for opencontainers/runc#3911).
  update_config '.mounts += [{"destination":"/asked","type":"tmpfs","source":"tmpfs","options":["mode=755"]}]'
  set_args stat -c '%a' /asked
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_output 755
}

@test "a read-only /dev or tmpfs is made read-only after the mounts nested in it, as with runc" {
  setup_runc
  update_config '.mounts |= map(if .destination == "/dev" then .options += ["ro"] else . end)
    | .mounts += [{"destination":"/ro-tmp","type":"tmpfs","source":"tmpfs","options":["ro"]},
                  {"destination":"/ro-tmp/sub","type":"tmpfs","source":"tmpfs"}]'
  set_args sh -c 'awk "\$5 ~ /^\/(dev|ro-tmp)/ {print \$5, \$6}" /proc/self/mountinfo; ls /dev/null /dev/ptmx
    touch /dev/x /ro-tmp/x 2>&1; touch /dev/shm/y /ro-tmp/sub/y && echo nested-rw'
  local r runc_out
  for r in runc hrun; do
    if [ $r = hrun ]; then
      run hrun run --bundle "$BUNDLE" "$ID"
    else
      run runc --root "$RUNC_ROOT" run --bundle "$BUNDLE" "$ID"
      runc_out=$output
    fi
    assert_success
    assert_line "/dev ro,nosuid"
    assert_line "/ro-tmp ro,relatime"
    assert_line --regexp '^/dev/shm rw,'
    assert_line --regexp '^/dev/mqueue rw,'
    assert_line --regexp '^/ro-tmp/sub rw,'
    assert_line "touch: /dev/x: Read-only file system"
    assert_line "touch: /ro-tmp/x: Read-only file system"
    assert_line nested-rw
  done
  assert_equal "$output" "$runc_out"
}

@test "a relative bind mount source is relative to the bundle" {
  mkdir -p "$BUNDLE/volume"
  echo relative >"$BUNDLE/volume/file"
  update_config '.mounts += [{"destination":"/vol","type":"bind","source":"volume","options":["bind"]}]'
  set_args cat /vol/file
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_output relative
}

@test "a mount destination that is a symlink out of the rootfs stays inside it" {
  mkdir -p "$BATS_TEST_TMPDIR/outside"
  ln -s "$BATS_TEST_TMPDIR/outside" "$BUNDLE/rootfs/escape"
  update_config '.mounts += [{"destination":"/escape/sub","type":"tmpfs","source":"tmpfs"}]'
  set_args sh -c 'touch /escape/sub/file && echo ok'
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_output ok
  # The symlink was followed inside the rootfs, never to the host path.
  [ ! -e "$BATS_TEST_TMPDIR/outside/sub" ]
  [ -d "$BUNDLE/rootfs$BATS_TEST_TMPDIR/outside/sub" ]
}

@test "sysctl: namespaced keys are set, host-wide keys are refused" {
  update_config '.linux.sysctl = {"net.ipv4.ip_forward": "1", "kernel.shmmni": "1024"}'
  set_args sh -c 'cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shmmni'
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_line --index 0 1
  assert_line --index 1 1024

  update_config '.linux.sysctl = {"kernel.panic": "1"}'
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output --partial "linux.sysctl.kernel.panic: not a namespaced sysctl"
}

@test "rootfsPropagation: private by default, shared when asked" {
  set_args sh -c "awk '\$5 == \"/\"' /proc/self/mountinfo"
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  refute_output --partial "shared:"

  update_config '.linux.rootfsPropagation = "shared"'
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_output --partial "shared:"
}

@test "bind mount propagation: rslave sees host mounts made later, rprivate does not" {
  local shared=$BATS_TEST_TMPDIR/shared
  mkdir -p "$shared/a" "$shared/b"
  mount --bind "$shared" "$shared"
  mount --make-shared "$shared"
  update_config ".mounts += [{\"destination\":\"/slave\",\"type\":\"bind\",\"source\":\"$shared/a\",\"options\":[\"rbind\",\"rslave\"]},
    {\"destination\":\"/private\",\"type\":\"bind\",\"source\":\"$shared/b\",\"options\":[\"rbind\",\"rprivate\"]}]"
  set_args sleep 100
  hrun create --bundle "$BUNDLE" "$ID"
  mkdir -p "$shared/a/sub" "$shared/b/sub"
  mount -t tmpfs tmpfs "$shared/a/sub"
  mount -t tmpfs tmpfs "$shared/b/sub"
  local pid
  pid=$(init_pid "$ID")
  run cat "/proc/$pid/mountinfo"
  umount "$shared/a/sub" "$shared/b/sub" "$shared"
  assert_output --regexp ' /slave/sub '
  refute_output --regexp ' /private/sub '
}
