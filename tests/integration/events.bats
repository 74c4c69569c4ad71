#!/usr/bin/env bats
# events: runc's stream of stats and OOM events, one JSON object a line;
# its shape side by side with runc's, on cgroup v1 and v2.

load helpers

setup() {
  setup_common
  set_args sleep 100
  RUNC_ROOT=
}

teardown() {
  teardown_common
  [ -z "$RUNC_ROOT" ] || teardown_runc
  # A failed v2 test may leave its cgroup2 directories behind.
  rmdir "/sys/fs/cgroup/unified/hrun-ev-$$/$ID" "/sys/fs/cgroup/unified/hrun-ev-$$" 2>/dev/null || true
}

# hrun events ... with a time limit: a test must not hang on a stream that
# does not end. No container holds its stdout.
events() {
  timeout 30 "$HRUN_BIN" --root "$HRUN_ROOT" events "$@"
}

limits='.linux.resources.memory = {"limit": 67108864} | .linux.resources.pids = {"limit": 42}'

@test "events --stats: one line with the limits, the usage and the pid count" {
  update_config "$limits"
  set_args sh -c 'sleep 100 & sleep 100'
  hrun_bg run -d --bundle "$BUNDLE" "$ID"
  assert_success
  local n
  n=$(hrun ps --format json "$ID" | jq length)
  run events --stats "$ID"
  assert_success
  assert_equal "${#lines[@]}" 1
  jq -e --arg id "$ID" '.type == "stats" and .id == $id' <<<"$output"
  assert_equal "$(jq .data.memory.usage.limit <<<"$output")" 67108864
  assert_equal "$(jq .data.pids.limit <<<"$output")" 42
  assert_equal "$(jq .data.pids.current <<<"$output")" "$n"
  jq -e '.data.memory.usage.usage > 0 and .data.cpu.usage.total > 0' <<<"$output"
  jq -e '.data.memory.raw.total_rss >= 0 and (.data.cpu.usage.percpu | length) > 0' <<<"$output"
}

@test "events --stats: the keys of runc's for the same bundle, side by side" {
  setup_runc
  update_config "$limits"
  hrun_bg run -d --bundle "$BUNDLE" "$ID"
  assert_success
  (cd "$BUNDLE" && runc --root "$RUNC_ROOT" run -d "$ID-runc") </dev/null >/dev/null 2>&1
  local h r path
  h=$(events --stats "$ID")
  r=$(runc --root "$RUNC_ROOT" events --stats "$ID-runc")
  assert_equal "$(jq -c keys <<<"$h")" "$(jq -c keys <<<"$r")"
  # memory.cache is left out when 0, and whether a container's page cache
  # is charged to it depends on who read the rootfs first.
  for path in '' .cpu .cpu.usage .cpuset .pids .memory.usage .memory.swap .memory.kernel; do
    assert_equal "$(jq -c ".data$path | keys" <<<"$h")" "$(jq -c ".data$path | keys" <<<"$r")"
  done
  assert_equal "$(jq -c '.data.memory | keys - ["cache"]' <<<"$h")" \
    "$(jq -c '.data.memory | keys - ["cache"]' <<<"$r")"
  assert_equal "$(jq -c '.data.memory.raw | keys' <<<"$h")" "$(jq -c '.data.memory.raw | keys' <<<"$r")"
  assert_equal "$(jq -c '.data | [.memory.usage.limit, .pids.limit, .pids.current]' <<<"$h")" \
    "$(jq -c '.data | [.memory.usage.limit, .pids.limit, .pids.current]' <<<"$r")"
}

@test "events --interval: stats lines until the container stops, then exit 0" {
  # (a process that lives 2 s: ten stats lines' worth)
  set_args sh -c 'sleep 1; sleep 1'
  hrun_bg run -d --bundle "$BUNDLE" "$ID"
  assert_success
  run events --interval 200ms "$ID"
  assert_success
  [ "${#lines[@]}" -ge 3 ]
  local line
  for line in "${lines[@]}"; do
    jq -e --arg id "$ID" '.type == "stats" and .id == $id and (.data | has("memory"))' <<<"$line"
  done
  assert_equal "$(container_status "$ID")" stopped
  # A stopped container has no stream, as with runc.
  run events "$ID"
  assert_failure
  assert_output --partial "container not running"
}

@test "events: an OOM kill in the container is an oom event" {
  update_config '.linux.resources.memory = {"limit": 16777216}'
  # (the container outlives the OOM kill of its tail a moment: the event
  # comes while it runs)
  set_args sh -c 'while [ ! -e /tmp/go ]; do sleep 0.1; done; head -c 64m /dev/zero | tail; sleep 0.3'
  hrun_bg run -d --bundle "$BUNDLE" "$ID"
  assert_success
  local out=$BATS_TEST_TMPDIR/events.out ev i rc=0
  events --interval 100ms "$ID" >"$out" 2>&1 &
  ev=$!
  # The OOM watch is open before the first stats line.
  wait_until 10 test -s "$out" || fail "no stats line: $(cat "$out")"
  touch "$BUNDLE/rootfs/tmp/go"
  wait "$ev" || rc=$?
  cut -c1-200 "$out" # shown when the test fails
  assert_equal "$rc" 0
  grep -qFx "{\"type\":\"oom\",\"id\":\"$ID\"}" "$out"
}

@test "events: errors name the container or the option" {
  run events --stats nope
  assert_failure
  assert_output "hrun: events: container nope does not exist"
  run events nope
  assert_failure
  assert_output --partial "does not exist"
  run events --interval fast nope
  assert_failure
  assert_output --partial '--interval: "fast" is not a duration'
  run events --interval 0 nope
  assert_failure
  assert_output --partial "--interval: \"0\": the interval must be greater than 0"
  run events --interval=-1s nope
  assert_failure
  assert_output --partial "must be greater than 0"
  run events
  assert_failure
  assert_output --partial "usage: hrun events"
}

@test "cgroup v2: events --stats reads the cgroup2 files" {
  grep -q ' /sys/fs/cgroup/unified cgroup2 ' /proc/self/mounts || skip "no cgroup2 hierarchy on this host"
  update_config ".linux.cgroupsPath = \"/hrun-ev-$$/$ID\" | del(.linux.resources)"
  # Everything in one private mount namespace: the state records cgroup2
  # paths that only exist there.
  run run_on_cgroup2 env HRUN_BIN="$HRUN_BIN" HRUN_ROOT="$HRUN_ROOT" BUNDLE="$BUNDLE" ID="$ID" sh -c '
    hrun() { "$HRUN_BIN" --root "$HRUN_ROOT" "$@"; }
    hrun run -d --bundle "$BUNDLE" "$ID" </dev/null >/dev/null 2>&1 || exit 10
    timeout 30 "$HRUN_BIN" --root "$HRUN_ROOT" events --stats "$ID"
    rc=$?
    hrun delete --force "$ID"
    exit $rc'
  assert_success
  assert_equal "${#lines[@]}" 1
  assert_equal "$(jq -c '.data | keys' <<<"$output")" \
    '["blkio","cpu","cpuset","hugetlb","intel_rdt","memory","network_interfaces","pids"]'
  # cpu.stat (usage_usec) in ns, and the processes of cgroup.procs: this
  # cgroup2 hierarchy has neither the cpu nor the pids controller.
  jq -e '.data.cpu.usage.total > 0 and .data.pids.current == 1' <<<"$output"
  jq -e '.data.cpu.usage | has("percpu") | not' <<<"$output"
  [ ! -e "/sys/fs/cgroup/unified/hrun-ev-$$" ]
}
