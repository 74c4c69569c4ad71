#!/bin/bash
# Builds the guest's root filesystem from Debian packages into an ext4 image
# ($IMAGE) and an initrd ($INITRD) that only mounts it, unless the cache has
# them for this recipe and kernel. Downloaded debs stay in $CACHE_ROOT/debs.
# Needs root. Usage: build-image.sh [--force]; prints the image's path.
set -euo pipefail
. "$(dirname "$0")/config.sh"
[ -e "$KERNEL" ] || { echo "build-image: no kernel $KERNEL (apt-get install linux-image-amd64)" >&2; exit 1; }
mkdir -p "$CACHE_ROOT/debs"
# One build at a time; a second caller waits and then finds the image.
exec 9>"$CACHE_ROOT/lock"
flock 9
if [ -e "$IMAGE" ] && [ -e "$INITRD" ] && [ "${1:-}" != --force ]; then echo "$IMAGE"; exit 0; fi
work=$CACHE_ROOT/build-$KEY
root=$work/rootfs
# A build cut short may leave debootstrap's /proc (and more) mounted in
# the tree: unmount what is below it before removing it.
clean_work() {
  awk -v d="$work/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r |
    while read -r m; do umount -l "$m"; done
  rm -rf --one-file-system "$work"
}
clean_work
mkdir -p "$root"
trap clean_work EXIT
trap "exit 1" INT TERM HUP

debootstrap --variant=minbase --include="$PACKAGES" --cache-dir="$CACHE_ROOT/debs" \
  "$SUITE" "$root" "$(mirror)" >"$work/debootstrap.log" 2>&1 ||
  { tail -20 "$work/debootstrap.log" >&2; exit 1; }

# Boot straight into multi-user.target and vm-run.service; nothing else.
echo vm >"$root/etc/hostname"
chroot "$root" passwd -qd root
systemd-machine-id-setup --root="$root" >/dev/null
install -m755 "$VM_DIR/guest/vm-run" "$root/usr/local/sbin/vm-run"
install -m644 "$VM_DIR/guest/vm-run.service" "$root/etc/systemd/system/"
systemctl --root="$root" -q enable vm-run.service
systemctl --root="$root" -q mask serial-getty@ttyS0.service getty@tty1.service \
  apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer \
  containerd.service podman-auto-update.timer podman-restart.service
# No network in the guest: no apt sources or lists either.
rm -rf "$root"/etc/apt/sources.list "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin \
  "$root"/usr/share/{doc,man,locale}

# The modules the guest loads after the initrd, from the host's copy of the kernel.
for m in $MODULES; do modprobe -S "$KVER" --show-depends "$m"; done |
  awk '$1 == "insmod" { print $2 }' | sort -u |
  while read -r ko; do install -D -m644 "$ko" "$root$ko"; done
cp /lib/modules/"$KVER"/modules.{order,builtin,builtin.modinfo} "$root/lib/modules/$KVER/"
depmod -b "$root" "$KVER"

# initrd: initramfs/modules only (virtio-blk, ext4); Debian's MODULES=most
# doubles the boot time without KVM. mkinitramfs -d wants a scripts/ dir
# next to the config.
conf=$work/initramfs-conf
mkdir -p "$conf/scripts" "$work/out"
cp "$VM_DIR/initramfs/initramfs.conf" "$VM_DIR/initramfs/modules" "$conf/"
mkinitramfs -d "$conf" -o "$work/out/initrd" "$KVER"

# ext4 image: the tree plus 1 GiB for bundles and logs; mkfs -d needs no
# loop device and no mount.
size=$(( $(du -sm "$root" | cut -f1) + 1024 ))
mkfs.ext4 -q -L root -d "$root" "$work/out/rootfs.img" "${size}M"
# The finished pair appears at once; images of other keys (an older recipe
# or kernel) go.
for old in "$CACHE_ROOT"/*/rootfs.img; do
  if [ -e "$old" ] && [ "${old%/rootfs.img}" != "$CACHE" ]; then rm -rf "${old%/rootfs.img}"; fi
done
rm -rf "$CACHE"
mv "$work/out" "$CACHE"
echo "$IMAGE"
