#!/bin/bash
# Runs in the guest as /share/run.sh (vm-run.service), settings in
# /share/env: the steps in VM_STEPS (default "info cgroupv2 suite engines").
# Each test step leaves its TAP in /share/out/<step>[-<runtime>].tap and
# shows it on the console as it runs; the exit status is 1 when any failed.
cd /share || exit 1
. /share/env
out=/share/out
rc=0
# (a test that spawns ~150 processes, lifecycle.bats' control-character ids,
# takes 2-3 min under emulation)
export BATS_TEST_TIMEOUT=${BATS_TEST_TIMEOUT:-300}

step_info() {
  echo "kernel $(uname -r); pid 1: $(ps -p 1 -o comm=); /sys/fs/cgroup: $(stat -fc %T /sys/fs/cgroup)"
  echo "cgroup.controllers: $(cat /sys/fs/cgroup/cgroup.controllers)"
  echo "cgroup.subtree_control: $(cat /sys/fs/cgroup/cgroup.subtree_control)"
  echo "my cgroup: $(cat /proc/self/cgroup)"
  echo "systemd: $(systemctl is-system-running) (vm-run.service is part of the boot)"
  echo "runc: $(runc --version | head -1); hrun: $(/share/hrun --version | head -1)"
}

# tap NAME CMD...: CMD's TAP into $out/NAME.tap and onto the console.
tap() {
  local name=$1
  shift
  "$@" </dev/null 2>&1 | tee "$out/$name.tap"
  [ "${PIPESTATUS[0]}" -eq 0 ] || rc=1
  echo "$name: $(grep -c '^ok' "$out/$name.tap") ok, $(grep -c '^not ok' "$out/$name.tap") not ok"
}

filter=()
[ -z "${VM_FILTER:-}" ] || filter=(--filter "$VM_FILTER")

# The cgroup v2 checks (inside/cgroupv2.bats) with each runtime of
# VM_RUNTIMES: hrun by default; "/share/hrun runc" compares (docs/vm.md).
step_cgroupv2() {
  local r
  for r in ${VM_RUNTIMES:-/share/hrun}; do
    tap "cgroupv2-${r##*/}" env RUNTIME="$r" bats --tap --timing "${filter[@]}" tests/cgroupv2.bats
  done
}

# hrun's own integration tests (their copy in /share/src): the files named
# in VM_SUITE, or paths.
step_suite() {
  local f files=()
  for f in ${VM_SUITE:-cgroups systemd lsm_rdt lifecycle}; do
    case $f in
      */*) files+=("/share/src/$f") ;;
      *) files+=("/share/src/tests/integration/${f%.bats}.bats") ;;
    esac
  done
  tap suite env HRUN_BIN=/share/hrun bats --tap --timing "${filter[@]}" "${files[@]}"
}

# podman and containerd's CRI with their systemd cgroup configuration, on
# hrun (inside/engines.bats).
step_engines() {
  tap engines env HRUN_BIN=/share/hrun bats --tap --timing "${filter[@]}" tests/engines.bats
}

# The device-rule tests need /proc/misc to list fuse.
modprobe fuse 2>/dev/null
for s in ${VM_STEPS:-info cgroupv2 suite engines}; do
  echo "== $s ($(date +%T), uptime $(cut -d' ' -f1 /proc/uptime) s)"
  if declare -F "step_$s" >/dev/null; then "step_$s"; else echo "no step $s"; rc=1; fi
done
echo "== done (uptime $(cut -d' ' -f1 /proc/uptime) s)"
exit $rc
