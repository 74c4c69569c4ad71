#!/bin/bash
# mkimage.sh OUTDIR [IMAGE]: builds, offline, a busybox image for the e2e
# tests from the static /bin/busybox (Debian's busybox-static).
#
# Writes into OUTDIR (created; must be empty if it exists):
#   rootfs.tar     the root file system as a plain tar    (podman import)
#   image.oci.tar  an OCI image layout as an oci-archive  (ctr images import,
#                  podman load), named IMAGE (default localhost/hrun-e2e:latest)
#   image.docker.tar  the same image as a docker-archive, the `docker save`
#                  format (docker 20.10's `docker load` takes no oci-archive;
#                  also buildah's docker-archive: transport), tagged IMAGE
# The rootfs: /bin/busybox and one relative symlink per applet, /etc/passwd,
# /etc/group, and /etc/hrun-e2e-release ("hrun-e2e-image"), a marker that
# tells the image's rootfs apart from any other.
# BUSYBOX names another static busybox.  IMAGE_CMD, a JSON array, is the
# image's Cmd (default ["sh"]; e2e/cri.bash makes a pod sandbox image so).
# Needs root (files owned by 0:0), tar, gzip, sha256sum and jq.
set -euo pipefail

die() { echo "mkimage.sh: $*" >&2; exit 1; }

[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: mkimage.sh OUTDIR [IMAGE]"
out=$1
image=${2:-localhost/hrun-e2e:latest}
busybox=${BUSYBOX:-/bin/busybox}

[ "$(id -u)" = 0 ] || die "needs root: the layer's files must belong to 0:0"
for c in tar gzip sha256sum jq; do
  command -v "$c" >/dev/null || die "$c is missing (make deps installs it)"
done
[ -x "$busybox" ] || die "$busybox is missing (make deps installs busybox-static)"
# A dynamic busybox would not run in a rootfs without its libraries.
if LC_ALL=C ldd "$busybox" >/dev/null 2>&1; then
  die "$busybox is dynamically linked; the image needs busybox-static"
fi
case $image in */*:*) ;; *) die "IMAGE must be host/name:tag, not $image" ;; esac
mkdir -p "$out"
[ -z "$(ls -A "$out")" ] || die "$out is not empty"
out=$(cd "$out" && pwd)

case $(uname -m) in
  x86_64) arch=amd64 ;;
  aarch64) arch=arm64 ;;
  ppc64le | s390x | riscv64) arch=$(uname -m) ;;
  *) die "no OCI architecture name for $(uname -m)" ;;
esac

# --- root file system ---------------------------------------------------------
work=$out/.work
rootfs=$work/rootfs
mkdir -p "$rootfs"/{bin,dev,etc,home,proc,root,run,sys,tmp,var/tmp}
chmod 1777 "$rootfs/tmp" "$rootfs/var/tmp"
chmod 700 "$rootfs/root"
cp "$busybox" "$rootfs/bin/busybox"
chmod 755 "$rootfs/bin/busybox"
(
  cd "$rootfs/bin"
  for applet in $(./busybox --list); do
    [ "$applet" = busybox ] || ln -s busybox "$applet"
  done
)
[ -L "$rootfs/bin/sh" ] || die "$busybox has no sh applet"
ln -s bin "$rootfs/sbin"
mkdir -p "$rootfs/usr"
ln -s ../bin "$rootfs/usr/bin"
ln -s ../bin "$rootfs/usr/sbin"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$rootfs/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"
printf '127.0.0.1\tlocalhost\n' >"$rootfs/etc/hosts"
echo hrun-e2e-image >"$rootfs/etc/hrun-e2e-release"

# Reproducible: sorted, numeric root owner, fixed times.
mtime=${SOURCE_DATE_EPOCH:-0}
tarc() {
  tar --create --format=gnu --sort=name --numeric-owner --owner=0 --group=0 \
    --mtime="@$mtime" "$@"
}
(cd "$rootfs" && tarc --file "$out/rootfs.tar" -- *)

# --- OCI image layout ---------------------------------------------------------
layout=$work/layout
blobs=$layout/blobs/sha256
mkdir -p "$blobs"

# add_blob FILE: moves FILE into the layout; prints "sha256:<hex> <size>".
add_blob() {
  local hex size
  hex=$(sha256sum "$1" | cut -d' ' -f1)
  size=$(stat -c %s "$1")
  mv "$1" "$blobs/$hex"
  echo "sha256:$hex $size"
}

diff_id=sha256:$(sha256sum "$out/rootfs.tar" | cut -d' ' -f1)
gzip -n -c "$out/rootfs.tar" >"$work/layer"
read -r layer_digest layer_size < <(add_blob "$work/layer")

created=$(date -u -d "@$mtime" +%Y-%m-%dT%H:%M:%SZ)
jq -cn --arg arch "$arch" --arg created "$created" --arg diff "$diff_id" \
  --argjson cmd "${IMAGE_CMD:-[\"sh\"]}" '{
  created: $created,
  architecture: $arch,
  os: "linux",
  config: {
    Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
    Cmd: $cmd,
    WorkingDir: "/"
  },
  rootfs: {type: "layers", diff_ids: [$diff]},
  history: [{created: $created, created_by: "tests/integration/e2e/mkimage.sh"}]
}' >"$work/config"
read -r config_digest config_size < <(add_blob "$work/config")

jq -cn --arg cd "$config_digest" --argjson cs "$config_size" \
  --arg ld "$layer_digest" --argjson ls "$layer_size" '{
  schemaVersion: 2,
  mediaType: "application/vnd.oci.image.manifest.v1+json",
  config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $cd, size: $cs},
  layers: [{mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: $ld, size: $ls}]
}' >"$work/manifest"
read -r manifest_digest manifest_size < <(add_blob "$work/manifest")

# The full reference as ref.name: ctr and podman both take it as the name.
jq -cn --arg md "$manifest_digest" --argjson ms "$manifest_size" \
  --arg arch "$arch" --arg name "$image" '{
  schemaVersion: 2,
  mediaType: "application/vnd.oci.image.index.v1+json",
  manifests: [{
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    digest: $md, size: $ms,
    platform: {architecture: $arch, os: "linux"},
    annotations: {"org.opencontainers.image.ref.name": $name}
  }]
}' >"$layout/index.json"
echo '{"imageLayoutVersion":"1.0.0"}' >"$layout/oci-layout"
(cd "$layout" && tarc --file "$out/image.oci.tar" oci-layout index.json blobs)

# --- docker-archive -------------------------------------------------------------
# manifest.json names the config (the same blob as the OCI image's: the
# image id is its digest) and the layer, uncompressed, under <diff_id>/.
docker=$work/docker
layer_dir=${diff_id#sha256:}
mkdir -p "$docker/$layer_dir"
cp "$blobs/${config_digest#sha256:}" "$docker/${config_digest#sha256:}.json"
cp "$out/rootfs.tar" "$docker/$layer_dir/layer.tar"
jq -cn --arg config "${config_digest#sha256:}.json" --arg layer "$layer_dir/layer.tar" \
  --arg name "$image" '[{Config: $config, RepoTags: [$name], Layers: [$layer]}]' >"$docker/manifest.json"
(cd "$docker" && tarc --file "$out/image.docker.tar" manifest.json \
  "${config_digest#sha256:}.json" "$layer_dir")

rm -rf --one-file-system "$work"
