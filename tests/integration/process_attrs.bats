#!/usr/bin/env bats
# process.ioPriority, process.scheduler, linux.memoryPolicy: applied to the
# container's processes or refused with an error naming the field.

load helpers

setup() {
  setup_common
}

teardown() {
  teardown_common
}

# stat_field PID N: field N of /proc/PID/stat (the command, field 2, holds
# no space here).
stat_field() {
  awk -v n="$2" '{print $n}' "/proc/$1/stat"
}

# refuse 'jq filter' 'message': with the filter applied to the test's
# original config, create fails with that one-line message and leaves no
# container, state, cgroup or init behind.
refuse() {
  [ -e "$BUNDLE/config.orig" ] || cp "$BUNDLE/config.json" "$BUNDLE/config.orig"
  cp "$BUNDLE/config.orig" "$BUNDLE/config.json"
  update_config "$1"
  set_args sleep 100
  hrun_bg create --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output --partial "$2"
  assert_equal "${#lines[@]}" 1
  assert_equal "$(hrun list -q)" ""
  assert_equal "$(pids_mentioning "$ID")" ""
  assert_equal "$(cgroup_dirs_named "$ID")" ""
}

@test "process.ioPriority is the init's I/O priority, seen inside and outside" {
  update_config '.process.ioPriority = {"class": "IOPRIO_CLASS_BE", "priority": 6}'
  set_args sh -c 'ionice -p 1'
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_output "best-effort: prio 6"

  update_config '.process.ioPriority = {"class": "IOPRIO_CLASS_IDLE", "priority": 0}'
  set_args sleep 100
  hrun create --bundle "$BUNDLE" "$ID-2"
  run ionice -p "$(init_pid "$ID-2")"
  assert_output "idle"
}

@test "process.ioPriority: IOPRIO_CLASS_RT needs privileges the container lacks" {
  # The runc spec's capabilities have neither CAP_SYS_ADMIN nor CAP_SYS_NICE:
  # hrun sets the class while still privileged.
  update_config '.process.ioPriority = {"class": "IOPRIO_CLASS_RT", "priority": 1}'
  set_args sleep 100
  hrun create --bundle "$BUNDLE" "$ID"
  run ionice -p "$(init_pid "$ID")"
  assert_output "realtime: prio 1"
}

@test "process.scheduler: SCHED_BATCH with nice, SCHED_FIFO with priority" {
  update_config '.process.scheduler = {"policy": "SCHED_BATCH", "nice": 7}'
  set_args sleep 100
  hrun create --bundle "$BUNDLE" "$ID"
  local pid
  pid=$(init_pid "$ID")
  # /proc/PID/stat: 19 nice, 40 rt_priority, 41 policy (SCHED_BATCH = 3)
  assert_equal "$(stat_field "$pid" 19)" 7
  assert_equal "$(stat_field "$pid" 41)" 3

  # With RT group scheduling (cgroup v1 here) the container's cgroup needs
  # a real-time budget for SCHED_FIFO at all.
  update_config '.process.scheduler = {"policy": "SCHED_FIFO", "priority": 10}
    | .linux.resources.cpu = {"realtimeRuntime": 10000, "realtimePeriod": 1000000}'
  hrun create --bundle "$BUNDLE" "$ID-2"
  pid=$(init_pid "$ID-2")
  assert_equal "$(stat_field "$pid" 40)" 10
  assert_equal "$(stat_field "$pid" 41)" 1
}

@test "process.scheduler: SCHED_DEADLINE with runtime, deadline and period" {
  update_config '.process.scheduler = {"policy": "SCHED_DEADLINE", "runtime": 1000000,
      "deadline": 5000000, "period": 10000000}'
  set_args sleep 100
  hrun create --bundle "$BUNDLE" "$ID"
  local pid
  pid=$(init_pid "$ID")
  assert_equal "$(stat_field "$pid" 41)" 6
  run grep -E '^dl\.(runtime|deadline)' "/proc/$pid/sched"
  assert_success
}

@test "process.scheduler of the init also reaches exec'd processes, unless theirs is given" {
  update_config '.process.scheduler = {"policy": "SCHED_BATCH", "nice": 3}
    | .process.ioPriority = {"class": "IOPRIO_CLASS_BE", "priority": 2}'
  set_args sleep 100
  hrun create --bundle "$BUNDLE" "$ID"
  hrun start "$ID"
  run hrun exec "$ID" sh -c 'cut -d" " -f19,41 /proc/$$/stat; ionice -p $$'
  assert_success
  assert_line --index 0 "3 3"
  assert_line --index 1 "best-effort: prio 2"

  jq '.process | .args = ["sh", "-c", "cut -d\" \" -f19,41 /proc/$$/stat; ionice -p $$"]
      | .scheduler = {"policy": "SCHED_OTHER", "nice": -4}
      | .ioPriority = {"class": "IOPRIO_CLASS_BE", "priority": 5}' \
    "$BUNDLE/config.json" >"$BATS_TEST_TMPDIR/process.json"
  run hrun exec --process "$BATS_TEST_TMPDIR/process.json" "$ID"
  assert_success
  assert_line --index 0 "-4 0"
  assert_line --index 1 "best-effort: prio 5"
}

@test "linux.memoryPolicy: MPOL_BIND and MPOL_INTERLEAVE on node 0, also for exec" {
  update_config '.linux.memoryPolicy = {"mode": "MPOL_BIND", "nodes": "0"}'
  set_args sleep 100
  hrun create --bundle "$BUNDLE" "$ID"
  hrun start "$ID"
  run grep -c ' bind:0 ' "/proc/$(init_pid "$ID")/numa_maps"
  assert_success
  run hrun exec "$ID" sh -c 'grep -c " bind:0 " /proc/$$/numa_maps'
  assert_success
  refute_output 0

  update_config '.linux.memoryPolicy = {"mode": "MPOL_INTERLEAVE", "nodes": "0"}'
  hrun create --bundle "$BUNDLE" "$ID-2"
  run grep -c ' interleave:0 ' "/proc/$(init_pid "$ID-2")/numa_maps"
  assert_success
}

@test "linux.memoryPolicy: a node that does not exist is refused, naming the field" {
  local missing
  missing=$(($(ls -d /sys/devices/system/node/node[0-9]* | sed 's/.*node//' | sort -n | tail -1) + 1))
  refuse ".linux.memoryPolicy = {\"mode\": \"MPOL_BIND\", \"nodes\": \"0-$missing\"}" \
    "linux.memoryPolicy.nodes: node $missing (of \"0-$missing\") does not exist"
}

@test "bad ioPriority, scheduler and memoryPolicy values are refused, naming the field" {
  refuse '.process.ioPriority = {"class": "IOPRIO_CLASS_FAST", "priority": 1}' \
    'config.json: process.ioPriority.class: unknown I/O priority class "IOPRIO_CLASS_FAST"'
  refuse '.process.ioPriority = {"class": "IOPRIO_CLASS_BE", "priority": 8}' \
    'config.json: process.ioPriority.priority must be between 0 and 7'
  refuse '.process.ioPriority = {"priority": 1}' \
    'config.json: process.ioPriority.class: is required'
  refuse '.process.scheduler = {"policy": "SCHED_FAST"}' \
    'config.json: process.scheduler.policy: unknown scheduler policy "SCHED_FAST"'
  refuse '.process.scheduler = {"policy": "SCHED_OTHER", "nice": 20}' \
    'config.json: process.scheduler.nice must be between -20 and 19'
  refuse '.process.scheduler = {"policy": "SCHED_OTHER", "priority": 5}' \
    'config.json: process.scheduler.priority: can only be set with SCHED_FIFO or SCHED_RR'
  refuse '.process.scheduler = {"policy": "SCHED_RR", "priority": 100}' \
    'config.json: process.scheduler.priority must be between 1 and 99'
  refuse '.process.scheduler = {"policy": "SCHED_BATCH", "runtime": 1000}' \
    'config.json: process.scheduler: runtime, deadline and period can only be set with SCHED_DEADLINE'
  refuse '.process.scheduler = {"policy": "SCHED_DEADLINE", "runtime": 2000000, "deadline": 1000000}' \
    'config.json: process.scheduler.deadline must be at least the runtime'
  refuse '.process.scheduler = {"policy": "SCHED_DEADLINE", "runtime": 2000, "deadline": 3000, "period": 2500}' \
    'config.json: process.scheduler.period must be 0 or at least the deadline'
  refuse '.process.scheduler = {"policy": "SCHED_BATCH", "flags": ["SCHED_FLAG_FAST"]}' \
    'config.json: process.scheduler.flags[0]: unknown scheduler flag "SCHED_FLAG_FAST"'
  refuse '.linux.memoryPolicy = {"mode": "MPOL_FAST", "nodes": "0"}' \
    'config.json: linux.memoryPolicy.mode: unknown memory policy mode "MPOL_FAST"'
  refuse '.linux.memoryPolicy = {"mode": "MPOL_BIND", "nodes": "0-"}' \
    'config.json: linux.memoryPolicy.nodes: "0-" is not a node list'
  refuse '.linux.memoryPolicy = {"mode": "MPOL_BIND"}' \
    'config.json: linux.memoryPolicy.nodes must name at least one node'
  refuse '.linux.memoryPolicy = {"mode": "MPOL_LOCAL", "nodes": "0"}' \
    'config.json: linux.memoryPolicy.nodes must be empty with MPOL_DEFAULT and MPOL_LOCAL'
  refuse '.linux.memoryPolicy = {"mode": "MPOL_BIND", "nodes": "0",
      "flags": ["MPOL_F_STATIC_NODES", "MPOL_F_RELATIVE_NODES"]}' \
    'config.json: linux.memoryPolicy.flags: MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES exclude each other'
}

@test "a real-time policy without a real-time budget is refused with the hint" {
  [ -e /sys/fs/cgroup/cpu/cpu.rt_runtime_us ] || skip "no RT group scheduling here"
  refuse '.process.scheduler = {"policy": "SCHED_FIFO", "priority": 10}' \
    'process.scheduler: sched_setattr (a real-time policy needs a real-time budget'
}

@test "features lists the memory policy modes and flags hrun applies" {
  run hrun features
  assert_success
  assert_equal "$(jq -c .linux.memoryPolicy.modes <<<"$output")" \
    '["MPOL_BIND","MPOL_DEFAULT","MPOL_INTERLEAVE","MPOL_LOCAL","MPOL_PREFERRED","MPOL_PREFERRED_MANY","MPOL_WEIGHTED_INTERLEAVE"]'
  assert_equal "$(jq -c .linux.memoryPolicy.flags <<<"$output")" \
    '["MPOL_F_NUMA_BALANCING","MPOL_F_RELATIVE_NODES","MPOL_F_STATIC_NODES"]'
}
