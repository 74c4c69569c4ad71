#!/usr/bin/env bats
# The systemd cgroup driver (--systemd-cgroup, --cgroup-manager systemd).
# On any host: its refusals (systemd not PID 1, its bus unreachable) and
# cgroupsPath's "slice:prefix:name" errors, each one line, leaving
# nothing. On a systemd + cgroup v2 host (the VM of make vm-check): a
# container in its transient scope, its limits as unit properties and in
# the cgroup files, update changing both, delete stopping the scope.

load helpers

setup() {
  setup_common
  set_args sleep 100
}

teardown() {
  teardown_common
}

systemd_v2_host() {
  [ -d /run/systemd/system ] && [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]
}

# CMD... in a private mount namespace where /run/systemd/system exists and
# the system bus is nowhere: a systemd host whose bus is down.
without_bus() {
  unshare -m sh -c 'mount -t tmpfs tmpfs /run/systemd && mkdir /run/systemd/system &&
    DBUS_SYSTEM_BUS_ADDRESS=unix:path=/nonexistent/bus exec "$@"' sh "$@"
}

@test "--systemd-cgroup without systemd as PID 1: one line with the reason, nothing left" {
  [ ! -d /run/systemd/system ] || skip "systemd runs on this host"
  run hrun --systemd-cgroup run --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output "hrun: run: --systemd-cgroup: systemd is not running on this host (no /run/systemd/system); use the cgroupfs manager"
  assert_no_leftovers "$ID"
}

@test "--systemd-cgroup and --cgroup-manager systemd with systemd's bus unreachable: one line, nothing left" {
  run without_bus "$HRUN_BIN" --root "$HRUN_ROOT" --systemd-cgroup run --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output --regexp "^hrun: run: --systemd-cgroup: systemd's bus is unreachable: "
  assert_equal "${#lines[@]}" 1
  [ ! -e "$HRUN_ROOT/$ID" ]
  run without_bus "$HRUN_BIN" --root "$HRUN_ROOT" --cgroup-manager systemd create --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output --regexp "^hrun: create: --systemd-cgroup: systemd's bus is unreachable: "
  assert_no_leftovers "$ID"
}

@test "--systemd-cgroup: a cgroupsPath that is no slice:prefix:name is refused by name, nothing left" {
  local path msg
  while IFS='|' read -r path msg; do
    update_config ".linux.cgroupsPath = \"$path\""
    run hrun --systemd-cgroup create --bundle "$BUNDLE" "$ID"
    assert_failure
    assert_output "hrun: create: config.json: linux.cgroupsPath: $msg"
    [ ! -e "$HRUN_ROOT/$ID" ]
  done <<'EOF'
/machine/ctr|"/machine/ctr": expected "slice:prefix:name" for the systemd cgroup manager
system.slice:ctr|"system.slice:ctr": expected "slice:prefix:name" for the systemd cgroup manager
a.slice:b:c:d|"a.slice:b:c:d": expected "slice:prefix:name" for the systemd cgroup manager
machine:p:n|"machine" is no slice name ("name.slice")
a--b.slice:p:n|slice "a--b.slice": a "-" at either end or doubled
system.slice:p:|the name ("slice:prefix:name") is empty
system.slice:p:x.slice|"x.slice": a slice as the container's unit is not supported, only a scope
system.slice:p q:n|"p q:n": only letters, digits and ":-_.\" may name a unit
EOF
  # Once: a scan of every cgroup and process is slow under emulation (VM).
  assert_no_leftovers "$ID"
}

@test "systemd host: the scope holds the init with its limits, update changes both, delete stops it" {
  systemd_v2_host || skip "needs systemd as PID 1 and a cgroup v2 host"
  local unit=hrun-bats-$ID.scope pid dir
  update_config ".linux.cgroupsPath = \"system.slice:hrun-bats:$ID\" |
    .linux.resources = {memory: {limit: 67108864}, pids: {limit: 50},
                        cpu: {shares: 512, quota: 50000, period: 100000}}"
  hrun_bg --systemd-cgroup run -d --bundle "$BUNDLE" "$ID"
  assert_success
  pid=$(init_pid "$ID")
  dir=/sys/fs/cgroup/system.slice/$unit
  assert_equal "$(awk -F: '$1 == "0" { print $3 }' "/proc/$pid/cgroup")" "/system.slice/$unit"
  run systemctl show -p Delegate,MemoryMax,TasksMax,CPUQuotaPerSecUSec "$unit"
  assert_line Delegate=yes
  assert_line MemoryMax=67108864
  assert_line TasksMax=50
  assert_line CPUQuotaPerSecUSec=500ms
  assert_equal "$(cat "$dir/memory.max") $(cat "$dir/pids.max")" "67108864 50"
  assert_equal "$(cat "$dir/cpu.max")" "50000 100000"
  run hrun update --memory 134217728 --pids-limit 60 "$ID"
  assert_success
  run systemctl show -p MemoryMax,TasksMax "$unit"
  assert_line MemoryMax=134217728
  assert_line TasksMax=60
  assert_equal "$(cat "$dir/memory.max") $(cat "$dir/pids.max")" "134217728 60"
  run hrun delete --force "$ID"
  assert_success
  run systemctl list-units --all --no-legend "$unit"
  assert_output ""
  [ ! -e "$dir" ]
  assert_no_leftovers "$ID"
}

@test "systemd host: every limit as its unit property and in its cgroup file; nested slice; runc's default path" {
  systemd_v2_host || skip "needs systemd as PID 1 and a cgroup v2 host"
  local unit=hrun-bats-$ID.scope dir
  update_config ".linux.cgroupsPath = \"hrunbats-sub.slice:hrun-bats:$ID\" |
    .linux.resources = {memory: {limit: 67108864, swap: 100663296, reservation: 16777216},
                        pids: {limit: 70}, blockIO: {weight: 300},
                        cpu: {shares: 2048, quota: 30000, period: 50000, cpus: \"0\", mems: \"0\"},
                        unified: {\"memory.high\": \"50331648\"}}"
  hrun_bg --systemd-cgroup run -d --bundle "$BUNDLE" "$ID"
  assert_success
  run systemctl show -p Slice,Delegate,MemoryMax,MemoryLow,MemoryHigh,MemorySwapMax,TasksMax,CPUWeight,CPUQuotaPerSecUSec,CPUQuotaPeriodUSec,AllowedCPUs,AllowedMemoryNodes,IOWeight,DevicePolicy "$unit"
  assert_line Slice=hrunbats-sub.slice
  assert_line Delegate=yes
  assert_line MemoryMax=67108864
  assert_line MemoryLow=16777216
  assert_line MemoryHigh=50331648
  assert_line MemorySwapMax=33554432
  assert_line TasksMax=70
  # (shares 2048: 174 by the log-space map of runc >= 1.3.2 and crun >= 1.23)
  assert_line CPUWeight=174
  assert_line CPUQuotaPerSecUSec=600ms
  assert_line CPUQuotaPeriodUSec=50ms
  assert_line AllowedCPUs=0
  assert_line AllowedMemoryNodes=0
  assert_line IOWeight=$(( 1 + (300 - 10) * 9999 / 990 ))
  assert_line DevicePolicy=strict
  # "-" nests the slice: hrunbats.slice/hrunbats-sub.slice.
  dir=/sys/fs/cgroup/hrunbats.slice/hrunbats-sub.slice/$unit
  assert_equal "$(awk -F: '$1 == "0" { print $3 }' "/proc/$(init_pid "$ID")/cgroup")" "${dir#/sys/fs/cgroup}"
  assert_equal "$(cat "$dir/memory.max") $(cat "$dir/memory.low") $(cat "$dir/memory.high") $(cat "$dir/memory.swap.max")" \
    "67108864 16777216 50331648 33554432"
  assert_equal "$(cat "$dir/pids.max") $(cat "$dir/cpu.max") $(cat "$dir/cpuset.cpus") $(cat "$dir/cpuset.mems")" \
    "70 30000 50000 0 0"
  assert_equal "$(cat "$dir/cpu.weight")" 174
  run hrun delete --force "$ID"
  assert_success
  [ ! -e "$dir" ]
  # No cgroupsPath: runc's system.slice:<prefix>:<id>, with hrun as the prefix.
  update_config 'del(.linux.cgroupsPath) | del(.linux.resources)'
  hrun_bg --systemd-cgroup run -d --bundle "$BUNDLE" "$ID"
  assert_success
  assert_equal "$(awk -F: '$1 == "0" { print $3 }' "/proc/$(init_pid "$ID")/cgroup")" "/system.slice/hrun-$ID.scope"
  run hrun delete --force "$ID"
  assert_success
  run systemctl list-units --all --no-legend "hrun-$ID.scope"
  assert_output ""
}
