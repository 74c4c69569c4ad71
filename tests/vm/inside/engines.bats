#!/usr/bin/env bats
# The engines on a systemd + cgroup v2 host (the guest of make vm-check),
# each in its default systemd configuration with hrun as the runtime:
# podman (cgroup_manager systemd, its default where systemd is PID 1) and
# containerd's CRI plugin with SystemdCgroup = true (what Kubernetes
# recommends), driven as the kubelet drives it. The runtime gets
# --systemd-cgroup, and each container gets a transient scope whose unit
# properties and cgroup files must both carry the limits.
# HRUN_BIN (default /share/hrun) names the runtime; runc works too.

load ../src/tests/integration/helpers
load ../src/tests/integration/e2e/lib
load ../src/tests/integration/e2e/cri

E2E_MKIMAGE=$BATS_TEST_DIRNAME/../src/tests/integration/e2e/mkimage.sh
CRI_PY=$BATS_TEST_DIRNAME/../src/tests/integration/e2e/cri/cri.py
CRI_PROTO=$BATS_TEST_DIRNAME/../src/tests/integration/e2e/cri/cri.proto

setup_file() {
  export HRUN_BIN=${HRUN_BIN:-/share/hrun}
  [ -d /run/systemd/system ] && [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ] ||
    { echo "engines.bats needs systemd as PID 1 and cgroup v2 (make vm-check)" >&2; return 1; }
  export CRI_SYSTEMD_CGROUP=true
  cri_setup_file vm
  # podman: Debian's own configuration; its image store gets the same image.
  podman load -q -i "$E2E_DIR/image/image.oci.tar" >&2
}

teardown_file() {
  podman rm -a -f -t 0 >/dev/null 2>&1 || true
  cri_containerd_stop
}

setup() {
  POD=$E2E_NAME-$BATS_TEST_NUMBER
  # The kubelet's pod slices look like kubepods-besteffort-pod<uid>.slice:
  # nested below kubepods.slice and kubepods-besteffort.slice.
  CRI_CGROUP_PARENT=hrunvm-pod$BATS_TEST_NUMBER.slice
}

teardown() {
  cri_clean
}

# unit_props UNIT PROP...: "PROP=value" lines of systemctl show.
unit_props() {
  local unit=$1 p args=()
  shift
  for p in "$@"; do args+=(-p "$p"); done
  systemctl show "${args[@]}" "$unit"
}

# assert_unit_gone UNIT DIR: no such unit loaded, no cgroup DIR.
assert_unit_gone() {
  local i
  for i in $(seq 50); do
    [ "$(systemctl show -p LoadState --value "$1")" = not-found ] && [ ! -d "$2" ] && return 0
    sleep 0.2
  done
  fail "$1 is still loaded ($(systemctl show -p LoadState -p ActiveState "$1" | tr '\n' ' ')) or $2 is there"
}

@test "podman (systemd cgroup manager): the scope has the limits, the container feels them, update changes both, rm leaves nothing" {
  run podman info --format '{{.Host.CgroupManager}} {{.Host.CgroupsVersion}}'
  assert_output "systemd v2"
  run podman --runtime "$HRUN_BIN" run -d --pull never --network none \
    --memory 64m --pids-limit 40 --cpus 0.5 "$E2E_IMAGE" sleep 1000
  assert_success
  local cid=${lines[-1]} unit dir
  unit=libpod-$cid.scope
  run unit_props "$unit" Delegate MemoryMax TasksMax CPUQuotaPerSecUSec ControlGroup
  assert_line Delegate=yes
  assert_line MemoryMax=67108864
  assert_line TasksMax=40
  assert_line CPUQuotaPerSecUSec=500ms
  dir=/sys/fs/cgroup$(systemctl show -p ControlGroup --value "$unit")
  assert_equal "$(cat "$dir/memory.max")" 67108864
  assert_equal "$(cat "$dir/pids.max")" 40
  assert_equal "$(cat "$dir/cpu.max")" "50000 100000"
  grep -qx "$(podman inspect --format '{{.State.Pid}}' "$cid")" "$dir/cgroup.procs"
  # The limits hold inside: forks past pids.max fail.
  run podman exec "$cid" sh -c 'for i in $(seq 60); do sleep 30 & done 2>&1 | head -1'
  assert_output --partial "can't fork"
  # hrun update (podman gives the runtime its default root) changes both.
  run "$HRUN_BIN" update --memory 134217728 --pids-limit 50 "$cid"
  assert_success
  run unit_props "$unit" MemoryMax TasksMax
  assert_line MemoryMax=134217728
  assert_line TasksMax=50
  assert_equal "$(cat "$dir/memory.max")" 134217728
  assert_equal "$(cat "$dir/pids.max")" 50
  run podman rm -f -t 0 "$cid"
  assert_success
  assert_unit_gone "$unit" "$dir"
}

@test "podman (systemd cgroup manager): past --memory the container's process is OOM-killed" {
  run podman --runtime "$HRUN_BIN" run --rm --pull never --network none --memory 32m "$E2E_IMAGE" \
    sh -c 'dd if=/dev/zero of=/dev/null bs=64M count=1; echo "dd exit $?"'
  assert_output --partial "dd exit 137"
}

@test "containerd CRI (SystemdCgroup = true): pod slice and scope with the limits, UpdateContainerResources changes both, removal leaves nothing" {
  local unit dir pod_unit
  cri_run_pod "$POD"
  pod_unit=cri-containerd-$POD_ID.scope
  run unit_props "$pod_unit" Slice Delegate
  assert_line "Slice=$CRI_CGROUP_PARENT"
  assert_line Delegate=yes
  cri_run_ctr c1 '["sleep", "1000"]' '.linux.resources = {memory_limit_in_bytes: 67108864,
    cpu_quota: 50000, cpu_period: 100000, cpu_shares: 512}'
  unit=cri-containerd-$CID.scope
  run unit_props "$unit" Slice Delegate MemoryMax CPUQuotaPerSecUSec ControlGroup
  assert_line "Slice=$CRI_CGROUP_PARENT"
  assert_line Delegate=yes
  assert_line MemoryMax=67108864
  assert_line CPUQuotaPerSecUSec=500ms
  dir=/sys/fs/cgroup$(systemctl show -p ControlGroup --value "$unit")
  # The slice nests as systemd's "-" says: hrunvm.slice/hrunvm-podN.slice.
  assert_equal "$dir" "/sys/fs/cgroup/hrunvm.slice/$CRI_CGROUP_PARENT/$unit"
  assert_equal "$(cat "$dir/memory.max")" 67108864
  assert_equal "$(cat "$dir/cpu.max")" "50000 100000"
  grep -qx "$(cri_pid "$CID")" "$dir/cgroup.procs"
  cri UpdateContainerResources "{\"container_id\": \"$CID\", \"linux\": {\"memory_limit_in_bytes\": 134217728,
    \"cpu_quota\": 20000, \"cpu_period\": 100000, \"cpu_shares\": 512}}"
  assert_cri_ok
  run unit_props "$unit" MemoryMax CPUQuotaPerSecUSec
  assert_line MemoryMax=134217728
  assert_line CPUQuotaPerSecUSec=200ms
  assert_equal "$(cat "$dir/memory.max")" 134217728
  assert_equal "$(cat "$dir/cpu.max")" "20000 100000"
  cri StopPodSandbox "{\"pod_sandbox_id\": \"$POD_ID\"}"
  assert_cri_ok
  cri RemovePodSandbox "{\"pod_sandbox_id\": \"$POD_ID\"}"
  assert_cri_ok
  assert_unit_gone "$unit" "$dir"
  assert_unit_gone "$pod_unit" "/sys/fs/cgroup/hrunvm.slice/$CRI_CGROUP_PARENT/$pod_unit"
}

@test "containerd CRI (SystemdCgroup = true): past its memory limit the container is OOM-killed in its scope" {
  cri_run_pod "$POD"
  cri_run_ctr oom '["sh", "-c", "sleep 1; exec dd if=/dev/zero of=/dev/null bs=64M count=1"]' \
    '.linux.resources = {memory_limit_in_bytes: 33554432}'
  cri_wait "$CID" CONTAINER_EXITED 60
  # hrun's part, from the kernel: the OOM killer acted on the memory
  # cgroup of the container's own scope, where hrun put the limit.
  dmesg | grep -a "oom_memcg=/hrunvm.slice/$CRI_CGROUP_PARENT/cri-containerd-$CID.scope," ||
    fail "no OOM kill in the scope of $CID: $(dmesg | grep -a oom_memcg | tail -n 3)"
  # containerd's part: its shim reads the kill from the scope's
  # memory.events, and systemd removes an emptied scope, so with the systemd
  # driver containerd sometimes never reports it and CRI says "Error"
  # (containerd's own CRI tests skip OOMKilled for the systemd driver:
  # containerd/containerd#12714). Exit 137 either way.
  wait_until 15 oom_recorded "$CID" || true
  cri_status "$CID"
  assert_json '.status.exit_code == 137 and (.status.reason == "OOMKilled" or .status.reason == "Error")'
}

# oom_recorded ID: CRI has the container's OOM kill.
oom_recorded() {
  cri_q ContainerStatus "{\"container_id\": \"$1\"}" |
    jq -e '.status.reason == "OOMKilled"' >/dev/null 2>&1
}
