#!/usr/bin/env bats
# linux.netDevices: a host interface moved (and renamed) into the
# container's network namespace. Every test runs hrun inside a network
# namespace of its own (`unshare -n`), which stands for the host: the
# machine's interfaces are never touched, and the veth pair made there goes
# with it. (No dummy module on this kernel; a veth end is a network device
# as good.)

load helpers

setup() {
  setup_common
  set_args sleep 100
  export HRUN_BIN HRUN_ROOT BUNDLE ID
}

teardown() {
  teardown_common
}

# in_private_netns SCRIPT: runs bash SCRIPT in a new network namespace with
# a veth pair d0/d0p (d0 has 10.9.9.1/24 and a link-local address); `h` is
# hrun with the test's root.
in_private_netns() {
  unshare -n bash -c '
    set -e
    h() { "$HRUN_BIN" --root "$HRUN_ROOT" "$@"; }
    ip link add d0 type veth peer name d0p
    ip addr add 10.9.9.1/24 dev d0
    ip addr add fe80::9/64 dev d0
    '"$1"
}

@test "netDevices: an interface moves into the container, renamed, up, with its global address" {
  update_config '.linux.netDevices = {"d0": {"name": "eth7"}}'
  run in_private_netns '
    h create --bundle "$BUNDLE" "$ID" </dev/null >/dev/null 2>&1
    echo "in: $(h exec "$ID" ip -o addr show eth7 | grep -o "inet6\? [^ ]*" | tr "\n" " ")"
    echo "up: $(h exec "$ID" cat /sys/class/net/eth7/flags)"
    ip link show d0 >/dev/null 2>&1 && echo "d0 still in the runtime namespace"
    h delete --force "$ID"
    # runtime-spec: the runtime MUST NOT move it back; a virtual device
    # dies with the container network namespace.
    ip link show d0 >/dev/null 2>&1 && echo "d0 back after delete"
    echo done'
  assert_success
  assert_line "in: inet 10.9.9.1/24 "
  # IFF_UP is bit 0 of the flags.
  assert_line --regexp '^up: 0x[0-9a-f]*[13579bdf]$'
  refute_line "d0 still in the runtime namespace"
  refute_line "d0 back after delete"
  assert_line done
}

@test "netDevices: without a name the interface keeps its host name" {
  update_config '.linux.netDevices = {"d0": {}}'
  set_args cat /sys/class/net/d0/ifindex
  run in_private_netns 'h run --bundle "$BUNDLE" "$ID"'
  assert_success
  assert_output --regexp '^[0-9]+$'
}

@test "netDevices: a %d template lets the kernel pick the name" {
  update_config '.linux.netDevices = {"d0": {"name": "eth%d"}}'
  set_args ls /sys/class/net
  run in_private_netns 'h run --bundle "$BUNDLE" "$ID"'
  assert_success
  assert_output "$(printf 'eth0\nlo')"
}

@test "netDevices: a missing interface is an error naming it, and nothing is left" {
  update_config '.linux.netDevices = {"nosuch0": {"name": "eth7"}}'
  # (create's output to a file: a container that did start must not hold
  # the pipe bats reads)
  run in_private_netns 'r=0; h create --bundle "$BUNDLE" "$ID" </dev/null >"$BUNDLE/out" 2>&1 || r=$?; cat "$BUNDLE/out"; exit $r'
  assert_failure
  assert_output --partial "linux.netDevices.nosuch0: no such interface in the runtime's network namespace"
  run hrun list -q
  assert_output ""
  [ -z "$(pids_mentioning "$ID")" ] || fail "a process of $ID is left"
}

@test "netDevices: a name taken in the container is an error, and the interface stays" {
  update_config '.linux.netDevices = {"d0": {"name": "lo"}}'
  run in_private_netns '
    h create --bundle "$BUNDLE" "$ID" </dev/null >"$BUNDLE/out" 2>&1 && echo created
    cat "$BUNDLE/out"
    ip link show d0 >/dev/null && echo "d0 stays"'
  assert_line --partial "linux.netDevices.d0: the container's network namespace already has an interface lo"
  refute_line created
  assert_line "d0 stays"
}

@test "netDevices: without a network namespace is refused by name" {
  update_config '.linux.namespaces |= map(select(.type != "network")) | .linux.netDevices = {"d0": {}}'
  hrun_bg create --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output --partial "linux.netDevices: requires a network namespace in linux.namespaces"
}

@test "netDevices: an invalid interface name is refused by name" {
  update_config '.linux.netDevices = {"d0": {"name": "a/b"}}'
  hrun_bg create --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output --partial 'linux.netDevices.d0.name: "a/b" is not a valid interface name'
  update_config '.linux.netDevices = {"0123456789abcdef": {}}'
  hrun_bg create --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output --partial 'linux.netDevices.0123456789abcdef: "0123456789abcdef" is not a valid interface name'
}
