# Helpers for the Kubernetes CRI tests (e2e-cri.bats, e2e-cri-transcript.bats):
# a private containerd 1.6 with its CRI plugin, driven through the CRI's
# gRPC API by e2e/cri/cri.py, the way the kubelet drives it, with two
# runtime handlers of type io.containerd.runc.v2: "hrun" (BinaryName
# "$HRUN_BIN") and "runc" (/usr/sbin/runc).
#
# Everything is in the scratch dir $E2E_DIR: containerd's config, root,
# state and sockets; the CNI config (the loopback plugin only: pods have lo
# and nothing else, and no address leaves the host); the pods' network
# namespaces (netns_mounts_under_state_dir, not /var/run/netns); each
# handler's runtime root ($E2E_DIR/rt/<handler>, the shim gives the runtime
# --root $E2E_DIR/rt/<handler>/k8s.io); the container logs. Pods get the
# cgroup parent /$E2E_NAME (cgroupfs), so their cgroups and processes are
# found and removed by that name. The streaming server listens on
# 127.0.0.1 only; no image is pulled (the sandbox image and the busybox
# image are imported beforehand with ctr into the CRI's namespace k8s.io).
#
# Needs lib.bash (load e2e/lib first).

# Debian's python3, whose python3-grpcio and python3-protobuf cri.py uses
# (another python3 may come first in PATH).
E2E_PYTHON=${E2E_PYTHON:-/usr/bin/python3}
CRI_PY=$BATS_TEST_DIRNAME/e2e/cri/cri.py
CRI_PROTO=$BATS_TEST_DIRNAME/e2e/cri/cri.proto
CNI_BIN_DIR=${CNI_BIN_DIR:-/usr/lib/cni}
RUNC_BIN=${RUNC_BIN:-/usr/sbin/runc}
# The pod sandbox ("pause") image: the busybox image whose command waits
# for its end (containerd runs the image's entrypoint and cmd; it stops a
# sandbox with SIGKILL).
E2E_PAUSE_IMAGE=localhost/hrun-e2e-pause:latest
E2E_PAUSE_CMD='["sh", "-c", "trap \"exit 0\" TERM INT; while :; do sleep 1; done"]'
# The runtime handlers' SystemdCgroup option, and the pods' cgroup parent
# (with the systemd driver, a slice as the kubelet's "kubepods-pod<uid>.slice"):
# the VM's engines.bats sets them.
CRI_SYSTEMD_CGROUP=${CRI_SYSTEMD_CGROUP:-false}
CRI_CGROUP_PARENT=${CRI_CGROUP_PARENT:-}
# CRI always works in this containerd namespace.
CRI_NS=k8s.io
# Seconds a CRI call may take (the gRPC deadline): a call that hangs on a
# runtime that misbehaves fails soon enough for the next test to run.
CRI_TIMEOUT=${CRI_TIMEOUT:-20}

# --- preconditions --------------------------------------------------------

# cri_require: what e2e_require checks, and the CRI client's and CNI's own
# needs; fails (never skips) naming the Debian package.
cri_require() {
  local missing=
  e2e_require containerd ctr containerd-shim-runc-v2 jq timeout tar gzip sha256sum mountpoint || return 1
  command -v protoc >/dev/null 2>&1 || missing+=" protoc (Debian package protobuf-compiler)"
  command -v ss >/dev/null 2>&1 || missing+=" ss (Debian package iproute2)"
  [ -x "$E2E_PYTHON" ] || missing+=" $E2E_PYTHON (Debian package python3)"
  [ ! -x "$E2E_PYTHON" ] || "$E2E_PYTHON" -c 'import grpc' 2>/dev/null ||
    missing+=" python3 module grpc (Debian package python3-grpcio)"
  [ ! -x "$E2E_PYTHON" ] || "$E2E_PYTHON" -c 'import google.protobuf.json_format' 2>/dev/null ||
    missing+=" python3 module google.protobuf (Debian package python3-protobuf)"
  [ -x "$CNI_BIN_DIR/loopback" ] || missing+=" $CNI_BIN_DIR/loopback (Debian package containernetworking-plugins)"
  [ -x "$RUNC_BIN" ] || missing+=" $RUNC_BIN (Debian package runc)"
  [ -z "$missing" ] || { fail "e2e: missing:$missing; make deps installs them"; return 1; }
}

# --- the images -------------------------------------------------------------

# cri_build_images: the busybox image and the sandbox image, in
# $E2E_DIR/image and $E2E_DIR/pause-image.
cri_build_images() {
  "$E2E_MKIMAGE" "$E2E_DIR/image" "$E2E_IMAGE" >&2 || { fail "e2e: mkimage.sh failed"; return 1; }
  IMAGE_CMD=$E2E_PAUSE_CMD "$E2E_MKIMAGE" "$E2E_DIR/pause-image" "$E2E_PAUSE_IMAGE" >&2 ||
    { fail "e2e: mkimage.sh (sandbox image) failed"; return 1; }
}

# --- containerd with CRI ------------------------------------------------------
# E2E_DIR, E2E_NAME (cgroup parent /$E2E_NAME), E2E_SOCK, E2E_CTRD_PID,
# E2E_SNAPSHOTTER; E2E_NS=k8s.io for lib.bash's ctr helpers.

# cri_cannot_lower_oom_score: a child of ours may not lower its
# oom_score_adj.
cri_cannot_lower_oom_score() {
  local cur
  cur=$(cat /proc/self/oom_score_adj)
  [ "$cur" -gt -1000 ] || return 1
  ! sh -c "echo $((cur - 1)) >/proc/self/oom_score_adj" 2>/dev/null
}

# cri_write_config SNAPSHOTTER: the config. CRI_CONTAINER_ANNOTATIONS (a
# TOML list's items, e.g. "org.example.*") are the container annotations
# CRI passes on into the runtime's config.json (none by default).
cri_write_config() {
  local h
  mkdir -p "$E2E_DIR/cni" "$E2E_DIR/cni-bin" "$E2E_DIR/rt" "$E2E_DIR/certs.d" "$E2E_DIR/logs"
  # The pods' network: the loopback plugin alone (lo up, nothing else).
  # containerd 1.6 sets up a loopback network of its own, then wants the
  # pod's address on "eth0" in the configured network's result
  # (sandbox_run.go: "failed to find network info for sandbox"); go-cni
  # files an address that names no interface under "eth0". So the
  # configured plugin is loopback with its result's addresses naming no
  # interface: the pod's IP is 127.0.0.1, and lo its only interface.
  ln -sf "$CNI_BIN_DIR/loopback" "$E2E_DIR/cni-bin/loopback"
  cat >"$E2E_DIR/cni-bin/hrun-e2e-lo" <<EOF
#!/bin/sh
# The CNI plugin of e2e-cri*.bats: $CNI_BIN_DIR/loopback, the addresses of
# its ADD result naming no interface.
out=\$("$CNI_BIN_DIR/loopback")
rc=\$?
if [ "\$CNI_COMMAND" = ADD ] && [ \$rc = 0 ]; then
  printf '%s\n' "\$out" | "$(command -v jq)" 'del(.ips[]?.interface)'
  exit
fi
printf '%s\n' "\$out"
exit \$rc
EOF
  chmod 755 "$E2E_DIR/cni-bin/hrun-e2e-lo"
  cat >"$E2E_DIR/cni/10-hrun-e2e-lo.conf" <<EOF
{"cniVersion": "0.4.0", "name": "hrun-e2e-lo", "type": "hrun-e2e-lo"}
EOF
  e2e_containerd_config >"$E2E_DIR/containerd.toml"
  cat >>"$E2E_DIR/containerd.toml" <<EOF

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$E2E_PAUSE_IMAGE"
  disable_tcp_service = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_tls_streaming = false
  enable_selinux = false
  disable_apparmor = true
  netns_mounts_under_state_dir = true
  enable_unprivileged_ports = false
  enable_unprivileged_icmp = false
  # The sandbox's oom_score_adj is -998; without CAP_SYS_RESOURCE (some CI
  # hosts' bounding set) no runtime may lower it ("failed to update
  # /proc/self/oom_score_adj: Permission denied"): then no lower than ours.
  restrict_oom_score_adj = $(cri_cannot_lower_oom_score && echo true || echo false)

  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "$1"
    default_runtime_name = "hrun"
EOF
  for h in hrun runc; do
    cat >>"$E2E_DIR/containerd.toml" <<EOF

    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.$h]
      runtime_type = "io.containerd.runc.v2"${CRI_CONTAINER_ANNOTATIONS:+
      container_annotations = [$CRI_CONTAINER_ANNOTATIONS]}
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.$h.options]
        BinaryName = "$(if [ $h = hrun ]; then echo "$HRUN_BIN"; else echo "$RUNC_BIN"; fi)"
        Root = "$E2E_DIR/rt/$h"
        SystemdCgroup = $CRI_SYSTEMD_CGROUP
EOF
  done
  cat >>"$E2E_DIR/containerd.toml" <<EOF

  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$E2E_DIR/cni-bin"
    conf_dir = "$E2E_DIR/cni"
    max_conf_num = 1

  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = "$E2E_DIR/certs.d"
EOF
}

# cri_containerd_launch: starts containerd on $E2E_DIR/containerd.toml and
# waits for its socket.
cri_containerd_launch() {
  local i
  (
    e2e_close_fds
    containerd --config "$E2E_DIR/containerd.toml" --log-level info \
      </dev/null >>"$E2E_DIR/containerd.log" 2>&1 &
    echo $! >"$E2E_DIR/containerd.pid"
  )
  E2E_CTRD_PID=$(<"$E2E_DIR/containerd.pid")
  for ((i = 0; i < 200; i++)); do
    e2e_alive "$E2E_CTRD_PID" ||
      { fail "e2e: containerd exited at start: $(tail -n 20 "$E2E_DIR/containerd.log")"; return 1; }
    [ -S "$E2E_SOCK" ] && e2e_ctr_q version >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  fail "e2e: containerd is not answering on $E2E_SOCK: $(tail -n 20 "$E2E_DIR/containerd.log")"
}

# cri_containerd_start: the private containerd with CRI; the protobuf
# module for cri.py; the images imported; CRI's status says ready.
cri_containerd_start() {
  local i
  E2E_SOCK=$E2E_DIR/containerd.sock
  E2E_NS=$CRI_NS
  CRI_PB=$E2E_DIR/pb
  export E2E_SOCK E2E_NS CRI_PB
  mkdir -p "$CRI_PB"
  protoc --python_out="$CRI_PB" -I "$(dirname "$CRI_PROTO")" "$(basename "$CRI_PROTO")" ||
    { fail "e2e: protoc failed on $CRI_PROTO"; return 1; }
  cri_write_config overlayfs
  cri_containerd_launch || return 1
  # overlayfs when the kernel and the file system of $E2E_DIR allow it;
  # the CRI snapshotter is in the config: restart with native otherwise.
  E2E_SNAPSHOTTER=overlayfs
  if ! e2e_ctr_q plugins ls | awk '$2 == "overlayfs" && $4 == "ok" { ok = 1 } END { exit !ok }'; then
    E2E_SNAPSHOTTER=native
    e2e_stop_pid "$E2E_CTRD_PID" 10
    cri_write_config native
    cri_containerd_launch || return 1
  fi
  export E2E_CTRD_PID E2E_SNAPSHOTTER
  e2e_ctr images import --snapshotter "$E2E_SNAPSHOTTER" "$E2E_DIR/image/image.oci.tar"
  assert_success
  e2e_ctr images import --snapshotter "$E2E_SNAPSHOTTER" "$E2E_DIR/pause-image/image.oci.tar"
  assert_success
  # The CRI plugin learns of imported images from containerd's events.
  for ((i = 0; i < 100; i++)); do
    cri_q ImageStatus "{\"image\": {\"image\": \"$E2E_PAUSE_IMAGE\"}}" |
      jq -e '.image.id != ""' >/dev/null 2>&1 &&
      cri_q ImageStatus "{\"image\": {\"image\": \"$E2E_IMAGE\"}}" |
      jq -e '.image.id != ""' >/dev/null 2>&1 && break
    sleep 0.1
  done
  cri Status '{"verbose": false}'
  assert_success
  jq -e '[.status.conditions[] | select(.status)] | map(.type) | index("RuntimeReady") and index("NetworkReady")' \
    <<<"$output" >/dev/null || fail "e2e: CRI is not ready: $output"
  cri ImageStatus "{\"image\": {\"image\": \"$E2E_PAUSE_IMAGE\"}}"
  assert_success
  jq -e '.image.id != ""' <<<"$output" >/dev/null || fail "e2e: CRI does not see $E2E_PAUSE_IMAGE: $output"
}

# cri_clean: stops and removes every pod (and so every container) through
# CRI, then whatever is left through ctr (lib.bash, in namespace k8s.io).
cri_clean() {
  local out E2E_TIMEOUT=120
  e2e_alive "${E2E_CTRD_PID:-}" || return 0
  # A runtime call that hangs (its --log is below $E2E_DIR/state/) would
  # block the shim's every other call.
  e2e_stop_leftovers 0 "$E2E_DIR/state/"
  # One process (cri.py's start costs about 0.3 s), 10 s a call.
  out=$(e2e_exec "$E2E_PYTHON" "$CRI_PY" --socket "$E2E_SOCK" --pb "$CRI_PB" --timeout 10 clean 2>&1) ||
    echo "e2e: could not remove every pod: $out" >&2
  e2e_ctr_clean
}

# cri_containerd_stop: everything cri_containerd_start and the tests made.
cri_containerd_stop() {
  local id sock
  [ -n "${E2E_DIR:-}" ] || return 0
  cri_clean
  e2e_stop_pid "${E2E_CTRD_PID:-}" 10
  # Shims (their argv has -address $E2E_SOCK) and whatever they left.
  e2e_stop_leftovers 2 "$E2E_DIR/"
  # What a pod whose stop failed leaves outside $E2E_DIR: the socket of its
  # shim, had that to be killed, and the CNI results libcni caches in
  # /var/lib/cni/results/<network>-<pod id>-<ifname> until the CNI DEL
  # (containerd 1.6 has no setting for that directory).
  for id in $(cat "$E2E_DIR/pod-ids" 2>/dev/null); do
    sock=$(cri_shim_socket "$id")
    [ ! -S "$sock" ] || rm -f "$sock"
    rm -f /var/lib/cni/results/hrun-e2e-lo-"$id"-eth0 /var/lib/cni/results/cni-loopback-"$id"-lo
  done
  e2e_kill_cgroup "/$E2E_NAME"
  e2e_rm_cgroup "/$E2E_NAME"
  e2e_rm_new_cgroup_top "${E2E_CGROUP_TOP:-}"
  # (libcni's cache directories, /run/containerd/s, when we made them)
  # shellcheck disable=SC2086
  e2e_rmdir_if_empty ${E2E_ABSENT_DIRS:-}
  e2e_rm_scratch "$E2E_DIR"
}

# cri_setup_file NAME: the whole file set-up: checks, scratch dir, images,
# containerd.
cri_setup_file() {
  cri_require || return 1
  e2e_require_runtime || return 1
  E2E_DIR=$(e2e_scratch "$1")
  # e.g. hrun-e2e-cri-Ab12Cd: the pods' cgroup parent and name prefix.
  E2E_NAME=$(basename "$E2E_DIR" | tr -c 'A-Za-z0-9\n' '-')
  E2E_CGROUP_TOP=$(e2e_cgroup_top)
  E2E_ABSENT_DIRS=$(e2e_absent /run/containerd /run/containerd/s /var/lib/cni /var/lib/cni/results)
  export E2E_DIR E2E_NAME E2E_CGROUP_TOP E2E_ABSENT_DIRS
  cri_build_images || return 1
  cri_containerd_start
}

# --- the CRI client -----------------------------------------------------------

# cri METHOD [JSON]: e2e_run of cri.py: $status, $output (the response's
# JSON; stdout only, stderr goes to bats' stderr), $lines.
cri() {
  local out err
  out=$(mktemp "${BATS_TEST_TMPDIR:-$BATS_FILE_TMPDIR}/cri-out.XXXXXX")
  err=$out.err
  printf '$ cri %s\n' "$*" >&2
  status=0
  cri_q "$@" >"$out" 2>"$err" || status=$?
  output=$(<"$out")
  [ "$status" != 124 ] || output+=$'\n'"(e2e: killed after $((CRI_TIMEOUT + 10))s)"
  lines=()
  [ -z "$output" ] || mapfile -t lines <<<"$output"
  printf '%s\n' "$output" | sed 's/^/  | /' >&2
  [ ! -s "$err" ] || sed 's/^/  ! /' "$err" >&2
  return 0
}

# cri_q METHOD [JSON]: cri.py for $(...): the response on stdout.
cri_q() {
  local E2E_TIMEOUT=$((CRI_TIMEOUT + 10))
  e2e_exec "$E2E_PYTHON" "$CRI_PY" --socket "$E2E_SOCK" --pb "$CRI_PB" \
    --timeout "$CRI_TIMEOUT" "$@"
}

# assert_json JQ_ARGS... FILTER: $output satisfies the jq FILTER.
assert_json() {
  local filter=${*: -1}
  jq -e "${@:1:$#-1}" "$filter" <<<"$output" >/dev/null ||
    fail "JSON does not satisfy $filter: $output"
}

# assert_cri_ok: the last cri call succeeded.
assert_cri_ok() {
  [ "$status" = 0 ] || fail "the CRI call failed (status $status): $output"
}

# --- pods and containers --------------------------------------------------------

# cri_pod_config NAME [JQ_FILTER]: a PodSandboxConfig as the kubelet would
# send it (own network, pid, ipc namespace options as given), with our
# cgroup parent and a log directory in the scratch dir.
cri_pod_config() {
  local name=$1 filter=${2:-.}
  mkdir -p "$E2E_DIR/logs/$name"
  jq -cn --arg name "$name" --arg uid "uid-$name" --arg cg "${CRI_CGROUP_PARENT:-/$E2E_NAME}" \
    --arg logs "$E2E_DIR/logs/$name" '{
    metadata: {name: $name, uid: $uid, namespace: "hrun-e2e", attempt: 0},
    hostname: "pod",
    log_directory: $logs,
    labels: {"hrun-e2e": "1"},
    linux: {
      cgroup_parent: $cg,
      security_context: {namespace_options: {network: "POD", pid: "CONTAINER", ipc: "POD"}}
    }
  }' | jq -c "$filter"
}

# cri_run_pod NAME [HANDLER] [JQ_FILTER]: RunPodSandbox; sets POD_ID and
# POD_CONFIG (the PodSandboxConfig, CreateContainer sends it again).
cri_run_pod() {
  local name=$1 handler=${2:-hrun}
  POD_CONFIG=$(cri_pod_config "$name" "${3:-.}")
  cri RunPodSandbox "$(jq -cn --argjson c "$POD_CONFIG" --arg h "$handler" '{config: $c, runtime_handler: $h}')"
  assert_cri_ok
  POD_ID=$(jq -r .pod_sandbox_id <<<"$output")
  [[ $POD_ID =~ ^[0-9a-f]{64}$ ]] || { fail "no pod sandbox id: $output"; return 1; }
  echo "$POD_ID" >>"$E2E_DIR/pod-ids"
}

# cri_shim_socket POD_ID: the socket of the pod's shim, which containerd
# 1.6 puts in /run/containerd/s whatever its config says (the sha256 of
# <containerd address>/<namespace>/<pod id>).
cri_shim_socket() {
  printf '/run/containerd/s/%s\n' "$(printf '%s' "$E2E_SOCK/$CRI_NS/$1" | sha256sum | cut -d' ' -f1)"
}

# cri_ctr_config NAME ARGS_JSON [JQ_FILTER]: a ContainerConfig running
# ARGS_JSON (the image's command replaced) in the busybox image.
cri_ctr_config() {
  jq -cn --arg name "$1" --argjson args "$2" --arg image "$E2E_IMAGE" '{
    metadata: {name: $name, attempt: 0},
    image: {image: $image},
    command: $args,
    log_path: ($name + ".log"),
    labels: {"hrun-e2e": "1"},
    linux: {
      resources: {},
      security_context: {namespace_options: {network: "POD", pid: "CONTAINER", ipc: "POD"}}
    }
  }' | jq -c "${3:-.}"
}

# cri_create NAME ARGS_JSON [JQ_FILTER]: CreateContainer in the pod $POD_ID
# (with $POD_CONFIG); sets CID.
cri_create() {
  cri CreateContainer "$(jq -cn --arg pod "$POD_ID" --argjson c "$(cri_ctr_config "$@")" \
    --argjson sc "$POD_CONFIG" '{pod_sandbox_id: $pod, config: $c, sandbox_config: $sc}')"
  assert_cri_ok
  CID=$(jq -r .container_id <<<"$output")
  [[ $CID =~ ^[0-9a-f]{64}$ ]] || fail "no container id: $output"
}

# cri_start ID
cri_start() {
  cri StartContainer "{\"container_id\": \"$1\"}"
  assert_cri_ok
}

# cri_run_ctr NAME ARGS_JSON [JQ_FILTER]: create and start in $POD_ID; CID.
cri_run_ctr() {
  cri_create "$@"
  cri_start "$CID"
}

# cri_status ID: ContainerStatus (verbose: .info.info has the pid).
cri_status() {
  cri ContainerStatus "{\"container_id\": \"$1\", \"verbose\": true}"
}

# cri_pod_status ID: PodSandboxStatus (verbose: .info.info has the pid).
cri_pod_status() {
  cri PodSandboxStatus "{\"pod_sandbox_id\": \"$1\", \"verbose\": true}"
}

# cri_wait ID STATE SECONDS: waits for the container's CRI state; fails
# with the last status.
cri_wait() {
  cri wait "{\"container_id\": \"$1\", \"state\": \"$2\", \"seconds\": $3}"
  [ "$status" = 0 ] || fail "container $1 did not reach $2 in $3 s: $output"
}

# cri_pid ID: the host pid of the container's process (ContainerStatus).
cri_pid() {
  cri_q ContainerStatus "{\"container_id\": \"$1\", \"verbose\": true}" | jq -r '.info.info | fromjson | .pid'
}

# cri_pod_pid ID: the host pid of the pod's sandbox process.
cri_pod_pid() {
  cri_q PodSandboxStatus "{\"pod_sandbox_id\": \"$1\", \"verbose\": true}" | jq -r '.info.info | fromjson | .pid'
}

# json_args ARG...: the ARGs as a JSON array of strings (jq's --args would
# take an ARG such as -c for its own option).
json_args() {
  local i=0 a opts=() refs=()
  for a in "$@"; do
    opts+=(--arg "a$i" "$a")
    refs+=("\$a$i")
    i=$((i + 1))
  done
  jq -cn "${opts[@]}" "[$(IFS=,; echo "${refs[*]}")]"
}

# cri_exec ID ARG...: ExecSync with a timeout of 10 s.
cri_exec() {
  local id=$1
  shift
  cri ExecSync "$(jq -cn --arg id "$id" --argjson cmd "$(json_args "$@")" '{container_id: $id, cmd: $cmd, timeout: 10}')"
}

# now: seconds since the epoch, with microseconds.
now() {
  echo "$EPOCHREALTIME"
}

# elapsed START: seconds since START (now), with two decimals.
elapsed() {
  awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f\n", b - a }'
}

# cgroup_file ID CONTROLLER FILE: the path of FILE in the container's v1
# cgroup (cgroupfs: <cgroup parent>/<id>).
cgroup_file() {
  echo "/sys/fs/cgroup/$2/$E2E_NAME/$1/$3"
}
