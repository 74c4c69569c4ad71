#!/bin/sh
# Installs the Debian packages hrun needs to build and to run its tests,
# the runtimes it is compared with (runc, crun) among them, and clang with
# its sanitizer and libFuzzer runtimes (make fuzz), and what makes and boots
# the test VM (make vm-check): qemu, debootstrap, a Debian kernel with its
# modules, initramfs-tools, kmod and e2fsprogs; man-db (with groff and col)
# renders the man pages that manpages.bats checks.
# Does nothing when they are all present; needs root (or sudo) otherwise.
#
# The engines the tests drive (docker.io, containerd, podman) ship services.
# The tests start private daemons of their own; a service started by the
# package's postinst would change the host (a docker0 bridge, iptables
# rules, ip_forward), so while the packages install, a policy-rc.d that
# refuses every start is in place (unless the host has one already).
set -eu

packages="gcc make pkg-config libc6-dev libyajl-dev libseccomp-dev libcap-dev libsystemd-dev
libcmocka-dev bats bats-support bats-assert busybox-static jq runc util-linux
iproute2 procps libcap2-bin containerd podman conmon bsdutils tar gzip coreutils
docker.io buildah containernetworking-plugins python3 python3-grpcio
python3-protobuf protobuf-compiler crun clang libclang-rt-14-dev
qemu-system-x86 debootstrap linux-image-amd64 initramfs-tools kmod e2fsprogs
man-db"

missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "installing:$missing"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
policy=/usr/sbin/policy-rc.d
own_policy=""
if [ ! -e "$policy" ]; then
  own_policy=$policy
  printf '#!/bin/sh\n# hrun install-deps.sh: no service starts while it installs\nexit 101\n' |
    $sudo tee "$policy" >/dev/null
  $sudo chmod 0755 "$policy"
  trap '$sudo rm -f "$own_policy"' EXIT
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q </dev/null
# shellcheck disable=SC2086
$sudo apt-get install -y -q --no-install-recommends $missing </dev/null
