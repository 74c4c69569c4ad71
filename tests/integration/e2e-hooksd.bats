#!/usr/bin/env bats
# End to end, issue 14's motivating case: device and driver injection by an
# oci-hooks(5) directory. For containers with the annotation
# org.hrun-e2e.dev=fake0, a createContainer hook makes a device node
# /dev/fake0 (the numbers of /dev/null) and binds a "driver library" on
# /usr/lib/libfake.so, and a precreate filter adds an env var and a tmpfs
# mount. Under containerd (ctr, and CRI as the kubelet drives it) hrun
# reads the directory itself, turned on by its configuration file
# (HRUN_CONFIG in containerd's environment, which the shim passes on);
# under podman, podman reads the same directory (--hooks-dir) and hrun's
# are off. Each hook runs exactly once per container: the hooks record each
# run in $E2E_DIR/rec/log. One private containerd (with CRI) in the scratch
# dir E2E_DIR, one private podman in another, PODMAN_DIR (the helpers of
# e2e/lib.bash and e2e/cri.bash each clean and remove their E2E_DIR).

load helpers
load e2e/lib
load e2e/cri

setup_file() {
  cri_require || return 1
  e2e_require podman conmon script prlimit || return 1
  e2e_require_runtime || return 1
  E2E_DIR=$(e2e_scratch hooksd)
  PODMAN_DIR=$(e2e_scratch hooksd-pod)
  E2E_NAME=$(basename "$E2E_DIR" | tr -c 'A-Za-z0-9\n' '-')
  E2E_CGROUP_PARENT=/$E2E_NAME-pod
  E2E_CGROUP_TOP=$(e2e_cgroup_top)
  E2E_VARLIB_CACHE_NEW=0
  [ -e /var/lib/containers/cache ] || E2E_VARLIB_CACHE_NEW=1
  E2E_ABSENT_DIRS=$(e2e_absent /run/containerd /run/containerd/s /var/lib/cni \
    /var/lib/cni/results /var/lib/containers /var/lib/containers/cache "/run/$(basename "$HRUN_BIN")")
  export E2E_DIR PODMAN_DIR E2E_NAME E2E_CGROUP_PARENT E2E_CGROUP_TOP E2E_VARLIB_CACHE_NEW E2E_ABSENT_DIRS
  make_hook_set
  # containerd (and so its shims, and so hrun) gets the configuration file.
  export HRUN_CONFIG=$E2E_DIR/hrun.json
  CRI_CONTAINER_ANNOTATIONS='"org.hrun-e2e.*", "run.oci.hrun.*"'
  cri_build_images || return 1
  cri_containerd_start
  E2E_DIR=$PODMAN_DIR e2e_podman_setup
  E2E_DIR=$PODMAN_DIR e2e_podman load -i "$E2E_DIR/image/image.oci.tar"
  assert_success
}

teardown_file() {
  E2E_DIR=$PODMAN_DIR e2e_podman_stop
  cri_containerd_stop
}

setup() {
  NAME=$E2E_NAME-$BATS_TEST_NUMBER
  : >"$E2E_DIR/rec/log"
}

teardown() {
  E2E_DIR=$PODMAN_DIR e2e_podman_clean
  cri_clean
}

# The hook set: $E2E_DIR/hooks.d with a createContainer file and a precreate
# file for org.hrun-e2e.dev=fake0, their programs, the driver library, and
# hrun's configuration file naming the directory. The programs get no PATH
# from podman (it runs precreate hooks with an empty environment): tools by
# absolute path.
make_hook_set() {
  local jq sh
  jq=$(command -v jq) sh=$(command -v sh)
  mkdir -p "$E2E_DIR/hooks.d" "$E2E_DIR/bin" "$E2E_DIR/driver" "$E2E_DIR/rec"
  echo "fake driver 1.0" >"$E2E_DIR/driver/libfake.so"
  # createContainer: in the container's namespaces, before pivot_root,
  # working directory the rootfs.
  cat >"$E2E_DIR/bin/dev-hook" <<EOF
#!$sh
PATH=/usr/sbin:/usr/bin:/sbin:/bin
run=\$($jq -r '.annotations["org.hrun-e2e.run"] // "none"')
echo "createContainer \$run" >>"$E2E_DIR/rec/log"
[ -e dev/fake0 ] || mknod -m 666 dev/fake0 c 1 3 || exit 1
mkdir -p usr/lib && touch usr/lib/libfake.so && mount --bind "$E2E_DIR/driver/libfake.so" usr/lib/libfake.so
EOF
  # precreate: the config on stdin, the config to use on stdout.
  cat >"$E2E_DIR/bin/filter" <<EOF
#!$sh
cfg=\$(cat)
run=\$(printf '%s' "\$cfg" | $jq -r '.annotations["org.hrun-e2e.run"] // "none"')
echo "precreate \$run" >>"$E2E_DIR/rec/log"
printf '%s' "\$cfg" | $jq -c '.process.env += ["HRUN_E2E_FILTERED=yes"]
  | .mounts += [{"destination": "/filtered", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev"]}]'
EOF
  chmod 755 "$E2E_DIR/bin/dev-hook" "$E2E_DIR/bin/filter"
  hook_file 10-fake-device.json "$E2E_DIR/bin/dev-hook" createContainer
  hook_file 05-fake-filter.json "$E2E_DIR/bin/filter" precreate
  jq -n --arg d "$E2E_DIR/hooks.d" '{hooksDirs: [$d]}' >"$E2E_DIR/hrun.json"
  echo '{}' >"$E2E_DIR/hrun-off.json"
}

hook_file() {
  jq -n --arg p "$2" --arg s "$3" '{version: "1.0.0", hook: {path: $p, timeout: 30},
    when: {annotations: {"^org\\.hrun-e2e\\.dev$": "^fake0$"}}, stages: [$s]}' \
    >"$E2E_DIR/hooks.d/$1"
}

# What the container reports of what the hooks did (the env of its pid 1:
# CRI's exec takes its env from containerd's copy of the config, which the
# filter did not see).
CHECK='ls -l /dev/fake0 | cut -c1-10; [ -c /dev/fake0 ] && echo x >/dev/fake0 && echo writable
cat /usr/lib/libfake.so 2>&1
echo "env=$(tr "\0" "\n" </proc/1/environ | sed -n "s/^HRUN_E2E_FILTERED=//p")"
grep -c " /filtered tmpfs " /proc/mounts'

assert_injected() {
  assert_line "crw-rw-rw-"
  assert_line "writable"
  assert_line "fake driver 1.0"
  assert_line "env=yes"
  assert_line "1"
}

assert_not_injected() {
  assert_line --partial "/dev/fake0: No such file or directory"
  assert_line --regexp "/usr/lib/libfake.so.*No such file or directory"
  refute_line "writable"
  assert_line "env="
  assert_line "0"
}

# runs RUN: how many times each hook ran for the container labelled RUN.
runs() {
  echo "$(grep -c "^precreate $1\$" "$E2E_DIR/rec/log") $(grep -c "^createContainer $1\$" "$E2E_DIR/rec/log")"
}

ctr_run() {
  e2e_ctr run --rm --snapshotter "$E2E_SNAPSHOTTER" --runc-binary "$HRUN_BIN" \
    --runc-root "$E2E_DIR/rt/ctr" --fifo-dir "$E2E_DIR/fifo" "$@"
}

@test "containerd (ctr): the configuration file's hooks.d makes the device, binds the driver, filters the config; once each" {
  mkdir -p "$E2E_DIR/fifo"
  ctr_run --annotation org.hrun-e2e.dev=fake0 --annotation org.hrun-e2e.run=ctr \
    "$E2E_IMAGE" "$NAME" sh -c "$CHECK"
  assert_success
  assert_injected
  assert_equal "$(runs ctr)" "1 1"
  # without the annotation: nothing
  ctr_run --annotation org.hrun-e2e.run=plain "$E2E_IMAGE" "$NAME-plain" sh -c "$CHECK"
  assert_not_injected
  assert_equal "$(runs plain)" "0 0"
  # a container that opts out
  ctr_run --annotation org.hrun-e2e.dev=fake0 --annotation org.hrun-e2e.run=out \
    --annotation run.oci.hrun.hooks-dirs=off "$E2E_IMAGE" "$NAME-out" sh -c "$CHECK"
  assert_not_injected
  assert_equal "$(runs out)" "0 0"
}

@test "containerd (CRI): a pod's container with the annotation gets the device, the driver and the filtered config; once each" {
  cri_run_pod "$NAME"
  cri_run_ctr c "$(json_args sleep 1000)" \
    '.annotations = {"org.hrun-e2e.dev": "fake0", "org.hrun-e2e.run": "cri"}'
  cri_exec "$CID" sh -c "$CHECK"
  assert_cri_ok
  output=$(jq -r .stdout <<<"$output")
  mapfile -t lines <<<"$output"
  assert_injected
  # the sandbox has no such annotation: no hook ran for it
  assert_equal "$(runs cri) $(runs none)" "1 1 0 0"
}

@test "podman: podman's --hooks-dir with the same files, hrun's off: once each" {
  e2e_podman_run_opts
  HRUN_CONFIG=$E2E_DIR/hrun-off.json E2E_DIR=$PODMAN_DIR e2e_podman --hooks-dir "$E2E_DIR/hooks.d" run --rm \
    "${E2E_RUN_OPTS[@]}" --annotation org.hrun-e2e.dev=fake0 --annotation org.hrun-e2e.run=podman \
    --name "$NAME" "$E2E_IMAGE" sh -c "$CHECK"
  assert_success
  assert_injected
  assert_equal "$(runs podman)" "1 1"
}
