#!/usr/bin/env bats
# End to end: "$HRUN_BIN" as the runtime of Kubernetes' CRI: a private
# containerd 1.6 with its CRI plugin, a runtime handler "hrun" of type
# io.containerd.runc.v2 whose BinaryName is "$HRUN_BIN", driven through the
# CRI gRPC API as the kubelet drives it (e2e/cri/cri.py, a client of our
# own: Debian packages none), offline, with the busybox image of
# e2e/mkimage.sh and a sandbox image made from it. Pods have the loopback
# network only and the cgroup parent /<scratch name> (cgroupfs); see
# e2e/cri.bash. Containers get their own pid namespace (what the kubelet
# asks for) unless a test says pid=POD. After every container's exit,
# containerd's CRI plugin deletes the task "with process kill": the shim
# runs `<runtime> kill --all <id> 9` on the stopped container, then
# `delete` (and the shim itself runs that kill for a container in the
# pod's pid namespace). A `kill <id> 9` (StopContainer's after the grace
# period) of a container that has exited must fail saying "container not
# running", which the shim takes for "not found".
# HRUN_BIN=/usr/sbin/runc runs the same tests against runc.

load helpers
load e2e/lib
load e2e/cri

setup_file() {
  # What the host looks like before: the end checks that it still does.
  E2E_HOST_BEFORE=$BATS_FILE_TMPDIR/host.before
  host_fingerprint >"$E2E_HOST_BEFORE"
  export E2E_HOST_BEFORE
  cri_setup_file cri
}

teardown_file() {
  cri_containerd_stop
}

setup() {
  POD=$E2E_NAME-$BATS_TEST_NUMBER
  RTROOT=$E2E_DIR/rt/hrun/k8s.io
}

teardown() {
  cri_clean
  # The shared bind mount of the propagation tests, and what reached it.
  [ -z "${PROP_SRC:-}" ] || ! mountpoint -q "$PROP_SRC" || umount -R "$PROP_SRC"
}

# host_fingerprint: what no test may change on the host: network
# interfaces, named network namespaces, a few sysctls, CNI and containerd
# directories of the host.
host_fingerprint() {
  local f
  echo "links: $(ls /sys/class/net | tr '\n' ' ')"
  echo "netns: $(ls -A /var/run/netns 2>/dev/null | tr '\n' ' ')"
  for f in net/ipv4/ip_forward net/ipv4/ping_group_range net/ipv4/ip_unprivileged_port_start \
    kernel/core_pattern vm/overcommit_memory; do
    echo "$f: $(tr '\t' ' ' <"/proc/sys/$f" 2>/dev/null)"
  done
  for f in /etc/cni/net.d /opt/cni /var/lib/containerd /run/containerd/runc /run/containerd/fifo \
    /run/containerd/io.containerd.grpc.v1.cri /var/run/netns; do
    echo "$f: $(ls -A "$f" 2>/dev/null | tr '\n' ' ')"
  done
}

# The runtime's own view, with the root the shim gives it.
runtime_state() {
  e2e_run "$HRUN_BIN" --root "$RTROOT" state "$1"
}

# cri_log_has ID TEXT: the container's CRI log has a line ending in TEXT.
cri_log_has() {
  grep -q " $2\$" "$E2E_DIR/logs/$POD/$1.log" 2>/dev/null
}

# cri_wait_log NAME TEXT: waits (10 s) for TEXT in the container NAME's log.
cri_wait_log() {
  e2e_wait_for 10 cri_log_has "$1" "$2" ||
    fail "no '$2' in the log of $1: $(cat "$E2E_DIR/logs/$POD/$1.log" 2>&1)"
}

# assert_container_status STATE EXIT_CODE REASON: of the last cri_status.
assert_container_status() {
  assert_json --arg s "$1" --argjson c "$2" --arg r "$3" \
    '.status.state == $s and .status.exit_code == $c and .status.reason == $r'
}

# assert_gone_from_host ID PID: no runtime state, cgroup or process left.
assert_gone_from_host() {
  local d
  runtime_state "$1"
  assert_failure
  assert_output --partial 'does not exist'
  for d in /sys/fs/cgroup/*/"$E2E_NAME/$1"; do
    [ ! -d "$d" ] || fail "cgroup $d is still there"
  done
  [ -z "${2:-}" ] || ! e2e_alive "$2" || fail "process $2 of $1 is still alive"
}

@test "RunPodSandbox: READY, 127.0.0.1 and only lo in its own netns; the runtime runs the sandbox" {
  cri_run_pod "$POD"
  cri_pod_status "$POD_ID"
  assert_cri_ok
  assert_json '.status.state == "SANDBOX_READY" and .status.network.ip == "127.0.0.1" and .status.runtime_handler == "hrun"'
  local info pid netns
  info=$(jq -r .info.info <<<"$output")
  pid=$(jq -r .pid <<<"$info")
  netns=$(jq -r '.runtimeSpec.linux.namespaces[] | select(.type == "network") | .path' <<<"$info")
  e2e_alive "$pid" || fail "the sandbox process $pid is not alive"
  [[ $(tr '\0' ' ' <"/proc/$pid/cmdline") == *'while :; do sleep 1; done'* ]] ||
    fail "the sandbox process runs $(tr '\0' ' ' <"/proc/$pid/cmdline")"
  # Its network namespace: the one CRI made (below our state dir), not the
  # host's, with lo alone.
  [[ $netns == "$E2E_DIR/state/"* ]] || fail "the pod's netns is $netns"
  [ "$(stat -L -c %i "$netns")" = "$(stat -L -c %i "/proc/$pid/ns/net")" ] ||
    fail "the sandbox is not in the pod's netns $netns"
  [ "$(readlink "/proc/$pid/ns/net")" != "$(readlink /proc/$$/ns/net)" ] ||
    fail "the sandbox is in the host's network namespace"
  run awk -F: 'NR > 2 { gsub(/ /, "", $1); print $1 }' "/proc/$pid/net/dev"
  assert_output lo
  # The runtime's view, the cgroup under the pod's cgroup parent.
  runtime_state "$POD_ID"
  assert_success
  assert_json --argjson pid "$pid" '.status == "running" and .pid == $pid'
  grep -qx "$pid" "$(cgroup_file "$POD_ID" memory cgroup.procs)" ||
    fail "the sandbox $pid is not in the cgroup /$E2E_NAME/$POD_ID"
  cri ListPodSandbox "{\"filter\": {\"id\": \"$POD_ID\"}}"
  assert_cri_ok
  assert_json '.items | length == 1 and .[0].state == "SANDBOX_READY"'
  # containerd's only TCP or UDP socket: the streaming server, on 127.0.0.1.
  run ss -Htulnp
  local sock socks=0
  for sock in "${lines[@]}"; do
    [[ $sock == *"pid=$E2E_CTRD_PID,"* ]] || continue
    socks=$((socks + 1))
    [[ $sock =~ ^tcp\ +LISTEN\ +[0-9]+\ +[0-9]+\ +127\.0\.0\.1:[0-9]+\  ]] ||
      fail "containerd listens elsewhere than on 127.0.0.1: $sock"
  done
  [ "$socks" = 1 ] || fail "containerd has $socks TCP/UDP sockets, not 1: $output"
}

@test "CreateContainer, StartContainer, ExecSync: output, exit code, the pod's net and ipc namespaces" {
  cri_run_pod "$POD"
  cri_create c1 '["sh", "-c", "echo started; exec sleep 1000"]'
  cri_status "$CID"
  assert_container_status CONTAINER_CREATED 0 ''
  cri_start "$CID"
  cri_status "$CID"
  assert_container_status CONTAINER_RUNNING 0 ''
  local pid podpid
  pid=$(cri_pid "$CID")
  podpid=$(cri_pod_pid "$POD_ID")
  e2e_alive "$pid" || fail "the container's process $pid is not alive"
  cri_wait_log c1 started
  cri_exec "$CID" sh -c 'echo out; echo err >&2; exit 3'
  assert_cri_ok
  assert_json '.exit_code == 3 and .stdout == "out\n" and .stderr == "err\n"'
  cri_exec "$CID" sh -c 'echo pid=$$; for f in /proc/1/exe /proc/self/ns/net /proc/self/ns/ipc /proc/self/ns/pid; do readlink $f; done'
  assert_cri_ok
  assert_json '.exit_code == 0'
  mapfile -t lines < <(jq -r .stdout <<<"$output")
  assert_equal "${lines[1]}" /bin/busybox
  assert_equal "${lines[2]}" "$(readlink "/proc/$podpid/ns/net")"
  assert_equal "${lines[3]}" "$(readlink "/proc/$podpid/ns/ipc")"
  # (pid: its own, as the kubelet asks)
  [ "${lines[4]}" != "$(readlink "/proc/$podpid/ns/pid")" ] || fail "the container is in the pod's pid namespace"
  runtime_state "$CID"
  assert_success
  assert_json --argjson pid "$pid" '.status == "running" and .pid == $pid'
  cri ListContainers "{\"filter\": {\"pod_sandbox_id\": \"$POD_ID\"}}"
  assert_cri_ok
  assert_json --arg id "$CID" '.containers | length == 1 and .[0].id == $id and .[0].state == "CONTAINER_RUNNING"'
}

@test "StopContainer: a container that traps SIGTERM exits within the grace period with its code 7" {
  cri_run_pod "$POD"
  cri_run_ctr term '["sh", "-c", "trap \"echo got-term; exit 7\" TERM; echo ready; while :; do sleep 0.1; done"]'
  local pid t0 took
  pid=$(cri_pid "$CID")
  cri_wait_log term ready
  t0=$(now)
  cri StopContainer "{\"container_id\": \"$CID\", \"timeout\": 10}"
  took=$(elapsed "$t0")
  assert_cri_ok
  echo "# StopContainer (grace 10 s) of a container trapping SIGTERM: ${took} s" >&3
  awk -v t="$took" 'BEGIN { exit !(t < 5) }' || fail "StopContainer took $took s (the container exits at once)"
  cri_status "$CID"
  assert_container_status CONTAINER_EXITED 7 Error
  cri_log_has term got-term || fail "the container did not get SIGTERM: $(cat "$E2E_DIR/logs/$POD/term.log")"
  e2e_alive "$pid" && fail "the container's process $pid is still alive"
  true
}

@test "StopContainer: a container that ignores SIGTERM is SIGKILLed after the 2 s grace period (137)" {
  cri_run_pod "$POD"
  cri_run_ctr ignore '["sh", "-c", "trap \"\" TERM; echo ready; while :; do sleep 0.1; done"]'
  local pid t0 took
  pid=$(cri_pid "$CID")
  cri_wait_log ignore ready
  t0=$(now)
  cri StopContainer "{\"container_id\": \"$CID\", \"timeout\": 2}"
  took=$(elapsed "$t0")
  assert_cri_ok
  echo "# StopContainer (grace 2 s) of a container ignoring SIGTERM: ${took} s" >&3
  awk -v t="$took" 'BEGIN { exit !(t >= 1.9 && t < 7) }' || fail "StopContainer took $took s, not 2 s + at most 5"
  cri_status "$CID"
  assert_container_status CONTAINER_EXITED 137 Error
  e2e_alive "$pid" && fail "the container's process $pid is still alive"
  true
}

@test "RemoveContainer: no container, runtime state, cgroup or process left" {
  cri_run_pod "$POD"
  cri_run_ctr rm '["sleep", "1000"]'
  local pid
  pid=$(cri_pid "$CID")
  [ -d "$(cgroup_file "$CID" memory .)" ] || fail "no cgroup /$E2E_NAME/$CID"
  cri StopContainer "{\"container_id\": \"$CID\", \"timeout\": 0}"
  assert_cri_ok
  cri RemoveContainer "{\"container_id\": \"$CID\"}"
  assert_cri_ok
  cri ContainerStatus "{\"container_id\": \"$CID\"}"
  assert_equal "$status" 1
  assert_json '.error.code == "NOT_FOUND"'
  cri ListContainers "{\"filter\": {\"pod_sandbox_id\": \"$POD_ID\"}}"
  assert_cri_ok
  assert_json '.containers == []'
  assert_gone_from_host "$CID" "$pid"
}

@test "a container that exits by itself: CONTAINER_EXITED, exit code 0 Completed, 3 Error" {
  cri_run_pod "$POD"
  cri_run_ctr ok '["sh", "-c", "echo bye"]'
  local ok=$CID
  cri_run_ctr bad '["sh", "-c", "exit 3"]'
  cri_wait "$ok" CONTAINER_EXITED 10
  assert_container_status CONTAINER_EXITED 0 Completed
  # (not after started_at: a quick process may end before the start call
  # returns to containerd)
  assert_json '.status.finished_at != "0" and (.status.finished_at | tonumber) > (.status.created_at | tonumber)'
  cri_wait "$CID" CONTAINER_EXITED 10
  assert_container_status CONTAINER_EXITED 3 Error
  cri_log_has ok bye || fail "no 'bye' in the log: $(cat "$E2E_DIR/logs/$POD/ok.log")"
  # containerd deleted the runtime's container at the exit.
  e2e_wait_for 5 eval '! "$HRUN_BIN" --root "$RTROOT" state "$CID" >/dev/null 2>&1' ||
    fail "the runtime still has $CID after its exit"
}

@test "a container that exits by itself in the pod's pid namespace (the shim's kill --all): exit code 3 Error" {
  cri_run_pod "$POD" hrun '.linux.security_context.namespace_options.pid = "POD"'
  cri_run_ctr bad '["sh", "-c", "sleep 0.5; exit 3"]' '.linux.security_context.namespace_options.pid = "POD"'
  cri_wait "$CID" CONTAINER_EXITED 10
  assert_container_status CONTAINER_EXITED 3 Error
  cri RemoveContainer "{\"container_id\": \"$CID\"}"
  assert_cri_ok
  assert_gone_from_host "$CID"
}

@test "a container over its 16 MiB memory limit is OOM-killed: exit code 137, reason OOMKilled" {
  cri_run_pod "$POD"
  cri_run_ctr oom '["dd", "if=/dev/zero", "of=/dev/null", "bs=64M", "count=1"]' \
    '.linux.resources.memory_limit_in_bytes = 16777216'
  cri_wait "$CID" CONTAINER_EXITED 15
  assert_container_status CONTAINER_EXITED 137 OOMKilled
}

@test "a two-container pod sharing pid (pid=POD), ipc and net namespaces; a stop in it" {
  cri_run_pod "$POD" hrun '.linux.security_context.namespace_options.pid = "POD"'
  local podpid a b ns_a ns_b
  podpid=$(cri_pod_pid "$POD_ID")
  cri_run_ctr a '["sh", "-c", "echo shared >/dev/shm/from-a; exec sleep 1001"]' \
    '.linux.security_context.namespace_options.pid = "POD"'
  a=$CID
  cri_run_ctr b '["sleep", "1002"]' '.linux.security_context.namespace_options.pid = "POD"'
  b=$CID
  # b sees a's process and the sandbox as pid 1; and what a wrote in the
  # pod's /dev/shm.
  cri_exec "$b" sh -c 'cat /proc/1/cmdline | tr "\0" " "; echo; for p in /proc/[0-9]*; do tr "\0" " " <$p/cmdline; echo; done; cat /dev/shm/from-a'
  assert_cri_ok
  assert_json '.exit_code == 0'
  jq -r .stdout <<<"$output" | grep -q '^sh -c trap.*while :; do sleep 1; done' ||
    fail "pid 1 of the pod is not the sandbox: $output"
  jq -r .stdout <<<"$output" | grep -qx 'sleep 1001 *' || fail "b does not see a's sleep 1001: $output"
  jq -r .stdout <<<"$output" | grep -qx 'shared' || fail "b does not see a's /dev/shm/from-a: $output"
  cri_exec "$a" sh -c 'for n in pid ipc net; do readlink /proc/self/ns/$n; done'
  ns_a=$(jq -r .stdout <<<"$output")
  cri_exec "$b" sh -c 'for n in pid ipc net; do readlink /proc/self/ns/$n; done'
  ns_b=$(jq -r .stdout <<<"$output")
  assert_equal "$ns_a" "$(for n in pid ipc net; do readlink "/proc/$podpid/ns/$n"; done)"
  assert_equal "$ns_b" "$ns_a"
  # a stop in the shared pid namespace: sleep dies of SIGTERM (143), and
  # the shim's kill --all follows the exit.
  local t0 took
  t0=$(now)
  cri StopContainer "{\"container_id\": \"$a\", \"timeout\": 10}"
  took=$(elapsed "$t0")
  assert_cri_ok
  echo "# StopContainer (grace 10 s) in a shared pid namespace: ${took} s" >&3
  awk -v t="$took" 'BEGIN { exit !(t < 5) }' || fail "StopContainer took $took s"
  cri_status "$a"
  assert_container_status CONTAINER_EXITED 143 Error
  cri_status "$b"
  assert_container_status CONTAINER_RUNNING 0 ''
}

# propagation_case PROPAGATION: a container that mounts a tmpfs below the
# volume and reports whether it sees the host's; the host side does the
# same. The volume's source is a bind mount of a scratch dir made shared
# (kubelet's Bidirectional needs a shared source, as containerd checks);
# teardown unmounts it. Sets PROP_RESULT to "c2h=yes|no h2c=yes|no".
propagation_case() {
  PROP_SRC=$E2E_DIR/prop-$BATS_TEST_NUMBER
  mkdir -p "$PROP_SRC"
  mount --bind "$PROP_SRC" "$PROP_SRC"
  mount --make-shared "$PROP_SRC"
  mkdir "$PROP_SRC/fromct" "$PROP_SRC/fromhost"
  cri_run_pod "$POD"
  cri_run_ctr prop '["sh", "-c", "mount -t tmpfs ct /vol/fromct && touch /vol/ct-mounted; i=0; until [ -e /vol/host-mounted ] || [ $i -ge 200 ]; do sleep 0.05; i=$((i+1)); done; if grep -q \" /vol/fromhost \" /proc/self/mountinfo; then echo yes >/vol/h2c; else echo no >/vol/h2c; fi; while :; do sleep 1; done"]' \
    ".mounts = [{container_path: \"/vol\", host_path: \"$PROP_SRC\", propagation: \"$1\"}] |
     .linux.security_context.capabilities.add_capabilities = [\"SYS_ADMIN\"]"
  e2e_wait_for 10 test -e "$PROP_SRC/ct-mounted" || fail "the container did not mount its tmpfs"
  local c2h=no
  ! mountpoint -q "$PROP_SRC/fromct" || c2h=yes
  mount -t tmpfs host "$PROP_SRC/fromhost"
  touch "$PROP_SRC/host-mounted"
  e2e_wait_for 15 test -s "$PROP_SRC/h2c" || fail "the container did not report"
  PROP_RESULT="c2h=$c2h h2c=$(cat "$PROP_SRC/h2c")"
  cri StopContainer "{\"container_id\": \"$CID\", \"timeout\": 0}"
  assert_cri_ok
}

@test "mountPropagation Bidirectional: mounts go from the container to the host and back" {
  propagation_case PROPAGATION_BIDIRECTIONAL
  assert_equal "$PROP_RESULT" "c2h=yes h2c=yes"
}

@test "mountPropagation HostToContainer: the host's mounts reach the container, not back" {
  propagation_case PROPAGATION_HOST_TO_CONTAINER
  assert_equal "$PROP_RESULT" "c2h=no h2c=yes"
}

@test "mountPropagation None (private): neither way" {
  propagation_case PROPAGATION_PRIVATE
  assert_equal "$PROP_RESULT" "c2h=no h2c=no"
}

@test "UpdateContainerResources: the memory limit and the CPU quota change in the cgroup" {
  cri_run_pod "$POD"
  cri_run_ctr upd '["sleep", "1000"]' \
    '.linux.resources += {memory_limit_in_bytes: 67108864, cpu_period: 100000, cpu_quota: 50000, cpu_shares: 512}'
  assert_equal "$(cat "$(cgroup_file "$CID" memory memory.limit_in_bytes)")" 67108864
  assert_equal "$(cat "$(cgroup_file "$CID" cpu cpu.cfs_quota_us)")" 50000
  assert_equal "$(cat "$(cgroup_file "$CID" cpu cpu.shares)")" 512
  cri UpdateContainerResources "{\"container_id\": \"$CID\", \"linux\": {\"memory_limit_in_bytes\": 33554432, \"cpu_period\": 100000, \"cpu_quota\": 20000, \"cpu_shares\": 256}}"
  assert_cri_ok
  assert_equal "$(cat "$(cgroup_file "$CID" memory memory.limit_in_bytes)")" 33554432
  assert_equal "$(cat "$(cgroup_file "$CID" cpu cpu.cfs_quota_us)")" 20000
  assert_equal "$(cat "$(cgroup_file "$CID" cpu cpu.shares)")" 256
  cri_status "$CID"
  assert_json '.status.state == "CONTAINER_RUNNING" and .status.resources.linux.memory_limit_in_bytes == "33554432" and .status.resources.linux.cpu_quota == "20000"'
}

@test "StopPodSandbox and RemovePodSandbox: in time; no container, netns, mount, cgroup, state or process left" {
  cri_run_pod "$POD"
  local podpid netns ids=() pids=() t0 took id
  podpid=$(cri_pod_pid "$POD_ID")
  cri_pod_status "$POD_ID"
  netns=$(jq -r '.info.info | fromjson | .runtimeSpec.linux.namespaces[] | select(.type == "network") | .path' <<<"$output")
  cri_run_ctr term '["sh", "-c", "trap \"exit 7\" TERM; echo ready; while :; do sleep 0.1; done"]'
  ids+=("$CID")
  pids+=("$(cri_pid "$CID")")
  cri_run_ctr ignore '["sleep", "1000"]'
  ids+=("$CID")
  pids+=("$(cri_pid "$CID")")
  cri_wait_log term ready
  t0=$(now)
  cri StopPodSandbox "{\"pod_sandbox_id\": \"$POD_ID\"}"
  took=$(elapsed "$t0")
  assert_cri_ok
  echo "# StopPodSandbox with two running containers: ${took} s" >&3
  # (it kills the containers: the kubelet stops them with their grace first)
  awk -v t="$took" 'BEGIN { exit !(t < 10) }' || fail "StopPodSandbox took $took s"
  cri_pod_status "$POD_ID"
  assert_json '.status.state == "SANDBOX_NOTREADY"'
  for id in "${ids[@]}"; do
    cri_status "$id"
    assert_container_status CONTAINER_EXITED 137 Error
  done
  ! e2e_alive "$podpid" || fail "the sandbox process $podpid is still alive"
  ! grep -qF " $netns " /proc/self/mountinfo || fail "the pod's netns $netns is still mounted"
  t0=$(now)
  cri RemovePodSandbox "{\"pod_sandbox_id\": \"$POD_ID\"}"
  took=$(elapsed "$t0")
  assert_cri_ok
  echo "# RemovePodSandbox: ${took} s" >&3
  awk -v t="$took" 'BEGIN { exit !(t < 10) }' || fail "RemovePodSandbox took $took s"
  cri PodSandboxStatus "{\"pod_sandbox_id\": \"$POD_ID\"}"
  assert_equal "$status" 1
  assert_json '.error.code == "NOT_FOUND"'
  for id in "${ids[@]}"; do
    cri ContainerStatus "{\"container_id\": \"$id\"}"
    assert_json '.error.code == "NOT_FOUND"'
  done
  assert_gone_from_host "$POD_ID" "$podpid"
  for id in 0 1; do
    assert_gone_from_host "${ids[$id]}" "${pids[$id]}"
  done
  ! grep -qF "$POD_ID" /proc/self/mountinfo || fail "a mount of the pod is left: $(grep -F "$POD_ID" /proc/self/mountinfo)"
  [ ! -e "$netns" ] || fail "the pod's netns file $netns is left"
  # The pod's shim ends once its last container is deleted, and removes
  # its socket.
  e2e_wait_for 10 eval '[ -z "$(e2e_pids_mentioning "$POD_ID")" ]' ||
    fail "processes of the pod are left: $(e2e_pids_mentioning "$POD_ID")"
  e2e_wait_for 5 eval '[ ! -e "$(cri_shim_socket "$POD_ID")" ]' ||
    fail "the pod's shim socket $(cri_shim_socket "$POD_ID") is left"
}

@test "afterwards: no pod, runtime state, cgroup, mount, process or host change left" {
  local d left id
  cri ListPodSandbox
  assert_cri_ok
  assert_json '.items == []'
  cri ListContainers
  assert_cri_ok
  assert_json '.containers == []'
  # The runtime's state root has no container.
  left=$(ls -A "$RTROOT" 2>/dev/null)
  [ -z "$left" ] || fail "left in the runtime root $RTROOT: $left"
  # No cgroup below the pods' cgroup parent, no process in it.
  for d in /sys/fs/cgroup/*/"$E2E_NAME"; do
    [ -d "$d" ] || continue
    left=$(find "$d" -mindepth 1 -type d)
    [ -z "$left" ] || fail "cgroups left: $left"
    [ ! -s "$d/cgroup.procs" ] || fail "processes left in $d: $(cat "$d/cgroup.procs")"
  done
  # No mount below the scratch dir (rootfs, shm, netns).
  left=$(awk -v d="$E2E_DIR/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo)
  [ -z "$left" ] || fail "mounts left: $left"
  # No process of ours but containerd (shims end with their pods).
  e2e_wait_for 10 eval '[ "$(e2e_pids_mentioning "$E2E_DIR/" | grep -vx "$E2E_CTRD_PID")" = "" ]' ||
    fail "processes left: $(for p in $(e2e_pids_mentioning "$E2E_DIR/" | grep -vx "$E2E_CTRD_PID"); do tr '\0' ' ' <"/proc/$p/cmdline"; echo; done)"
  # No shim socket (in /run/containerd/s, whatever the config says).
  for id in $(cat "$E2E_DIR/pod-ids"); do
    [ ! -e "$(cri_shim_socket "$id")" ] || fail "the shim socket of pod $id is left: $(cri_shim_socket "$id")"
  done
  # No CNI result cached for a pod (CNI DEL removes them).
  for id in $(cat "$E2E_DIR/pod-ids"); do
    for d in /var/lib/cni/results/*-"$id"-*; do
      [ ! -e "$d" ] || fail "a CNI result is left: $d"
    done
  done
  run host_fingerprint
  diff -u "$E2E_HOST_BEFORE" - <<<"$output" >&2 || fail "the host changed (see the diff)"
}
