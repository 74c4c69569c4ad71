#!/bin/sh
# Installs the Debian packages hrun needs to build and to run its tests
# (`install-deps.sh bench`: also what `make bench` compares hrun with).
# Does nothing when they are all present; needs root (or sudo) otherwise.
set -eu

packages="gcc make pkg-config libc6-dev libyajl-dev libseccomp-dev libcap-dev
libcmocka-dev bats bats-support bats-assert busybox-static jq runc util-linux
iproute2 procps containerd podman conmon bsdutils tar gzip coreutils"
[ "${1:-}" != bench ] || packages="$packages crun"

missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "installing:$missing"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q </dev/null
# shellcheck disable=SC2086
$sudo apt-get install -y -q --no-install-recommends $missing </dev/null
