# Helpers for the Docker Engine end-to-end tests (e2e-docker.bats,
# e2e-docker-transcript.bats): a private Docker Engine 20.10 (Debian's
# docker.io: /usr/sbin/dockerd and its client /usr/bin/docker, not whatever
# other docker is first in PATH) with "$HRUN_BIN" added as the runtime
# "hrun" and made its default runtime; runc stays available as "runc".
#
# Nothing of it is shared with the host:
# - dockerd's config file, data root, exec root, socket and pid file are in
#   the scratch dir; daemon.json moves the key dockerd would otherwise write
#   to /etc/docker/key.json there;
# - no bridge, no iptables rules, no ip forwarding, no userland proxy;
#   every container runs with --network none and images come from
#   `docker load` only (`run --pull never`; an HTTP(S) proxy on a closed
#   loopback port catches any attempt to reach a registry);
# - containerd is not dockerd's own: the one dockerd would start has the
#   default opt path and creates /opt/containerd. dockerd is given
#   (--containerd) the private containerd of e2e/lib.bash instead, whose
#   root, state, opt dir and socket are in the scratch dir;
# - the containers' cgroups are below a unique --cgroup-parent, /$E2E_NS.
# The daemon and containerd run with PATH=$E2E_DOCKER_PATH, so that the
# runtime "runc", containerd-shim-runc-v2 and docker-init are the Debian
# packages' (/usr/sbin/runc, /usr/bin/...), not an installed hrun or a
# /usr/local copy.

E2E_DOCKER_BIN=/usr/bin/docker
E2E_DOCKERD_BIN=/usr/sbin/dockerd
E2E_DOCKER_PATH=/usr/sbin:/usr/bin:/sbin:/bin

# --- preconditions --------------------------------------------------------

# e2e_docker_require: Debian's Docker Engine 20.10 (package docker.io) and
# what the helpers use; fails (never skips) when something is missing.
e2e_docker_require() {
  local v
  e2e_require containerd ctr containerd-shim-runc-v2 jq script timeout tar gzip sha256sum \
    mountpoint || return 1
  command -v ip >/dev/null || { fail "e2e: missing: ip (Debian package iproute2); make deps installs it"; return 1; }
  [ -x "$E2E_DOCKERD_BIN" ] && [ -x "$E2E_DOCKER_BIN" ] ||
    { fail "e2e: missing $E2E_DOCKERD_BIN or $E2E_DOCKER_BIN (Debian package docker.io); make deps installs it"; return 1; }
  [ -x /usr/sbin/runc ] || { fail "e2e: missing /usr/sbin/runc (Debian package runc)"; return 1; }
  [ -x /usr/bin/docker-init ] ||
    { fail "e2e: missing /usr/bin/docker-init (Debian packages docker.io and tini)"; return 1; }
  v=$("$E2E_DOCKERD_BIN" --version) || { fail "e2e: $E2E_DOCKERD_BIN --version failed"; return 1; }
  [[ $v == 'Docker version 20.10.'* ]] ||
    { fail "e2e: these tests are written for Docker Engine 20.10, not: $v"; return 1; }
}

# --- the daemon ------------------------------------------------------------
# E2E_DIR (scratch), E2E_NS (unique name: the cgroup parent), E2E_SOCK
# (containerd's socket), E2E_DOCKER_SOCK, E2E_DOCKER_EXEC (exec root),
# E2E_DOCKERD_PID, E2E_DOCKER_STORAGE (overlay2 or vfs), E2E_DOCKER_RTROOT
# (the --root dockerd's shim gives the runtimes).

# e2e_docker_start: containerd, then dockerd on it; overlay2 storage when
# the kernel and the file system of $E2E_DIR allow it, vfs otherwise.
e2e_docker_start() {
  local driver
  E2E_DOCKER_SOCK=$E2E_DIR/docker.sock
  # (short: the shim's and libnetwork's sockets are below it)
  E2E_DOCKER_EXEC=$E2E_DIR/x
  E2E_DOCKER_RTROOT=$E2E_DOCKER_EXEC/runtime-runc/moby
  mkdir -p "$E2E_DIR/cli"
  # The client's config dir (it would make ~/.docker), and no ambient
  # DOCKER_HOST, context or TLS settings.
  export DOCKER_CONFIG=$E2E_DIR/cli
  unset DOCKER_HOST DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH
  PATH=$E2E_DOCKER_PATH e2e_containerd_start || return 1
  jq -n --arg key "$E2E_DIR/key.json" '{"deprecated-key-path": $key}' >"$E2E_DIR/daemon.json"
  for driver in overlay2 vfs; do
    e2e_dockerd_spawn "$driver" && break
    echo "e2e: dockerd with --storage-driver=$driver did not start: $(tail -n 5 "$E2E_DIR/dockerd-$driver.log")" >&2
    e2e_stop_pid "${E2E_DOCKERD_PID:-}" 10
    E2E_DOCKERD_PID=
  done
  [ -n "${E2E_DOCKERD_PID:-}" ] ||
    { fail "e2e: dockerd did not start with overlay2 nor vfs storage (logs in $E2E_DIR)"; return 1; }
  E2E_DOCKER_STORAGE=$driver
  echo "# dockerd $E2E_DOCKERD_PID on $E2E_DOCKER_SOCK, storage $driver, default runtime hrun=$HRUN_BIN" >&3
  export E2E_DOCKER_SOCK E2E_DOCKER_EXEC E2E_DOCKER_RTROOT E2E_DOCKERD_PID E2E_DOCKER_STORAGE
}

# e2e_dockerd_spawn DRIVER: starts dockerd, waits until it answers; 1 when
# it exits or does not answer within 30 s.
e2e_dockerd_spawn() {
  local driver=$1 i log=$E2E_DIR/dockerd-$1.log
  # As containerd: a subshell that forks and ends, none of bats' fds.
  (
    e2e_close_fds
    PATH=$E2E_DOCKER_PATH HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 NO_PROXY='' \
      "$E2E_DOCKERD_BIN" --config-file "$E2E_DIR/daemon.json" \
      --data-root "$E2E_DIR/data" --exec-root "$E2E_DOCKER_EXEC" \
      -H "unix://$E2E_DOCKER_SOCK" --pidfile "$E2E_DIR/docker.pid" \
      --containerd "$E2E_SOCK" \
      --bridge=none --iptables=false --ip6tables=false --ip-masq=false --ip-forward=false \
      --userland-proxy=false \
      --add-runtime "hrun=$HRUN_BIN" --default-runtime hrun \
      --exec-opt native.cgroupdriver=cgroupfs --cgroup-parent "/$E2E_NS" \
      --storage-driver "$driver" --log-level info \
      </dev/null >"$log" 2>&1 &
    echo $! >"$E2E_DIR/dockerd.pid"
  )
  E2E_DOCKERD_PID=$(<"$E2E_DIR/dockerd.pid")
  for ((i = 0; i < 300; i++)); do
    e2e_alive "$E2E_DOCKERD_PID" || return 1
    [ -S "$E2E_DOCKER_SOCK" ] && e2e_docker_q version >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  return 1
}

# e2e_docker_argv: the client and its global options, in E2E_DOCKER.
e2e_docker_argv() {
  E2E_DOCKER=("$E2E_DOCKER_BIN" -H "unix://$E2E_DOCKER_SOCK")
}

# e2e_docker ARGS...: e2e_run of docker. e2e_docker_q: for $(...).
e2e_docker() {
  e2e_docker_argv
  e2e_run "${E2E_DOCKER[@]}" "$@"
}
e2e_docker_q() {
  e2e_docker_argv
  e2e_exec "${E2E_DOCKER[@]}" "$@"
}

# The options of every container: no image pull, no network.
e2e_docker_run_opts() {
  # shellcheck disable=SC2034 # (used by the tests)
  E2E_RUN_OPTS=(--pull never --network none)
}

# e2e_docker_load FILE: docker load of the docker-archive of mkimage.sh.
e2e_docker_load() {
  e2e_docker load -i "$1"
  [ "$status" = 0 ] || { fail "e2e: docker load -i $1 failed: $output"; return 1; }
  e2e_docker image inspect -f '{{.Id}}' "$E2E_IMAGE"
  [ "$status" = 0 ] || { fail "e2e: $E2E_IMAGE is not there after docker load: $output"; return 1; }
}

# e2e_docker_clean: removes every container of our daemon (paused ones are
# resumed first: a frozen task keeps SIGKILL pending).
e2e_docker_clean() {
  local ids id E2E_TIMEOUT=30
  e2e_alive "${E2E_DOCKERD_PID:-}" || return 0
  ids=$(e2e_docker_q ps -a -q --no-trunc 2>/dev/null) || return 0
  [ -n "$ids" ] || return 0
  for id in $(e2e_docker_q ps -q --no-trunc --filter status=paused 2>/dev/null); do
    e2e_docker_q unpause "$id" >/dev/null 2>&1
  done
  # shellcheck disable=SC2086
  e2e_docker_q rm -f -v $ids >/dev/null 2>&1 || true
  # A runtime call that hangs (its --root is below $E2E_DOCKER_EXEC) would
  # block the shim's every other call.
  e2e_stop_leftovers 0 "$E2E_DOCKER_RTROOT"
}

# e2e_docker_stop: everything e2e_docker_start and the tests made.
e2e_docker_stop() {
  [ -n "${E2E_DIR:-}" ] || return 0
  e2e_docker_clean
  e2e_stop_pid "${E2E_DOCKERD_PID:-}" 20
  # Tasks dockerd left in containerd (namespace moby), should it have died.
  if e2e_alive "${E2E_CTRD_PID:-}"; then
    E2E_NS=moby e2e_ctr_clean
  fi
  # containerd, the shims (-address $E2E_DIR/containerd.sock), what is left
  # in the cgroup /$E2E_NS, the dirs in E2E_ABSENT_DIRS and the scratch dir
  # (unmounting what is below it: overlay2 layers, the netns files).
  e2e_containerd_stop
}

# e2e_docker_leftovers: what a stopped daemon should not have left: processes
# mentioning the scratch dir, mounts below it, the cgroup /$E2E_NS. One line
# each; nothing when clean.
e2e_docker_leftovers() {
  local pid d
  for pid in $(e2e_pids_mentioning "$E2E_DIR/"); do
    echo "process $pid: $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)"
  done
  awk -v d="$E2E_DIR" '$5 == d || index($5, d "/") == 1 { print "mount " $5 }' /proc/self/mountinfo
  for d in /sys/fs/cgroup/*/"$E2E_NS" /sys/fs/cgroup/"$E2E_NS"; do
    [ -d "$d" ] && echo "cgroup $d"
  done
  [ ! -e "$E2E_DIR" ] || echo "scratch dir $E2E_DIR"
  return 0
}

# --- a suite's setup_file and teardown_file -----------------------------------

# e2e_docker_setup_file NAME: the scratch dir /tmp/hrun-e2e-NAME.XXXXXX,
# E2E_NS after it (e.g. hrun-e2e-dock-Ab12Cd: the cgroup parent, container
# names), a snapshot of the host, the image, the daemon with the image loaded.
e2e_docker_setup_file() {
  e2e_docker_require
  e2e_require_runtime
  E2E_DIR=$(e2e_scratch "$1")
  E2E_NS=$(basename "$E2E_DIR" | tr -c 'A-Za-z0-9\n' '-')
  # (dockerd makes /run/docker/plugins whatever its exec root is)
  E2E_ABSENT_DIRS=$(e2e_absent /etc/docker /run/docker /run/docker/plugins \
    /run/containerd /run/containerd/s /run/containerd/runc /run/containerd/fifo)
  export E2E_DIR E2E_NS E2E_ABSENT_DIRS
  e2e_host_snapshot >"$BATS_FILE_TMPDIR/host.before"
  e2e_build_image "$E2E_DIR/image"
  e2e_docker_start
  e2e_docker_load "$E2E_DIR/image/image.docker.tar"
}

# e2e_docker_teardown_file: stops everything; fails, saying what, when a
# process, mount, cgroup or the scratch dir is left, or the host changed.
e2e_docker_teardown_file() {
  local left
  [ -n "${E2E_DIR:-}" ] || return 0
  e2e_docker_stop
  left=$(e2e_docker_leftovers)
  [ ! -f "$BATS_FILE_TMPDIR/host.before" ] ||
    left+=$(diff "$BATS_FILE_TMPDIR/host.before" <(e2e_host_snapshot) | grep '^[<>]')
  [ -z "$left" ] || { printf 'e2e: left behind or changed on the host:\n%s\n' "$left" >&2; return 1; }
}

# --- what the tests look at ---------------------------------------------------

# e2e_docker_state NAME: "status exit-code oom running paused restarts health"
# as docker inspect says.
E2E_DOCKER_STATE_FMT='{{.State.Status}} exit={{.State.ExitCode}} oom={{.State.OOMKilled}} running={{.State.Running}} paused={{.State.Paused}} restarting={{.State.Restarting}} restarts={{.RestartCount}} health={{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}'
e2e_docker_state() {
  e2e_docker_q inspect -f "$E2E_DOCKER_STATE_FMT" "$1" 2>&1
}

# e2e_docker_status_is NAME STATUS: .State.Status (for e2e_wait_for).
e2e_docker_status_is() {
  [ "$(e2e_docker_q inspect -f '{{.State.Status}}' "$1" 2>/dev/null)" = "$2" ]
}

# e2e_docker_health_is NAME STATUS: .State.Health.Status.
e2e_docker_health_is() {
  [ "$(e2e_docker_q inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$1" 2>/dev/null)" = "$2" ]
}


# --- the host -------------------------------------------------------------------

# e2e_host_snapshot: what a Docker daemon is known to change on a host, one
# line each: the kernel's core pattern, /dev/null, the forwarding and
# loopback-routing sysctls, the sysctls the tests set in containers, the
# network interfaces, the iptables rules, dockerd's default files.
e2e_host_snapshot() {
  local f
  echo "core_pattern $(cat /proc/sys/kernel/core_pattern)"
  echo "/dev/null $(stat -c '%F %t:%T %u:%g %a' /dev/null)"
  for f in net/ipv4/ip_forward net/ipv6/conf/all/forwarding net/ipv6/conf/default/forwarding \
    net/ipv4/conf/all/forwarding net/ipv4/conf/all/route_localnet \
    net/ipv4/ip_unprivileged_port_start kernel/msgmax kernel/shmmax \
    net/bridge/bridge-nf-call-iptables net/bridge/bridge-nf-call-ip6tables; do
    [ -e "/proc/sys/$f" ] && echo "sysctl $f $(cat "/proc/sys/$f")"
  done
  ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print "link " $2 }'
  if command -v iptables-save >/dev/null; then
    iptables-save 2>/dev/null | grep -v '^#' | sed 's/\[[0-9]*:[0-9]*\]//; s/^/iptables /'
    ip6tables-save 2>/dev/null | grep -v '^#' | sed 's/\[[0-9]*:[0-9]*\]//; s/^/ip6tables /'
  fi
  for f in /etc/docker/key.json /var/lib/docker /var/run/docker.sock /run/docker.sock \
    /var/run/docker.pid /run/docker.pid /opt/containerd /var/lib/containerd; do
    [ -e "$f" ] && echo "exists $f"
  done
  return 0
}
