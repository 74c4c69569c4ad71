#!/bin/bash
# make vm-check: hrun's cgroup v2 tests on a systemd + pure cgroup v2 host,
# a Debian 12 guest booted with qemu (docs/vm.md). Builds the guest image or
# takes it from the cache, boots it with ./hrun, inside/ and the integration
# tests in a 9p share, and prints the guest's TAP prefixed "vm <file>:" on
# stdout (the guest's console goes by as "vm| " lines). Exit status: 0 when
# the guest ran everything and every test passed.
#
# VM_CHECK=1 (make vm-check): a host that cannot run the VM is a failure.
# VM_CHECK=auto (make check): such a host skips the step, saying why.
# VM_CHECK=0: skip. Settings: VM_STEPS, VM_RUNTIMES, VM_SUITE, VM_FILTER
# (inside/run.sh), VM_TIMEOUT (s, 2400), VM_WORK (build/vm), VM_CACHE, ACCEL, KVER.
set -uo pipefail
. "$(dirname "$0")/config.sh"
repo=$(cd "$VM_DIR/../.." && pwd)
work=${VM_WORK:-$repo/build/vm}
share=$work/share
timeout=${VM_TIMEOUT:-2400}

# Why this host cannot run the VM step, or nothing.
cannot_run() {
  if [ "$(id -u)" -ne 0 ]; then echo "not root"
  elif ! command -v qemu-system-x86_64 >/dev/null; then echo "no qemu-system-x86_64 (make deps)"
  elif [ ! -e "$KERNEL" ]; then echo "no /boot/vmlinuz-*-amd64 (make deps)"
  elif [ ! -e "$IMAGE" ] && ! command -v debootstrap >/dev/null; then echo "no debootstrap (make deps)"
  elif [ ! -x "$repo/hrun" ]; then echo "no $repo/hrun (make)"
  fi
}

# The share the guest mounts at /share: hrun, the guest's scripts, and a copy
# of the integration tests with their helpers where helpers.bash looks.
make_share() {
  rm -rf "$share" && mkdir -p "$share/src/tests" "$share/src/build/tests" || return 1
  cp "$repo/hrun" "$share/hrun" &&
    cp -r "$VM_DIR/inside" "$share/tests" &&
    cp "$VM_DIR/inside/run.sh" "$share/run.sh" &&
    cp -r "$repo/tests/integration" "$share/src/tests/" &&
    cp -r "$repo/build/tests/helpers" "$share/src/build/tests/" || return 1
  local v
  for v in VM_STEPS VM_RUNTIMES VM_SUITE VM_FILTER BATS_TEST_TIMEOUT; do
    [ -z "${!v:-}" ] || printf '%s=%q\n' "$v" "${!v}"
  done >"$share/env"
}

# The console, as "vm| " lines on stdout and raw in console.log; the host
# time at which the guest started its tests goes into $work/booted.
console() {
  local line booted=""
  : >"$work/console.log"
  while IFS= read -r line; do
    line=${line%$'\r'}
    printf '%s\n' "$line" >>"$work/console.log"
    printf 'vm| %s\n' "$line"
    if [ -z "$booted" ] && [[ $line == *"vm-run: booted"* ]]; then
      booted=$SECONDS
      echo "$booted" >"$work/booted"
    fi
  done
}

# The guest's TAP files, each test line labelled with its file.
print_tap() {
  local f name
  for f in "$share"/out/*.tap; do
    [ -e "$f" ] || continue
    name=$(basename "$f" .tap)
    echo "# vm: $name"
    sed -E -e "s/^(ok|not ok) ([0-9]+) /\\1 \\2 vm $name: /" -e 's/^([0-9]+\.\.[0-9]+)$/# \1/' "$f"
  done
}

main() {
  local why rc t0=$SECONDS t_image t_vm t_boot state=cached
  case ${VM_CHECK:-1} in
    0 | no | off) echo "# vm-check: off (VM_CHECK=${VM_CHECK})"; return 0 ;;
  esac
  why=$(cannot_run)
  if [ -n "$why" ]; then
    [ "${VM_CHECK:-1}" = auto ] && { echo "# vm-check: skipped: $why"; return 0; }
    echo "not ok - vm-check: cannot run here: $why"
    return 1
  fi
  mkdir -p "$work" && rm -f "$work/booted"
  [ -e "$IMAGE" ] && [ -e "$INITRD" ] || state=built
  echo "# vm-check: guest image $IMAGE ($state)"
  if ! "$VM_DIR/build-image.sh" >/dev/null; then
    echo "not ok - vm-check: the guest image could not be built"
    return 1
  fi
  t_image=$((SECONDS - t0))
  make_share || { echo "not ok - vm-check: cannot fill $share"; return 1; }
  local t1=$SECONDS
  "$VM_DIR/run-vm.sh" "$share" "$timeout" 2>&1 | console
  rc=${PIPESTATUS[0]}
  t_vm=$((SECONDS - t1))
  t_boot=$(( $(cat "$work/booted" 2>/dev/null || echo "$SECONDS") - t1 ))
  print_tap
  if [ ! -e "$share/out/rc" ]; then
    echo "not ok - vm-check: the guest did not finish (crash, or over VM_TIMEOUT=${timeout}s): $work/console.log"
  fi
  echo "# vm-check: image ${t_image}s ($state), boot ${t_boot}s, tests $((t_vm - t_boot))s, total $((SECONDS - t0))s; guest exit status $rc"
  [ "$rc" -eq 0 ]
}

main
