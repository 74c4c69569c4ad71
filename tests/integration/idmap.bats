#!/usr/bin/env bats
# Idmapped bind mounts: mounts[].options "idmap"/"ridmap" with
# mounts[].uidMappings/gidMappings, or the container's user namespace
# mappings when the mount has none (as runc). The source is on this
# machine's ext4 (tmpfs for the nested mount), both idmap-capable here.

load helpers

setup() {
  setup_common
  SRC=$BATS_TEST_TMPDIR/src
  mkdir -p "$SRC"
  touch "$SRC/f0" "$SRC/f1000"
  chown 1000:1000 "$SRC/f1000"
  set_args sh -c 'stat -c "%n %u %g" /m/f0 /m/f1000'
}

teardown() {
  teardown_common
}

# add_mount OPTIONS_JSON [MAPPINGS_JSON]: a bind of $SRC on /m (made in
# the rootfs beforehand: a user namespace's root cannot create it there),
# with these uid and gid mappings.
add_mount() {
  local maps=''
  [ -z "${2:-}" ] || maps=",\"uidMappings\":$2,\"gidMappings\":$2"
  mkdir -p "$BUNDLE/rootfs/m"
  update_config ".mounts += [{\"destination\":\"/m\",\"type\":\"bind\",\"source\":\"$SRC\",\"options\":$1 $maps}]"
}

# set_mount_options OPTIONS_JSON: of the mount add_mount made.
set_mount_options() {
  update_config ".mounts[(.mounts|length)-1].options = $1"
}

USERNS='.linux.namespaces += [{"type":"user"}]
  | .linux.uidMappings = [{"containerID":0,"hostID":100000,"size":65536}]
  | .linux.gidMappings = [{"containerID":0,"hostID":100000,"size":65536}]'

@test "idmap: a bind with its own mappings shows host uid 1000 as 0, without a user namespace" {
  add_mount '["bind","idmap"]' '[{"containerID":1000,"hostID":0,"size":1}]'
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_line "/m/f1000 0 0"
  # Unmapped ids show as the overflow id.
  assert_line "/m/f0 65534 65534"
}

@test "idmap: mappings without the option make an idmapped mount too (runc)" {
  add_mount '["bind"]' '[{"containerID":0,"hostID":1000,"size":1}]'
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_line "/m/f0 1000 1000"
}

@test "idmap: without mappings of its own, the container's user namespace maps it" {
  update_config "$USERNS"
  add_mount '["bind"]'
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  # A plain bind: the host's ids are outside the container's mapping.
  assert_line "/m/f0 65534 65534"
  set_mount_options '["bind","idmap"]'
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_line "/m/f0 0 0"
  assert_line "/m/f1000 1000 1000"
}

@test "idmap: with a user namespace, the mount's own mappings win" {
  update_config "$USERNS"
  add_mount '["bind","idmap"]' '[{"containerID":1000,"hostID":100000,"size":1}]'
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_line "/m/f1000 0 0"
}

@test "idmap: ridmap maps the mounts nested in the source, idmap only the top one" {
  set_args sh -c 'stat -c "%n %u" /m/f0 /m/sub/g0'
  add_mount '["rbind","ridmap"]' '[{"containerID":0,"hostID":1000,"size":1}]'
  mkdir "$SRC/sub"
  # The nested tmpfs lives in a private mount namespace, with hrun.
  local script='mount -t tmpfs t "$SRC/sub" && touch "$SRC/sub/g0" &&
    "$HRUN_BIN" --root "$HRUN_ROOT" run --bundle "$BUNDLE" "$ID"'
  export SRC HRUN_BIN HRUN_ROOT BUNDLE ID
  run unshare -m --propagation private sh -c "$script"
  assert_success
  assert_line "/m/f0 1000"
  assert_line "/m/sub/g0 1000"
  set_mount_options '["rbind","idmap"]'
  run unshare -m --propagation private sh -c "$script"
  assert_success
  assert_line "/m/f0 1000"
  assert_line "/m/sub/g0 0"
}

@test "idmap: refusals name the field" {
  update_config '.mounts += [{"destination":"/m","type":"tmpfs","source":"tmpfs","options":["idmap"]}]'
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output --partial "mounts[7].options: an idmapped mount must be a bind mount"
  update_config '.mounts[7] = {"destination":"/m","type":"bind","source":"/tmp","options":["bind"],
    "uidMappings":[{"containerID":0,"hostID":1000,"size":1}]}'
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output --partial "mounts[7].gidMappings: is required with uidMappings"
  update_config '.mounts[7] = {"destination":"/m","type":"bind","source":"/tmp","options":["bind","idmap"]}'
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output --partial "mounts[7].uidMappings: an idmapped mount needs mappings of its own or a user namespace"
  run hrun list -q
  assert_output ""
}

@test "idmap: a file system that cannot be idmapped is an error naming the mount" {
  # procfs has no FS_ALLOW_IDMAP.
  update_config '.mounts += [{"destination":"/m","type":"bind","source":"/proc/sys","options":["bind","idmap"],
    "uidMappings":[{"containerID":0,"hostID":1000,"size":1}],"gidMappings":[{"containerID":0,"hostID":1000,"size":1}]}]'
  set_args true
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output --partial "mounts[7] (/m): idmap /proc/sys"
}
