#!/usr/bin/env bats
# Mount propagation of bind mounts and of the rootfs, in both directions,
# for hrun and for runc side by side (Docker's -v SRC:DST:rshared,
# Kubernetes' mountPropagation Bidirectional and HostToContainer).
#
# Each case runs in a mount namespace of its own (unshare -m), which stands
# in for the host: its shared tmpfs is the bind source, so nothing of the
# real host's mounts is touched. The container mounts a tmpfs below the
# bind's destination and the "host" one below its source; each side then
# reports whether it sees the other's mount.

load helpers

setup() {
  setup_common
  SRC=$BATS_TEST_TMPDIR/src
  mkdir -p "$SRC" "$BUNDLE/rootfs/mnt"
  setup_runc
}

teardown() {
  teardown_common
  teardown_runc
}

# The container side: mount, say so, wait for the host's mount, report.
CONTAINER_SCRIPT='
mount -t tmpfs ct /mnt/fromct || exit 3
touch /mnt/ct-mounted
i=0; until [ -e /mnt/host-mounted ] || [ $i -ge 200 ]; do sleep 0.05; i=$((i+1)); done
if grep -q " /mnt/fromhost " /proc/self/mountinfo; then echo yes >/mnt/h2c; else echo no >/mnt/h2c; fi
'

# The "host" side, run in a new mount namespace: a shared tmpfs as SRC, the
# container run in the background, then the mounts of both sides.
HOST_SCRIPT='
set -e
rt=$1 root=$2 id=$3 src=$4 bundle=$5
mount -t tmpfs src "$src"
mount --make-shared "$src"
mkdir "$src/fromct" "$src/fromhost"
cd "$bundle"
"$rt" --root "$root" run "$id" </dev/null >"$src/../run.out" 2>&1 &
runner=$!
i=0; until [ -e "$src/ct-mounted" ] || [ $i -ge 200 ]; do sleep 0.05; i=$((i+1)); done
if grep -q " $src/fromct " /proc/self/mountinfo; then echo c2h=yes; else echo c2h=no; fi
mount -t tmpfs host "$src/fromhost"
touch "$src/host-mounted"
wait $runner || { echo "run failed: $(cat "$src/../run.out")"; exit 1; }
echo "h2c=$(cat "$src/h2c" 2>/dev/null || echo missing)"
'

# propagation RUNTIME BIND_OPTIONS_JSON ROOTFS_PROPAGATION: sets $output to
# "c2h=yes|no h2c=yes|no" for that runtime.
propagation() {
  local rt=$1 opts=$2 rootprop=$3 id=$ID-${1##*/} root=$HRUN_ROOT
  [ "$rt" != runc ] || root=$RUNC_ROOT
  jq --arg script "$CONTAINER_SCRIPT" --arg src "$SRC" --argjson opts "$opts" \
    --arg rootprop "$rootprop" '
    .process.args = ["sh", "-c", $script] |
    .process.capabilities.bounding += ["CAP_SYS_ADMIN"] |
    .process.capabilities.effective += ["CAP_SYS_ADMIN"] |
    .process.capabilities.permitted += ["CAP_SYS_ADMIN"] |
    .mounts += [{destination: "/mnt", type: "bind", source: $src, options: $opts}] |
    if $rootprop == "" then del(.linux.rootfsPropagation)
    else .linux.rootfsPropagation = $rootprop end' \
    "$TESTDATA/config.json" >"$BUNDLE/config.json"
  rm -rf "$SRC" "$BATS_TEST_TMPDIR/run.out"
  mkdir "$SRC"
  run unshare -m --propagation private bash -c "$HOST_SCRIPT" host "$rt" "$root" "$id" \
    "$SRC" "$BUNDLE"
  assert_success
  output=$(tr '\n' ' ' <<<"$output")
  output=${output% }
}

# expect OPTIONS ROOTFS_PROPAGATION EXPECTED: hrun and runc both give it.
expect() {
  propagation runc "$1" "$2"
  [ "$output" = "$3" ] || fail "runc gave '$output' for $1 (rootfsPropagation '$2'), expected '$3'"
  propagation "$HRUN_BIN" "$1" "$2"
  [ "$output" = "$3" ] || fail "hrun gave '$output' for $1 (rootfsPropagation '$2'), expected '$3' as runc"
}

@test "propagation: rshared bind with rootfsPropagation shared goes both ways (Bidirectional, docker -v :rshared)" {
  expect '["rbind", "rshared"]' shared "c2h=yes h2c=yes"
}

@test "propagation: rshared bind with rootfsPropagation rshared goes both ways (CRI Bidirectional)" {
  expect '["rbind", "rshared"]' rshared "c2h=yes h2c=yes"
}

@test "propagation: rslave bind receives the host's mounts only (HostToContainer)" {
  expect '["rbind", "rslave"]' rslave "c2h=no h2c=yes"
}

@test "propagation: a bind without options is a slave of the host by default" {
  expect '["rbind"]' "" "c2h=no h2c=yes"
}

@test "propagation: rprivate bind goes neither way" {
  expect '["rbind", "rprivate"]' "" "c2h=no h2c=no"
}

@test "propagation: rshared bind without a shared rootfsPropagation stays a slave of the host" {
  expect '["rbind", "rshared"]' "" "c2h=no h2c=yes"
}

@test "propagation: rootfsPropagation private is not recursive: a shared source stays shared" {
  expect '["rbind"]' private "c2h=yes h2c=yes"
}

@test "propagation: rootfsPropagation rprivate cuts every bind off the host" {
  expect '["rbind"]' rprivate "c2h=no h2c=no"
}
