#!/bin/bash
# Boots the cached image (2 vCPUs, 2 GiB, no network device) with the host
# directory SHARE at /share. The guest runs SHARE/run.sh as root once booted,
# leaves SHARE/out/log and SHARE/out/rc, and powers off; the console goes to
# stdout. The image itself is never written (snapshot=on).
# Usage: [ACCEL=kvm|tcg] run-vm.sh SHARE [TIMEOUT_SECONDS]
# Exit status: run.sh's, or 255 when the guest left none (crash, timeout).
set -euo pipefail
. "$(dirname "$0")/config.sh"
share=$(cd "$1" && pwd)
rm -rf "$share/out"
# KVM needs hardware virtualisation (kvm_intel/kvm_amd). A nested PVM
# /dev/kvm (kvm_pvm, Firecracker hosts) runs only PVM guest kernels, not
# Debian's: `-cpu host` aborts there ("failed to set MSR 0x10a").
if [ -z "${ACCEL:-}" ]; then
  ACCEL=tcg
  if [ -w /dev/kvm ] && { [ -d /sys/module/kvm_intel ] || [ -d /sys/module/kvm_amd ]; }; then
    ACCEL=kvm
  fi
fi
case $ACCEL in
  kvm) accel=(-enable-kvm -cpu host) ;;
  tcg) accel=(-accel tcg,thread=multi -cpu max) ;;
  *) echo "run-vm: ACCEL must be kvm or tcg, not $ACCEL" >&2; exit 2 ;;
esac
echo "run-vm: accel $ACCEL, kernel $KVER, image $IMAGE"
timeout "${2:-2400}" qemu-system-x86_64 "${accel[@]}" -m 2G -smp 2 \
  -nographic -nic none -no-reboot -bios qboot.rom \
  -kernel "$KERNEL" -initrd "$INITRD" \
  -append "root=/dev/vda rw console=ttyS0 panic=1 quiet systemd.unified_cgroup_hierarchy=1" \
  -drive file="$IMAGE",format=raw,if=virtio,snapshot=on \
  -virtfs local,path="$share",mount_tag=share,security_model=none \
  </dev/null || true
exit "$(cat "$share/out/rc" 2>/dev/null || echo 255)"
