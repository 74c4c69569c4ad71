#!/usr/bin/env bats
# End to end: "$HRUN_BIN" as the OCI runtime of a real buildah 1.28
# (`buildah bud --runtime "$HRUN_BIN" --isolation oci`), offline: the base
# image is the docker-archive of e2e/mkimage.sh (`buildah pull
# docker-archive:...`), and nothing resolves a short name or reaches a
# registry (`--pull=never`, no search registries). buildah's root, runroot,
# temporary dir, containers.conf, storage.conf (vfs), registries.conf and
# signature policy are private to this file (a scratch dir); containers have
# --network none and a unique --cgroup-parent. buildah gives the runtime no
# --root: its state is in the runtime's default root.
# HRUN_BIN=/usr/sbin/runc runs the same tests against runc.

load helpers
load e2e/lib

setup_file() {
  e2e_require buildah jq tar gzip sha256sum prlimit mountpoint timeout
  e2e_require_runtime
  E2E_DIR=$(e2e_scratch bah)
  # e.g. hrun-e2e-bah-Ab12Cd: the cgroup parent and the image names.
  E2E_NAME=$(basename "$E2E_DIR" | tr -c 'A-Za-z0-9\n' '-')
  E2E_CGROUP_PARENT=/$E2E_NAME
  E2E_CGROUP_TOP=$(e2e_cgroup_top)
  # buildah keeps a blob-info cache there, as root, whatever --root is.
  E2E_VARLIB_CACHE_NEW=0
  [ -e /var/lib/containers/cache/blob-info-cache-v1.boltdb ] || E2E_VARLIB_CACHE_NEW=1
  E2E_ABSENT_DIRS=$(e2e_absent /var/lib/containers /var/lib/containers/cache "/run/$(basename "$HRUN_BIN")")
  export E2E_DIR E2E_NAME E2E_CGROUP_PARENT E2E_CGROUP_TOP E2E_VARLIB_CACHE_NEW E2E_ABSENT_DIRS
  # containers.conf (no hooks dir of the host, no network, cgroupfs) and
  # storage.conf: the same private ones as podman's (containers/common).
  e2e_podman_setup
  printf '{"default": [{"type": "insecureAcceptAnything"}]}\n' >"$E2E_DIR/policy.json"
  printf 'unqualified-search-registries = []\n' >"$E2E_DIR/registries.conf"
  mkdir -p "$E2E_DIR/sync"
  e2e_build_image "$E2E_DIR/image"
  e2e_buildah pull --signature-policy "$E2E_DIR/policy.json" "docker-archive:$E2E_DIR/image/image.docker.tar"
  assert_success
  e2e_buildah images --format '{{.Name}}:{{.Tag}}'
  assert_success
  assert_line "$E2E_IMAGE"
}

teardown_file() {
  local id left=
  [ -n "${E2E_DIR:-}" ] || return 0
  e2e_buildah_clean
  e2e_buildah_q rmi --all --force >/dev/null 2>&1
  e2e_stop_leftovers 5 "$E2E_DIR/"
  e2e_kill_cgroup "$E2E_CGROUP_PARENT"
  # The runtime's state of a container of ours (its bundle is in our
  # scratch dir) that buildah did not delete.
  for id in $(bah_runtime_ids); do
    "$HRUN_BIN" delete --force "$id" >/dev/null 2>&1 || true
  done
  e2e_rm_cgroup "$E2E_CGROUP_PARENT"
  e2e_rm_new_cgroup_top "$E2E_CGROUP_TOP"
  if [ "$E2E_VARLIB_CACHE_NEW" = 1 ]; then
    rm -f /var/lib/containers/cache/blob-info-cache-v1.boltdb
  fi
  # shellcheck disable=SC2086
  e2e_rmdir_if_empty $E2E_ABSENT_DIRS
  e2e_rm_scratch "$E2E_DIR"
  # What must not be left.
  left+=$(e2e_pids_mentioning "$E2E_DIR/")
  left+=$(awk -v d="$E2E_DIR" 'index($5, d) == 1 { print "mount " $5 }' /proc/self/mountinfo)
  left+=$(ls -d /sys/fs/cgroup/*/"$E2E_NAME" /sys/fs/cgroup/"$E2E_NAME" 2>/dev/null)
  left+=$(bah_runtime_ids)
  [ ! -e "$E2E_DIR" ] || left+=" $E2E_DIR"
  [ -z "$left" ] || { echo "e2e: left behind: $left" >&2; return 1; }
}

setup() {
  NAME=$E2E_NAME-$BATS_TEST_NUMBER
  IMAGE=localhost/${E2E_NAME,,}-$BATS_TEST_NUMBER:latest
  # The options of every container buildah makes here.
  RUN_OPTS=(--runtime "$HRUN_BIN" --isolation oci --network none)
  BUILD_PID=
}

teardown() {
  e2e_stop_pid "$BUILD_PID" 5
  e2e_buildah_clean
  rm -f "$E2E_DIR/sync/go"
}

# e2e_buildah ARGS...: e2e_run of buildah with the private storage, its
# temporary files in the scratch dir. e2e_buildah_q: for $(...).
e2e_buildah_argv() {
  E2E_BUILDAH=(env "TMPDIR=$E2E_DIR/tmp" buildah --root "$E2E_DIR/root" --runroot "$E2E_DIR/runroot"
    --storage-driver vfs --cgroup-manager cgroupfs --registries-conf "$E2E_DIR/registries.conf")
}
e2e_buildah() {
  e2e_buildah_argv
  e2e_run "${E2E_BUILDAH[@]}" "$@"
}
e2e_buildah_q() {
  e2e_buildah_argv
  e2e_exec "${E2E_BUILDAH[@]}" "$@"
}

# e2e_buildah_clean: unmounts and removes every working container.
e2e_buildah_clean() {
  local E2E_TIMEOUT=20
  [ -d "${E2E_DIR:-}/root" ] || return 0
  e2e_buildah_q umount --all >/dev/null 2>&1
  e2e_buildah_q rm --all >/dev/null 2>&1
  return 0
}

# bah_runtime_ids: the containers in the runtime's default root whose
# bundle is in our scratch dir.
bah_runtime_ids() {
  local id
  for id in $("$HRUN_BIN" list -q 2>/dev/null); do
    "$HRUN_BIN" state "$id" 2>/dev/null | jq -e --arg d "$E2E_DIR/" '.bundle | startswith($d)' >/dev/null &&
      echo "$id"
  done
  return 0
}

@test "buildah bud --runtime --isolation oci: the RUN steps run on the runtime" {
  local ctx=$BATS_TEST_TMPDIR/ctx log=$BATS_TEST_TMPDIR/bud.log id=
  mkdir -p "$ctx"
  echo hello >"$ctx/hello.txt"
  # The second RUN waits (30 s at most) for /sync/go, which the test makes
  # once it has seen the container in the runtime's state.
  cat >"$ctx/Dockerfile" <<EOF
FROM $E2E_IMAGE
RUN echo built-by-run >/etc/built && mkdir /data
RUN i=0; while [ ! -e /sync/go ] && [ \$i -lt 300 ]; do sleep 0.1; i=\$((i + 1)); done; test -e /sync/go && echo \$((6 * 7)) >/data/answer
RUN ["sh", "-c", "echo exec-form >>/data/answer; id -u >/data/uid; ls /sys/class/net >/data/net; grep -E '^(Seccomp|CapEff):' /proc/self/status >/data/status"]
COPY hello.txt /data/hello.txt
ENV E2E_FROM_BUD=yes
CMD ["cat", "/etc/built"]
EOF
  e2e_buildah_argv
  echo "\$ ${E2E_BUILDAH[*]} bud ${RUN_OPTS[*]} --pull=never --cgroup-parent $E2E_CGROUP_PARENT -v $E2E_DIR/sync:/sync -t $IMAGE $ctx &" >&2
  (
    e2e_close_fds
    exec timeout -k 5 "$E2E_TIMEOUT" "${E2E_BUILDAH[@]}" bud "${RUN_OPTS[@]}" --pull=never \
      --signature-policy "$E2E_DIR/policy.json" --cgroup-parent "$E2E_CGROUP_PARENT" \
      -v "$E2E_DIR/sync:/sync" -t "$IMAGE" "$ctx" </dev/null >"$log" 2>&1
  ) &
  BUILD_PID=$!
  running_build() {
    local i
    for i in $(bah_runtime_ids); do
      [ "$("$HRUN_BIN" state "$i" 2>/dev/null | jq -r .status)" = running ] && { id=$i; return 0; }
    done
    return 1
  }
  e2e_wait_for 30 running_build || fail "no running container of the second RUN in the runtime's state: $(cat "$log")"
  e2e_run "$HRUN_BIN" state "$id"
  assert_success
  jq -e --arg d "$E2E_DIR/" '.status == "running" and .pid > 0 and (.bundle | startswith($d))' <<<"$output" >/dev/null ||
    fail "unexpected state: $output"
  # (in our cgroup parent)
  e2e_run cat "/proc/$(jq -r .pid <<<"$output")/cgroup"
  assert_line --regexp ":memory:$E2E_CGROUP_PARENT(/|\$)"
  touch "$E2E_DIR/sync/go"
  status=0
  wait "$BUILD_PID" || status=$?
  BUILD_PID=
  sed 's/^/  | /' "$log" >&2
  assert_equal "$status" 0
  grep -q "^Successfully tagged $IMAGE\$" "$log" || fail "buildah bud did not tag $IMAGE"
  # Nothing of the build is left in the runtime's state.
  assert_equal "$(bah_runtime_ids)" ""

  # The RUN steps' effects, read from the image's root file system.
  e2e_buildah from --pull=never --cgroup-parent "$E2E_CGROUP_PARENT" --name "$NAME" "$IMAGE"
  assert_success
  e2e_buildah mount "$NAME"
  assert_success
  local mnt=$output
  [ -d "$mnt/data" ] || fail "buildah mount gave no root file system: $mnt"
  assert_equal "$(cat "$mnt/etc/built")" built-by-run
  assert_equal "$(cat "$mnt/data/answer")" $'42\nexec-form'
  assert_equal "$(cat "$mnt/data/uid")" 0
  assert_equal "$(cat "$mnt/data/net")" lo
  assert_equal "$(cat "$mnt/data/hello.txt")" hello
  grep -qE '^Seccomp:\s+2$' "$mnt/data/status" || fail "the RUN step had no seccomp filter: $(cat "$mnt/data/status")"
  [ ! -e "$mnt/sync/go" ] || fail "the -v volume of the build was committed into the image"
  e2e_buildah umount "$NAME"
  assert_success
  e2e_buildah inspect --type image -f '{{.OCIv1.Config.Cmd}} {{.OCIv1.Config.Env}}' "$IMAGE"
  assert_success
  assert_output --partial '[cat /etc/built]'
  assert_output --partial 'E2E_FROM_BUD=yes'
}

@test "buildah run --runtime: output, exit status, PID 1, own namespaces, no network" {
  e2e_buildah from --pull=never --cgroup-parent "$E2E_CGROUP_PARENT" --name "$NAME" "$E2E_IMAGE"
  assert_success
  e2e_buildah run "${RUN_OPTS[@]}" "$NAME" sh -c \
    'cat /etc/hrun-e2e-release; echo pid=$$; ls /sys/class/net; for n in pid mnt ipc net; do readlink /proc/self/ns/$n; done'
  assert_success
  assert_line --index 0 hrun-e2e-image
  assert_line --index 1 pid=1
  assert_line --index 2 lo
  assert_own_namespaces 3 pid mnt ipc net
  e2e_buildah run "${RUN_OPTS[@]}" "$NAME" sh -c 'echo made >/made; exit 3'
  assert_failure
  assert_output --partial 'exit status 3'
  # (a change made by buildah run stays in the working container)
  e2e_buildah run "${RUN_OPTS[@]}" "$NAME" cat /made
  assert_success
  assert_output made
  assert_equal "$(bah_runtime_ids)" ""
}

@test "buildah commit of a working container changed by buildah run" {
  e2e_buildah from --pull=never --cgroup-parent "$E2E_CGROUP_PARENT" --name "$NAME" "$E2E_IMAGE"
  assert_success
  e2e_buildah run "${RUN_OPTS[@]}" "$NAME" sh -c 'echo committed >/etc/committed'
  assert_success
  e2e_buildah commit --signature-policy "$E2E_DIR/policy.json" "$NAME" "$IMAGE"
  assert_success
  e2e_buildah from --pull=never --cgroup-parent "$E2E_CGROUP_PARENT" --name "$NAME-2" "$IMAGE"
  assert_success
  e2e_buildah run "${RUN_OPTS[@]}" "$NAME-2" cat /etc/committed /etc/hrun-e2e-release
  assert_success
  assert_output $'committed\nhrun-e2e-image'
}
