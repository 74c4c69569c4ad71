#!/usr/bin/env bash
# host_state.sh save FILE | compare FILE: what no test may change on the
# host, saved before `make check` and compared after it (a TAP line).
#
# Recorded: every sysctl but the counters the kernel moves by itself
# (kernel.core_pattern among them: a security test run against a build
# without its protection must not leave "|/pwned" there), /dev/null, the
# network interfaces, the host's mounts, and the top of the directories
# where engines and runtimes keep state by default.
set -u

volatile='^(fs\.(dentry-state|file-nr|inode-nr|inode-state|aio-nr|quota\.[a-z_]+)|kernel\.(ns_last_pid|random\.(uuid|boot_id|entropy_avail)|pty\.nr)|net\.netfilter\.nf_conntrack_count) '

snapshot() {
  local d
  echo "# sysctls"
  sysctl -a 2>/dev/null | grep -Ev "$volatile" | sort
  echo "# /dev/null"
  stat -c '%u:%g %a %F %t:%T' /dev/null
  echo "# network interfaces"
  ls /sys/class/net | sort
  echo "# mounts (mount point, file system type)"
  awk '{ for (i = 7; $i != "-"; i++); print $5, $(i + 1) }' /proc/self/mountinfo | sort
  for d in /run /opt /etc/docker /etc/cni /var/lib/docker /var/lib/containerd /var/lib/cni \
    /var/run/netns /run/containerd /run/docker; do
    echo "# $d: $(ls -A "$d" 2>/dev/null | sort | tr '\n' ' ')"
  done
}

case ${1:-} in
save)
  snapshot >"$2"
  ;;
compare)
  now=$(mktemp)
  trap 'rm -f "$now"' EXIT
  snapshot >"$now"
  if diff -u "$2" "$now" >"$now.diff"; then
    echo "ok - the host is as before the tests (sysctls with core_pattern, /dev/null, interfaces, mounts, state dirs)"
    rm -f "$now.diff"
  else
    echo "not ok - the tests changed the host:"
    sed 's/^/# /' "$now.diff"
    rm -f "$now.diff"
    exit 1
  fi
  ;;
*)
  echo "usage: host_state.sh save FILE | compare FILE" >&2
  exit 2
  ;;
esac
