#!/bin/sh
# Builds a busybox bundle in a scratch directory and runs it with hrun.
# Usage: contrib/demo.sh [path/to/hrun]   (as root)
set -eu

hrun=$(realpath "${1:-./hrun}")
[ "$(id -u)" -eq 0 ] || { echo "demo: run as root (containers need it)" >&2; exit 1; }
[ -x /bin/busybox ] || { echo "demo: /bin/busybox missing: make deps installs busybox-static" >&2; exit 1; }

scratch=$(mktemp -d /tmp/hrun-demo.XXXXXX)
root=$scratch/state
id=hrun-demo-$$
cleanup() {
  "$hrun" --root "$root" delete --force "$id" >/dev/null 2>&1 || true
  rm -rf "$scratch"
}
trap cleanup EXIT INT TERM

bundle=$scratch/bundle
mkdir -p "$bundle/rootfs/bin" "$bundle/rootfs/etc"
cp /bin/busybox "$bundle/rootfs/bin/"
for applet in $(/bin/busybox --list); do
  [ "$applet" = busybox ] || ln -s busybox "$bundle/rootfs/bin/$applet"
done
echo 'root:x:0:0:root:/root:/bin/sh' >"$bundle/rootfs/etc/passwd"
cat >"$bundle/rootfs/inside.sh" <<'SH'
echo "inside: hostname $(hostname), pid $$, uid $(id -u)"
echo "inside: / holds: $(ls / | tr '\n' ' ')"
grep -E '^(CapEff|NoNewPrivs)' /proc/self/status | sed 's/^/inside: /'
SH

# One hook script for all six stages: it logs what it saw. The same file
# serves the host side (by its host path) and startContainer, whose path is
# resolved inside the container after pivot_root.
host_mnt=$(readlink /proc/self/ns/mnt)
mkdir -p "$scratch/hooklog"
cat >"$bundle/rootfs/hook.sh" <<SH
#!/bin/sh
stage=\$1 log=\$2
state=\$(cat)
status=\$(echo "\$state" | sed -n 's/.*"status":"\\([a-z]*\\)".*/\\1/p')
pid=\$(echo "\$state" | sed -n 's/.*"pid":\\([0-9]*\\).*/\\1/p')
[ "\$(readlink /proc/self/ns/mnt)" = "$host_mnt" ] && ns=host || ns=container
[ -e /inside.sh ] && root=rootfs || root=host
printf '%-16s status=%-9s pid=%-6s mount-ns=%-9s root=%s\\n' "\$stage" "\$status" "\${pid:--}" "\$ns" "\$root" >>"\$log"
SH
chmod +x "$bundle/rootfs/hook.sh"

cat >"$bundle/config.json" <<JSON
{
  "ociVersion": "1.3.0",
  "root": {"path": "rootfs"},
  "hostname": "hrun-demo",
  "process": {
    "terminal": false,
    "user": {"uid": 0, "gid": 0},
    "cwd": "/",
    "env": ["PATH=/bin"],
    "args": ["sh", "/inside.sh"],
    "capabilities": {"bounding": ["CAP_KILL"], "effective": ["CAP_KILL"], "permitted": ["CAP_KILL"]},
    "noNewPrivileges": true
  },
  "hooks": {
    "prestart": [{"path": "$bundle/rootfs/hook.sh", "args": ["hook.sh", "prestart", "$scratch/hooklog/log"]}],
    "createRuntime": [{"path": "$bundle/rootfs/hook.sh", "args": ["hook.sh", "createRuntime", "$scratch/hooklog/log"]}],
    "createContainer": [{"path": "$bundle/rootfs/hook.sh", "args": ["hook.sh", "createContainer", "$scratch/hooklog/log"]}],
    "startContainer": [{"path": "/hook.sh", "args": ["hook.sh", "startContainer", "/hooklog/log"]}],
    "poststart": [{"path": "$bundle/rootfs/hook.sh", "args": ["hook.sh", "poststart", "$scratch/hooklog/log"]}],
    "poststop": [{"path": "$bundle/rootfs/hook.sh", "args": ["hook.sh", "poststop", "$scratch/hooklog/log"]}]
  },
  "mounts": [
    {"destination": "/hooklog", "type": "bind", "source": "$scratch/hooklog", "options": ["rbind"]},
    {"destination": "/proc", "type": "proc", "source": "proc"},
    {"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "mode=755"]},
    {"destination": "/tmp", "type": "tmpfs", "source": "tmpfs"}
  ],
  "linux": {
    "namespaces": [{"type": "pid"}, {"type": "mount"}, {"type": "uts"}, {"type": "ipc"}, {"type": "network"}],
    "resources": {"memory": {"limit": 67108864}, "pids": {"limit": 64}},
    "maskedPaths": ["/proc/kcore"],
    "readonlyPaths": ["/proc/sys"]
  }
}
JSON

echo "demo: $("$hrun" --version | head -n 1)"
echo "demo: running a busybox container (bundle $bundle)"
status=0
"$hrun" --root "$root" run --bundle "$bundle" "$id" || status=$?
echo "demo: the container exited with status $status; state entries left: $(ls -A "$root" | wc -l)"
echo "demo: the six hook stages, in the order they fired, and what each saw:"
sed 's/^/  /' "$scratch/hooklog/log"
[ "$(wc -l <"$scratch/hooklog/log")" -eq 6 ] || { echo "demo: expected 6 hook lines" >&2; status=1; }
exit "$status"
