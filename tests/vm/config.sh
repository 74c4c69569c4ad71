# shellcheck shell=bash
# Settings of the test VM (Debian 12 guest, systemd as PID 1, pure cgroup
# v2), sourced by build-image.sh, run-vm.sh and vm-check.sh.
VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SUITE=bookworm
# The guest boots the host's Debian kernel (package linux-image-amd64), the
# newest one unless KVER names another, with a small initrd of its own.
KVER=${KVER:-$(ls /boot/vmlinuz-*-amd64 2>/dev/null | sort -V | tail -1 | sed 's|.*/vmlinuz-||')}
KERNEL=/boot/vmlinuz-$KVER
# Debian packages in the image (Depends only, no Recommends).
PACKAGES=systemd-sysv,dbus,kmod,procps,psmisc,busybox-static,jq,bats,bats-assert,bats-support,runc,crun,podman,containerd,apparmor,python3-grpcio,python3-protobuf,containernetworking-plugins,iproute2,protobuf-compiler
# Kernel modules the guest loads after the initrd: the 9p share, overlayfs,
# and fuse (the device-rule tests open /dev/fuse).
MODULES="9p 9pnet_virtio overlay fuse"

# The cache lives outside the clone (a fresh clone reuses it) and is keyed on
# what the image is made of: the files of this recipe that go into it and the
# kernel, whose modules and initrd it holds. The tests are not in the image:
# they reach the guest through the 9p share at each boot.
CACHE_ROOT=${VM_CACHE:-/var/tmp/hrun-vm/cache}
recipe_key() {
  (cd "$VM_DIR" && sha256sum config.sh build-image.sh guest/* initramfs/*; echo "$KVER") |
    sha256sum | cut -c1-16
}
KEY=$(recipe_key)
CACHE=$CACHE_ROOT/$KEY
IMAGE=$CACHE/rootfs.img
INITRD=$CACHE/initrd

# The Debian mirror apt already uses on this host.
mirror() {
  local m
  m=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' 2>/dev/null |
    awk -v s="$SUITE" '$2 == s { print $1; exit }')
  echo "${m:-http://deb.debian.org/debian/}"
}
