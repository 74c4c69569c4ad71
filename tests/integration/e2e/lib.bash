# Helpers for the end-to-end tests (e2e-containerd.bats, e2e-podman.bats):
# hrun ("$HRUN_BIN") as the runtime of a real containerd (through its runc
# v2 shim) and of a real podman + conmon, offline, on a busybox image that
# e2e/mkimage.sh builds.
#
# Every test file works in its own scratch dir (/tmp/hrun-e2e-*.XXXXXX, short
# enough for unix socket paths) and with names made from it (containerd
# namespace, podman cgroup parent, container names), so that runs do not
# see each other's containers and the cleanup only touches what the run
# started: daemons are stopped by their PID, leftovers are found by the
# scratch path in their command line or by the run's own cgroup.

# Seconds a client command (ctr, podman, script) may take before it fails.
E2E_TIMEOUT=${E2E_TIMEOUT:-60}
E2E_IMAGE=localhost/hrun-e2e:latest
E2E_MKIMAGE=$BATS_TEST_DIRNAME/e2e/mkimage.sh

# --- preconditions --------------------------------------------------------

# e2e_require CMD...: fails (never skips) when a command is missing.
e2e_require() {
  local c pkg missing=
  for c in "$@"; do
    command -v "$c" >/dev/null 2>&1 && continue
    case $c in
      containerd | ctr | containerd-shim-runc-v2) pkg=containerd ;;
      podman) pkg=podman ;;
      conmon) pkg=conmon ;;
      script) pkg=bsdutils ;;
      prlimit | mountpoint) pkg=util-linux ;;
      timeout | sha256sum) pkg=coreutils ;;
      *) pkg=$c ;;
    esac
    missing+=" $c (Debian package $pkg)"
  done
  [ -z "$missing" ] || { fail "e2e: missing:$missing; make deps installs them"; return 1; }
}

# e2e_require_runtime: HRUN_BIN as an absolute path (podman and the shim run
# it from other directories), and usable.
e2e_require_runtime() {
  case $HRUN_BIN in /*) ;; *) HRUN_BIN=$PWD/$HRUN_BIN ;; esac
  export HRUN_BIN
  [ -f "$HRUN_BIN" ] && [ -x "$HRUN_BIN" ] ||
    { fail "e2e: the runtime $HRUN_BIN is not an executable file (make builds ./hrun)"; return 1; }
  [ "$(id -u)" = 0 ] || { fail "e2e: the end-to-end tests need root"; return 1; }
}

# --- running clients ------------------------------------------------------

# e2e_close_fds: closes every fd > 2 of the current shell. Only in a
# subshell that then execs: a daemon started with bats' fd 3 (or the pipe of
# a $(...)) open would keep bats or the caller waiting for its end.
e2e_close_fds() {
  local fd
  for fd in /proc/$BASHPID/fd/*; do
    fd=${fd##*/}
    [ "$fd" -gt 2 ] 2>/dev/null || continue
    { exec {fd}>&-; } 2>/dev/null
  done
}

# e2e_exec CMD...: runs CMD with stdin /dev/null (or the file $E2E_STDIN),
# fds > 2 closed, and a timeout (status 124 when it expires).
e2e_exec() {
  (
    e2e_close_fds
    exec timeout -k 5 "$E2E_TIMEOUT" "$@" <"${E2E_STDIN:-/dev/null}"
  )
}

# e2e_run CMD...: bats' `run` for client commands: sets $status, $output
# and $lines. The output (stdout and stderr) goes through a file, not a pipe,
# so that a process the client leaves behind cannot hold it open. The
# command line goes to stderr, which bats shows when the test fails.
e2e_run() {
  local out
  out=$(mktemp "${BATS_TEST_TMPDIR:-$BATS_FILE_TMPDIR}/e2e-out.XXXXXX")
  printf '$ %s\n' "$*" >&2
  status=0
  e2e_exec "$@" >"$out" 2>&1 || status=$?
  output=$(<"$out")
  [ "$status" != 124 ] || output+=$'\n'"(e2e: timed out after ${E2E_TIMEOUT}s)"
  lines=()
  [ -z "$output" ] || mapfile -t lines <<<"$output"
  printf '%s\n' "$output" | sed 's/^/  | /' >&2
  return 0
}

# e2e_pty_run CMD...: e2e_run of CMD with a pty as its stdin/stdout/stderr
# (script(1)); for the -t tests, whose clients insist on a terminal.
e2e_pty_run() {
  local cmdline
  # --foreground: script(1) runs CMD through $SHELL -c; a shell that forks
  # (dash, when CI has no SHELL) would leave a plain timeout in a process
  # group of its own, in the background of the pty, where the client's
  # switch to raw mode stops it with SIGTTOU.
  printf -v cmdline '%q ' timeout --foreground -k 5 "$E2E_TIMEOUT" "$@"
  # (the inner timeout first: CMD is in the pty's session, not in ours)
  local E2E_TIMEOUT=$((E2E_TIMEOUT + 10))
  e2e_run script -qec "$cmdline" /dev/null
}

# e2e_wait_for SECONDS CMD...: polls CMD every 0.1 s until it succeeds, for
# about SECONDS at most.
e2e_wait_for() {
  local end=$((SECONDS + $1))
  shift
  until "$@"; do
    [ "$SECONDS" -lt "$end" ] || return 1
    sleep 0.1
  done
}

# --- assertions -----------------------------------------------------------

# assert_std_fds_only [EXTRA_RE]: $output is `ls -l` of a /proc/PID/fd:
# fds 0, 1 and 2 only (each a pipe, /dev/null or a pty), and, given
# EXTRA_RE, at most one more fd whose target matches it (the directory
# `ls /proc/self/fd` itself opens).
assert_std_fds_only() {
  local extra_re=${1:-} fd target std=0 extras=0 line
  for line in "${lines[@]}"; do
    [[ $line == *' -> '* ]] || continue
    target=${line##* -> }
    fd=${line% -> *}
    fd=${fd##* }
    case $fd in
      0 | 1 | 2)
        [[ $target =~ ^(pipe:\[[0-9]+\]|/dev/null|/dev/pts/[0-9]+|/dev/console)$ ]] ||
          { fail "fd $fd of the container process is $target, not a pipe, /dev/null or a pty: $output"; return 1; }
        std=$((std + 1))
        ;;
      *)
        if [ -n "$extra_re" ] && [[ $target =~ $extra_re ]] && [ $extras = 0 ]; then
          extras=1
        else
          fail "fd $fd ($target) leaked into the container: $output"
          return 1
        fi
        ;;
    esac
  done
  [ $std = 3 ] || { fail "expected fds 0, 1 and 2 in: $output"; return 1; }
}

# assert_own_namespaces NS... : $lines[i] (readlink /proc/self/ns/NS inside
# the container, from $2 on at index $1) differ from the host's.
assert_own_namespaces() {
  local i=$1 ns
  shift
  for ns in "$@"; do
    [ -n "${lines[$i]:-}" ] || { fail "no $ns namespace line in: $output"; return 1; }
    [ "${lines[$i]}" != "$(readlink /proc/$$/ns/"$ns")" ] ||
      { fail "the container shares the host's $ns namespace (${lines[$i]}): $output"; return 1; }
    i=$((i + 1))
  done
}

# --- processes, mounts, cgroups -------------------------------------------

# e2e_alive PID: the process exists and is not a zombie.
e2e_alive() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [ "${stat%% *}" != Z ]
}

# e2e_stop_pid PID [SECONDS]: SIGTERM, then SIGKILL after SECONDS (10).
e2e_stop_pid() {
  local pid=$1 secs=${2:-10} i
  [ -n "$pid" ] && e2e_alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < secs * 10; i++)); do
    e2e_alive "$pid" || return 0
    sleep 0.1
  done
  echo "e2e: pid $pid ($(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)) ignored SIGTERM; SIGKILL" >&2
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    e2e_alive "$pid" || return 0
    sleep 0.1
  done
}

# e2e_pids_mentioning STRING...: the processes (but this shell) with an
# argument that contains one of the STRINGs. No fork per process.
e2e_pids_mentioning() {
  local p arg s args
  for p in /proc/[0-9]*; do
    p=${p#/proc/}
    [ "$p" = $$ ] || [ "$p" = "$BASHPID" ] && continue
    mapfile -d '' args 2>/dev/null <"/proc/$p/cmdline" || continue
    for arg in "${args[@]}"; do
      for s in "$@"; do
        [[ $arg == *"$s"* ]] && { echo "$p"; continue 3; }
      done
    done
  done
}

# e2e_stop_leftovers SECONDS STRING...: waits up to SECONDS for the processes
# whose command line holds a STRING (this run's unique scratch path, its
# container ids) to end, then stops the rest by PID.
e2e_stop_leftovers() {
  local secs=$1 pid i
  shift
  [ $# -gt 0 ] || return 0
  for ((i = 0; i < secs * 10; i++)); do
    [ -n "$(e2e_pids_mentioning "$@")" ] || return 0
    sleep 0.1
  done
  for pid in $(e2e_pids_mentioning "$@"); do
    echo "e2e: stopping leftover $pid: $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" >&2
    e2e_stop_pid "$pid" 5
  done
}

# e2e_cgroup_procs REL: the pids in the cgroup REL (and below) of every
# hierarchy.
e2e_cgroup_procs() {
  find /sys/fs/cgroup/*/"$1" /sys/fs/cgroup/"$1" -name cgroup.procs -exec cat {} + 2>/dev/null
}

e2e_cgroup_empty() {
  [ -z "$(e2e_cgroup_procs "$1")" ]
}

# e2e_kill_cgroup REL: SIGKILL to every process in the cgroup REL (and
# below) of every hierarchy: what a run left there was started by it. Then
# waits (5 s at most) for the cgroups to empty, so that they can go.
e2e_kill_cgroup() {
  local rel=${1#/} pid
  [ -n "$rel" ] || return 0
  e2e_cgroup_procs "$rel" |
    while read -r pid; do
      kill -KILL "$pid" 2>/dev/null || true
    done
  e2e_wait_for 5 e2e_cgroup_empty "$rel" ||
    echo "e2e: processes left in cgroup $rel: $(e2e_cgroup_procs "$rel" | tr '\n' ' ')" >&2
}

# e2e_rm_cgroup REL: removes the cgroup REL and what is below it from every
# hierarchy, deepest first. rmdir only removes empty cgroups; podman's
# cgroupfs manager also makes plain tmpfs directories for controllers that
# are not mounted (hugetlb, net_cls, ... on this hybrid host): rm -r.
e2e_rm_cgroup() {
  local rel=${1#/} d
  [ -n "$rel" ] || return 0
  for d in /sys/fs/cgroup/*/"$rel" /sys/fs/cgroup/"$rel"; do
    [ -d "$d" ] || continue
    case $(stat -f -c %T "$d") in
      cgroupfs | cgroup2fs) find "$d" -depth -type d -exec rmdir {} + 2>/dev/null ;;
      tmpfs) rm -rf --one-file-system -- "$d" ;;
    esac
    [ ! -d "$d" ] || echo "e2e: could not remove cgroup $d" >&2
  done
  return 0
}

# e2e_cgroup_top: the entries of /sys/fs/cgroup, one line (to notice the
# ones a run adds).
e2e_cgroup_top() {
  ls -A /sys/fs/cgroup | tr '\n' ' '
}

# e2e_rm_new_cgroup_top BEFORE: removes the empty plain directories that
# appeared in /sys/fs/cgroup since BEFORE (e2e_cgroup_top).
e2e_rm_new_cgroup_top() {
  local d
  for d in /sys/fs/cgroup/*; do
    [[ " $1 " == *" ${d##*/} "* ]] && continue
    mountpoint -q "$d" && continue
    [ "$(stat -f -c %T "$d")" = tmpfs ] || continue
    rmdir "$d" 2>/dev/null || true
  done
}

# e2e_umount_below DIR: unmounts DIR and everything mounted below it,
# deepest first.
e2e_umount_below() {
  local mp
  awk -v d="$1" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo |
    sort -r | while read -r mp; do
    umount "$mp" 2>/dev/null || umount -l "$mp" 2>/dev/null ||
      echo "e2e: could not unmount $mp" >&2
  done
}

# e2e_scratch NAME: a new scratch dir /tmp/hrun-e2e-NAME.XXXXXX.
e2e_scratch() {
  mktemp -d "/tmp/hrun-e2e-$1.XXXXXX"
}

# e2e_rm_scratch DIR: unmounts what is below DIR, then removes it without
# crossing into another file system.
e2e_rm_scratch() {
  local d=$1
  [ -n "$d" ] && [ -d "$d" ] || return 0
  case $d in /tmp/hrun-e2e-*) ;; *) echo "e2e: not removing $d" >&2; return 1 ;; esac
  # (a mount may still be busy a moment after a run: retried, then shown)
  e2e_wait_for 5 e2e_rm_tree "$d" || { e2e_umount_below "$d"; rm -rf --one-file-system -- "$d"; }
}

e2e_rm_tree() {
  e2e_umount_below "$1"
  rm -rf --one-file-system -- "$1" 2>/dev/null
}

# e2e_absent PATH...: prints the PATHs that do not exist (to remove them
# again at the end with e2e_rmdir_if_empty, if nothing else uses them).
e2e_absent() {
  local p
  for p in "$@"; do
    [ -e "$p" ] || printf '%s ' "$p"
  done
}

# e2e_rmdir_if_empty DIR...: rmdir, in the reverse order (deepest last given).
e2e_rmdir_if_empty() {
  local i dirs=("$@")
  for ((i = ${#dirs[@]} - 1; i >= 0; i--)); do
    [ -d "${dirs[$i]}" ] && rmdir "${dirs[$i]}" 2>/dev/null
  done
  return 0
}

# --- the image --------------------------------------------------------------

# e2e_build_image DIR: the image archives in DIR (rootfs.tar, image.oci.tar).
e2e_build_image() {
  "$E2E_MKIMAGE" "$1" "$E2E_IMAGE" >&2 || fail "e2e: mkimage.sh failed"
}

# --- containerd -------------------------------------------------------------
# E2E_DIR (scratch), E2E_SOCK, E2E_NS (namespace, also the cgroup parent
# ctr gives containers: /<namespace>/<id>), E2E_CTRD_PID, E2E_SNAPSHOTTER.

# e2e_containerd_config [PLUGIN...]: the top of a containerd config whose
# root, state, sockets and opt dir are in $E2E_DIR, with no TCP, debug or
# metrics listener; the grpc plugins named (cri) are disabled too.
e2e_containerd_config() {
  local p
  cat <<EOF
version = 2
root = "$E2E_DIR/root"
state = "$E2E_DIR/state"
disabled_plugins = [
EOF
  for p in "$@"; do
    echo "  \"io.containerd.grpc.v1.$p\","
  done
  cat <<EOF
  "io.containerd.snapshotter.v1.aufs",
  "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.snapshotter.v1.zfs",
  "io.containerd.tracing.processor.v1.otlp",
  "io.containerd.internal.v1.tracing",
]

[grpc]
  address = "$E2E_SOCK"

[ttrpc]
  address = "$E2E_SOCK.ttrpc"

[debug]
  address = ""

[metrics]
  address = ""

[plugins."io.containerd.internal.v1.opt"]
  path = "$E2E_DIR/opt"
EOF
}

# e2e_containerd_start: a containerd whose config, root, state and sockets
# are in $E2E_DIR; no CRI, no TCP, debug or metrics listener.
e2e_containerd_start() {
  local i
  E2E_SOCK=$E2E_DIR/containerd.sock
  e2e_containerd_config cri >"$E2E_DIR/containerd.toml"
  # A subshell that forks and ends: containerd is reparented (and reaped
  # by init), with none of bats' fds.
  (
    e2e_close_fds
    containerd --config "$E2E_DIR/containerd.toml" --log-level info \
      </dev/null >"$E2E_DIR/containerd.log" 2>&1 &
    echo $! >"$E2E_DIR/containerd.pid"
  )
  E2E_CTRD_PID=$(<"$E2E_DIR/containerd.pid")
  for ((i = 0; i < 200; i++)); do
    e2e_alive "$E2E_CTRD_PID" ||
      { fail "e2e: containerd exited at start: $(tail -n 20 "$E2E_DIR/containerd.log")"; return 1; }
    [ -S "$E2E_SOCK" ] && e2e_ctr_q version >/dev/null 2>&1 && break
    sleep 0.1
  done
  e2e_ctr_q version >/dev/null ||
    fail "e2e: containerd is not answering on $E2E_SOCK: $(tail -n 20 "$E2E_DIR/containerd.log")"
  # overlayfs when the kernel and the file system of $E2E_DIR allow it.
  E2E_SNAPSHOTTER=native
  if e2e_ctr_q plugins ls | awk '$2 == "overlayfs" && $4 == "ok" { ok = 1 } END { exit !ok }'; then
    E2E_SNAPSHOTTER=overlayfs
  fi
  export E2E_SOCK E2E_CTRD_PID E2E_SNAPSHOTTER
}

# e2e_ctr_q ARGS...: ctr against our containerd and namespace, for $(...).
e2e_ctr_q() {
  e2e_exec ctr --address "$E2E_SOCK" --namespace "$E2E_NS" "$@"
}

# e2e_ctr ARGS...: e2e_run of ctr.
e2e_ctr() {
  e2e_run ctr --address "$E2E_SOCK" --namespace "$E2E_NS" "$@"
}

# e2e_task_status ID: RUNNING, PAUSED, STOPPED, ... as `ctr tasks ls` says.
e2e_task_status() {
  e2e_ctr_q tasks ls 2>/dev/null | awk -v id="$1" '$1 == id { print $3 }'
}
e2e_task_is() {
  [ "$(e2e_task_status "$1")" = "$2" ]
}
e2e_task_is_not() {
  [ "$(e2e_task_status "$1")" != "$2" ]
}

# e2e_ctr_clean: removes every task and container of our namespace.
e2e_ctr_clean() {
  local id E2E_TIMEOUT=10
  e2e_alive "${E2E_CTRD_PID:-}" || return 0
  # A runtime call that hangs (its --log is below $E2E_DIR/state/) would
  # block the shim's every other call.
  e2e_stop_leftovers 0 "$E2E_DIR/state/"
  for id in $(e2e_ctr_q tasks ls -q 2>/dev/null); do
    # A frozen task would keep SIGKILL pending.
    e2e_ctr_q tasks resume "$id" >/dev/null 2>&1
    e2e_ctr_q tasks kill -a -s SIGKILL "$id" >/dev/null 2>&1
    e2e_wait_for 5 e2e_task_is_not "$id" RUNNING
    e2e_ctr_q tasks delete -f "$id" >/dev/null 2>&1
  done
  for id in $(e2e_ctr_q containers ls -q 2>/dev/null); do
    e2e_ctr_q containers delete "$id" >/dev/null 2>&1
  done
  return 0
}

# e2e_containerd_stop: everything e2e_containerd_start and the tests made.
e2e_containerd_stop() {
  [ -n "${E2E_DIR:-}" ] || return 0
  e2e_ctr_clean
  e2e_stop_pid "${E2E_CTRD_PID:-}" 10
  # Shims (their argv has -address $E2E_SOCK) and whatever they left.
  e2e_stop_leftovers 2 "$E2E_DIR/"
  e2e_kill_cgroup "/$E2E_NS"
  e2e_rm_cgroup "/$E2E_NS"
  # The shim gives the runtime --root /run/containerd/runc/<namespace>.
  rm -rf --one-file-system "/run/containerd/runc/$E2E_NS" "/run/containerd/fifo/$E2E_NS"
  # shellcheck disable=SC2086
  e2e_rmdir_if_empty ${E2E_ABSENT_DIRS:-}
  e2e_rm_scratch "$E2E_DIR"
}

# --- podman -----------------------------------------------------------------
# E2E_DIR (scratch: root, runroot, tmp, configs), E2E_CGROUP_PARENT.

# e2e_podman_setup: the private configuration. CONTAINERS_CONF replaces
# every system containers.conf, so what podman needs here is all in it.
e2e_podman_setup() {
  local hn hu ulimits='' name
  name=$(basename "$HRUN_BIN")
  mkdir -p "$E2E_DIR/tmp" "$E2E_DIR/networks" "$E2E_DIR/no-hooks" "$E2E_DIR/no-cni"
  # podman's default rlimits (nofile, nproc 1048576) need CAP_SYS_RESOURCE,
  # which this host's bounding set may lack: then the runtime fails with
  # "setrlimit: operation not permitted". Use what can be granted (podman
  # lowers its own nproc limit to 32768).
  if ! prlimit --nofile=1048576:1048576 --nproc=1048576:1048576 true 2>/dev/null; then
    hn=$(ulimit -Hn)
    hu=$(ulimit -Hu)
    [ "$hn" != unlimited ] || hn=1048576
    if [ "$hu" = unlimited ] || [ "$hu" -gt 32768 ]; then hu=32768; fi
    ulimits="default_ulimits = [\"nofile=$hn:$hn\", \"nproc=$hu:$hu\"]"
  fi
  cat >"$E2E_DIR/containers.conf" <<EOF
[containers]
default_capabilities = ["CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL",
  "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"]
default_sysctls = ["net.ipv4.ping_group_range=0 0"]
log_driver = "k8s-file"
netns = "none"
$ulimits

[network]
# netavark makes /run/containers/networks even for --network=none; cni
# with --network=none runs no plugin (none installed is fine).
network_backend = "cni"
network_config_dir = "$E2E_DIR/networks"
cni_plugin_dirs = ["$E2E_DIR/no-cni"]

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
hooks_dir = ["$E2E_DIR/no-hooks"]
image_copy_tmp_dir = "$E2E_DIR/tmp"
# The default SHM lock segment is shared by every podman on the host.
lock_type = "file"
# Runtimes named here get --log-format=json --log FILE from conmon.
runtime_supports_json = ["crun", "runc", "$name"]
tmp_dir = "$E2E_DIR/tmp"
volume_path = "$E2E_DIR/root/volumes"
EOF
  cat >"$E2E_DIR/storage.conf" <<EOF
[storage]
driver = "vfs"
graphroot = "$E2E_DIR/root"
runroot = "$E2E_DIR/runroot"
EOF
  export CONTAINERS_CONF=$E2E_DIR/containers.conf
  export CONTAINERS_STORAGE_CONF=$E2E_DIR/storage.conf
}

# e2e_podman_argv: podman and its global options, in E2E_PODMAN.
e2e_podman_argv() {
  E2E_PODMAN=(podman --root "$E2E_DIR/root" --runroot "$E2E_DIR/runroot"
    --tmpdir "$E2E_DIR/tmp" --storage-driver vfs --runtime "$HRUN_BIN"
    --cgroup-manager cgroupfs --events-backend file
    --network-config-dir "$E2E_DIR/networks")
}

# e2e_podman ARGS...: e2e_run of podman. e2e_podman_q: for $(...).
e2e_podman() {
  e2e_podman_argv
  e2e_run "${E2E_PODMAN[@]}" "$@"
}
e2e_podman_q() {
  e2e_podman_argv
  e2e_exec "${E2E_PODMAN[@]}" "$@"
}

# The options of every container: no image pull, no network, our cgroup.
e2e_podman_run_opts() {
  # shellcheck disable=SC2034 # (used by the tests)
  E2E_RUN_OPTS=(--pull never --network none --cgroup-parent "$E2E_CGROUP_PARENT")
}

# e2e_podman_clean: removes every container of our store, and stops a
# runtime process left hanging for one of them (podman gives the runtime
# no path of ours, but the container id).
e2e_podman_clean() {
  local ids E2E_TIMEOUT=20
  [ -d "${E2E_DIR:-}/root" ] || return 0
  ids=$(e2e_podman_q ps -a -q --no-trunc 2>/dev/null)
  e2e_podman_q rm -a -f -t 0 >/dev/null 2>&1 || true
  # shellcheck disable=SC2086
  e2e_stop_leftovers 2 $ids
}

# e2e_podman_stop: everything e2e_podman_setup and the tests made.
e2e_podman_stop() {
  local only
  [ -n "${E2E_DIR:-}" ] || return 0
  e2e_podman_clean
  # conmon and `podman container cleanup` have $E2E_DIR paths in their argv.
  e2e_stop_leftovers 5 "$E2E_DIR/"
  e2e_kill_cgroup "$E2E_CGROUP_PARENT"
  e2e_rm_cgroup "$E2E_CGROUP_PARENT"
  e2e_rm_new_cgroup_top "${E2E_CGROUP_TOP:-}"
  # podman load keeps a blob-info cache there, as root, whatever --root is.
  if [ "${E2E_VARLIB_CACHE_NEW:-0}" = 1 ] && [ -d /var/lib/containers/cache ] &&
    only=$(ls -A /var/lib/containers/cache) && [ "$only" = blob-info-cache-v1.boltdb ]; then
    rm -f /var/lib/containers/cache/blob-info-cache-v1.boltdb
  fi
  # shellcheck disable=SC2086
  e2e_rmdir_if_empty ${E2E_ABSENT_DIRS:-}
  e2e_rm_scratch "$E2E_DIR"
}
