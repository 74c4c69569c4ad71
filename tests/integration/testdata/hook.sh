#!/bin/sh
# Test hook: hook.sh REC NAME [ACTION]
# Records what this hook saw in REC/NAME.* and appends NAME to REC/order.
# ACTION: fail (writes to stderr, exits 3), sleep (leaves a child and
# sleeps), noread (exits without reading stdin), or nothing (records).
rec=$1 name=$2 action=${3:-}
case $action in
noread)
  echo "$name" >>"$rec/order"
  exit 0
  ;;
fail)
  cat >/dev/null
  echo "$name" >>"$rec/order"
  echo "first line of $name's complaint" >&2
  echo "boom from $name" >&2
  exit 3
  ;;
sleep)
  echo "$name" >>"$rec/order"
  sh -c "sleep 30; : child of $rec" &
  sleep 30
  exit 0
  ;;
esac
cat >"$rec/$name.state"
readlink /proc/self/ns/mnt >"$rec/$name.mnt"
readlink /proc/self/ns/pid >"$rec/$name.pidns"
if [ -e /rootfs-marker ]; then echo rootfs; else echo host; fi >"$rec/$name.root"
pwd >"$rec/$name.cwd"
# (/proc/self, not /proc/$$: before pivot_root /proc is the host's, whose
# pids are not the hook's; the fd opened before tr's exec reads the env
# the shell was started with)
tr '\0' '\n' </proc/self/environ >"$rec/$name.env"
echo "$name" >>"$rec/order"
