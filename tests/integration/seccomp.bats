#!/usr/bin/env bats
# linux.seccomp: compiled by the runtime, loaded in the container's process
# (and its startContainer hooks, and exec'd processes), with SCMP_ACT_NOTIFY
# listeners handed to their agent.

load helpers

setup() {
  setup_common
  AGENT=$REPO_ROOT/build/tests/helpers/seccomp_agent
}

teardown() {
  teardown_common
  [ -z "${AGENT_PID:-}" ] || kill "$AGENT_PID" 2>/dev/null || true
}

deny_mkdir() {
  update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
    "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
    "syscalls": [{"names": ["mkdir", "mkdirat", "no_such_syscall"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}'
}

@test "a profile denying mkdir with EPERM: mkdir fails inside, the rest works" {
  deny_mkdir
  set_args sh -c 'mkdir /tmp/x; echo rc=$?; touch /tmp/file && echo touched; grep Seccomp: /proc/self/status'
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_line --partial "Operation not permitted"
  assert_line rc=1
  assert_line touched
  assert_line --regexp '^Seccomp:\s+2$'
}

@test "the filter loads without noNewPrivileges, for a non-root user too" {
  deny_mkdir
  update_config '.process.noNewPrivileges = false | .process.user = {"uid": 1000, "gid": 1000}'
  set_args sh -c 'mkdir /tmp/x 2>&1; grep -E "^(Seccomp|NoNewPrivs):" /proc/self/status'
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_line --partial "Operation not permitted"
  assert_line --regexp '^NoNewPrivs:\s+0$'
  assert_line --regexp '^Seccomp:\s+2$'
}

@test "exec'd processes and startContainer hooks run under the container's filter" {
  deny_mkdir
  mkdir -p "$BATS_TEST_TMPDIR/rec"
  update_config ".mounts += [{\"destination\":\"/rec\",\"type\":\"bind\",\"source\":\"$BATS_TEST_TMPDIR/rec\",\"options\":[\"rbind\"]}]
    | .hooks.startContainer = [{\"path\": \"/bin/sh\", \"args\": [\"sh\", \"-c\", \"mkdir /tmp/hook 2>/rec/hook.err; grep Seccomp: /proc/self/status >/rec/hook.status; true\"]}]"
  set_args sleep 100
  hrun create --bundle "$BUNDLE" "$ID"
  hrun start "$ID"
  run cat "$BATS_TEST_TMPDIR/rec/hook.err"
  assert_output --partial "Operation not permitted"
  run cat "$BATS_TEST_TMPDIR/rec/hook.status"
  assert_output --regexp '^Seccomp:\s+2$'
  run hrun exec "$ID" mkdir /tmp/y
  assert_failure
  assert_output --partial "Operation not permitted"
}

@test "SCMP_ACT_NOTIFY: the listener reaches the agent with the container state, and the agent's answer the process" {
  update_config ".linux.seccomp = {\"defaultAction\": \"SCMP_ACT_ALLOW\",
    \"listenerPath\": \"$BATS_TEST_TMPDIR/agent.sock\", \"listenerMetadata\": \"from-the-test\",
    \"syscalls\": [{\"names\": [\"mkdir\", \"mkdirat\"], \"action\": \"SCMP_ACT_NOTIFY\"}]}
    | .annotations = {\"org.example\": \"yes\"}"
  "$AGENT" "$BATS_TEST_TMPDIR/agent.sock" "$BATS_TEST_TMPDIR" >"$BATS_TEST_TMPDIR/agent.log" 2>&1 &
  AGENT_PID=$!
  wait_until 5 test -S "$BATS_TEST_TMPDIR/agent.sock"
  set_args sh -c 'mkdir /tmp/x; echo rc=$?; touch /tmp/f && echo touched'
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_line --partial "Invalid cross-device link"
  assert_line rc=1
  assert_line touched
  local st=$BATS_TEST_TMPDIR/state.json
  assert_equal "$(jq -r '.fds | join(",")' "$st")" seccompFd
  assert_equal "$(jq -r .metadata "$st")" from-the-test
  assert_equal "$(jq -r .state.id "$st")" "$ID"
  assert_equal "$(jq -r .state.status "$st")" creating
  assert_equal "$(jq -r .state.bundle "$st")" "$BUNDLE"
  assert_equal "$(jq -r '.state.annotations["org.example"]' "$st")" yes
  [ "$(jq -r .pid "$st")" -gt 0 ]
}

@test "seccomp flags and --debug notes about skipped syscall names" {
  deny_mkdir
  update_config '.linux.seccomp.flags = ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"]'
  set_args sh -c 'mkdir /tmp/x 2>&1'
  run "$HRUN_BIN" --root "$HRUN_ROOT" --debug run --bundle "$BUNDLE" "$ID"
  assert_output --partial "Operation not permitted"
  assert_output --partial "no_such_syscall"
}

@test "a profile errors name the field" {
  update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_BOGUS"}'
  run hrun create --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output 'hrun: create: config.json: linux.seccomp.defaultAction: unknown action "SCMP_ACT_BOGUS"'
  update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_SOMETIMES"}]}]}'
  run hrun create --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output --partial 'linux.seccomp.syscalls[0].args[0].op: unknown operator "SCMP_CMP_SOMETIMES"'
  [ ! -e "$HRUN_ROOT/$ID" ]
}
