#!/usr/bin/env bats
# End to end, side by side: one sequence of Kubernetes CRI calls, as the
# kubelet makes them, sent to a private containerd 1.6 (e2e/cri.bash) once
# with the runtime handler "runc" (/usr/sbin/runc) and once with "hrun"
# ("$HRUN_BIN"), each in a pod of its own. Each call's outcome (OK or the
# gRPC code) and what the engine then reports (container state, exit code
# and reason; sandbox state) go into a transcript; the two transcripts must
# be the same. The wall times of the stops are printed, not compared.
# runc's transcript must also be the one written below: that proves the
# sequence right.

load helpers
load e2e/lib
load e2e/cri

# (a call that hangs costs the hrun test 15 s, not 20)
# shellcheck disable=SC2034 # (cri.bash's)
CRI_TIMEOUT=${CRI_TIMEOUT_TRANSCRIPT:-15}

setup_file() {
  cri_setup_file crit
}

teardown_file() {
  cri_containerd_stop
}

teardown() {
  cri_clean
}

# rec LINE: a line of the transcript.
rec() {
  echo "$*" >>"$TRANSCRIPT"
}

# rec_call LABEL METHOD JSON: a CRI call and its outcome.
rec_call() {
  local label=$1
  shift
  cri "$@"
  if [ "$status" = 0 ]; then
    rec "$label: OK"
  else
    rec "$label: $(jq -r '.error.code // "NO-ANSWER"' <<<"$output" 2>/dev/null || echo NO-ANSWER)"
  fi
}

# rec_timed LABEL METHOD JSON: rec_call, and its wall time in $TIMES.
rec_timed() {
  local t0
  t0=$(now)
  rec_call "$@"
  echo "$HANDLER $1: $(elapsed "$t0") s" >>"$TIMES"
}

# rec_ctr NAME: the container's state, exit code and reason as CRI says.
rec_ctr() {
  cri ContainerStatus "{\"container_id\": \"${CIDS[$1]}\"}"
  if [ "$status" = 0 ]; then
    rec "  $1: $(jq -r '.status | "\(.state) exit_code=\(.exit_code) reason=\(.reason)"' <<<"$output")"
  else
    rec "  $1: ContainerStatus $(jq -r '.error.code // "NO-ANSWER"' <<<"$output" 2>/dev/null || echo NO-ANSWER)"
  fi
}

# rec_pod: the sandbox's state as CRI says.
rec_pod() {
  cri PodSandboxStatus "{\"pod_sandbox_id\": \"$POD_ID\"}"
  if [ "$status" = 0 ]; then
    rec "  pod: $(jq -r '.status | "\(.state) ip=\(.network.ip)"' <<<"$output")"
  else
    rec "  pod: PodSandboxStatus $(jq -r '.error.code // "NO-ANSWER"' <<<"$output" 2>/dev/null || echo NO-ANSWER)"
  fi
}

# new_ctr NAME ARGS_JSON [JQ_FILTER]: CreateContainer and StartContainer.
new_ctr() {
  local name=$1
  cri CreateContainer "$(jq -cn --arg pod "$POD_ID" --argjson c "$(cri_ctr_config "$@")" \
    --argjson sc "$POD_CONFIG" '{pod_sandbox_id: $pod, config: $c, sandbox_config: $sc}')"
  if [ "$status" = 0 ]; then
    rec "CreateContainer $name: OK"
    CIDS[$name]=$(jq -r .container_id <<<"$output")
  else
    rec "CreateContainer $name: $(jq -r '.error.code // "NO-ANSWER"' <<<"$output" 2>/dev/null)"
    CIDS[$name]=none
  fi
  rec_call "StartContainer $name" StartContainer "{\"container_id\": \"${CIDS[$name]}\"}"
}

# wait_exit NAME: waits (8 s) for the container to exit, then records it.
wait_exit() {
  cri wait "{\"container_id\": \"${CIDS[$1]}\", \"state\": \"CONTAINER_EXITED\", \"seconds\": 8}"
  [ "$status" = 0 ] || rec "  $1: did not exit within 8 s"
  rec_ctr "$1"
}

# oom_reason_recorded ID: the container exited, and CRI has its OOM kill.
oom_reason_recorded() {
  cri_q ContainerStatus "{\"container_id\": \"$1\"}" |
    jq -e '.status.state == "CONTAINER_EXITED" and .status.reason == "OOMKilled"' >/dev/null 2>&1
}

# wait_ready NAME: waits (10 s) for "ready" in the container's log (its
# SIGTERM trap is set).
wait_ready() {
  e2e_wait_for 10 grep -q ' ready$' "$E2E_DIR/logs/$POD/$1.log" ||
    rec "  $1: no 'ready' in its log within 10 s"
}

# transcript HANDLER: the sequence, in a pod of its own with the runtime
# handler HANDLER; the transcript in $E2E_DIR/HANDLER.transcript, the
# wall times in $E2E_DIR/times.
transcript() {
  HANDLER=$1
  TRANSCRIPT=$E2E_DIR/$HANDLER.transcript
  TIMES=$E2E_DIR/times
  POD=$E2E_NAME-$HANDLER
  declare -gA CIDS=()
  local cg
  : >"$TRANSCRIPT"

  POD_CONFIG=$(cri_pod_config "$POD")
  cri RunPodSandbox "$(jq -cn --argjson c "$POD_CONFIG" --arg h "$HANDLER" '{config: $c, runtime_handler: $h}')"
  if [ "$status" = 0 ]; then
    rec "RunPodSandbox: OK"
    POD_ID=$(jq -r .pod_sandbox_id <<<"$output")
    echo "$POD_ID" >>"$E2E_DIR/pod-ids"
  else
    rec "RunPodSandbox: $(jq -r '.error.code // "NO-ANSWER"' <<<"$output" 2>/dev/null)"
    POD_ID=none
  fi
  rec_pod

  # Containers that exit by themselves: in their own pid namespace, and in
  # the pod's (the shim then runs `kill --all <id> 9` after the exit).
  new_ctr exit0 '["sh", "-c", "exit 0"]'
  wait_exit exit0
  new_ctr exit3-podpid '["sh", "-c", "sleep 0.2; exit 3"]' '.linux.security_context.namespace_options.pid = "POD"'
  wait_exit exit3-podpid
  new_ctr oom '["dd", "if=/dev/zero", "of=/dev/null", "bs=64M", "count=1"]' \
    '.linux.resources.memory_limit_in_bytes = 16777216'
  # containerd learns of the OOM kill from an event of its own, which may
  # come after the exit's (a loaded host; runc's too): the kubelet reads
  # the status again later, so give the reason time to settle.
  e2e_wait_for 13 oom_reason_recorded "${CIDS[oom]}" || true
  wait_exit oom

  # ExecSync; stops with a grace period: SIGTERM trapped, SIGTERM ignored.
  new_ctr term '["sh", "-c", "trap \"exit 7\" TERM; echo ready; while :; do sleep 0.1; done"]'
  new_ctr ignore '["sh", "-c", "trap \"\" TERM; echo ready; while :; do sleep 0.1; done"]'
  rec_ctr term
  cri ExecSync "{\"container_id\": \"${CIDS[term]}\", \"cmd\": [\"sh\", \"-c\", \"echo hi; exit 4\"], \"timeout\": 10}"
  rec "ExecSync term: $(jq -r 'if .error then .error.code else "OK exit_code=\(.exit_code) stdout=\(.stdout | @json)" end' <<<"$output" 2>/dev/null)"
  wait_ready term
  wait_ready ignore
  rec_timed "StopContainer term (grace 10 s)" StopContainer "{\"container_id\": \"${CIDS[term]}\", \"timeout\": 10}"
  rec_ctr term
  rec_timed "StopContainer ignore (grace 2 s)" StopContainer "{\"container_id\": \"${CIDS[ignore]}\", \"timeout\": 2}"
  rec_ctr ignore
  # ... and in the pod's pid namespace.
  new_ctr sleep-podpid '["sleep", "1000"]' '.linux.security_context.namespace_options.pid = "POD"'
  rec_timed "StopContainer sleep-podpid (grace 5 s)" StopContainer "{\"container_id\": \"${CIDS[sleep-podpid]}\", \"timeout\": 5}"
  rec_ctr sleep-podpid

  # Resources.
  new_ctr upd '["sleep", "1000"]' '.linux.resources.memory_limit_in_bytes = 67108864'
  rec_call "UpdateContainerResources upd" UpdateContainerResources \
    "{\"container_id\": \"${CIDS[upd]}\", \"linux\": {\"memory_limit_in_bytes\": 33554432}}"
  cg=$(cgroup_file "${CIDS[upd]}" memory memory.limit_in_bytes)
  rec "  upd: memory.limit_in_bytes=$(cat "$cg" 2>/dev/null || echo none)"

  # Calls that must fail, or do nothing, on exited containers.
  rec_call "StartContainer exit0 (exited)" StartContainer "{\"container_id\": \"${CIDS[exit0]}\"}"
  rec_call "ExecSync term (exited)" ExecSync "{\"container_id\": \"${CIDS[term]}\", \"cmd\": [\"true\"], \"timeout\": 5}"
  rec_call "StopContainer exit0 (exited)" StopContainer "{\"container_id\": \"${CIDS[exit0]}\", \"timeout\": 5}"
  rec_ctr exit0

  # Removals: of an exited container, of a running one.
  rec_call "RemoveContainer exit0" RemoveContainer "{\"container_id\": \"${CIDS[exit0]}\"}"
  rec_ctr exit0
  rec_call "RemoveContainer exit0 (again)" RemoveContainer "{\"container_id\": \"${CIDS[exit0]}\"}"
  rec_timed "RemoveContainer upd (running)" RemoveContainer "{\"container_id\": \"${CIDS[upd]}\"}"
  rec_ctr upd

  # The pod: stopped, then removed; each twice.
  rec_timed "StopPodSandbox" StopPodSandbox "{\"pod_sandbox_id\": \"$POD_ID\"}"
  rec_pod
  for c in exit3-podpid oom term ignore sleep-podpid; do
    rec_ctr "$c"
  done
  rec_call "StopPodSandbox (again)" StopPodSandbox "{\"pod_sandbox_id\": \"$POD_ID\"}"
  rec_timed "RemovePodSandbox" RemovePodSandbox "{\"pod_sandbox_id\": \"$POD_ID\"}"
  rec_pod
  rec_ctr term
  rec_call "RemovePodSandbox (again)" RemovePodSandbox "{\"pod_sandbox_id\": \"$POD_ID\"}"

  # What the runtime and the kernel still have.
  rec "runtime root: $(ls -A "$E2E_DIR/rt/$HANDLER/$CRI_NS" 2>/dev/null | wc -l) entries"
  rec "cgroups: $(find /sys/fs/cgroup/memory/"$E2E_NAME" -mindepth 1 -type d 2>/dev/null | wc -l) below the parent"
}

# The transcript runc gives (containerd 1.6.20, runc 1.1.5).
expected_transcript() {
  cat <<'EOF'
RunPodSandbox: OK
  pod: SANDBOX_READY ip=127.0.0.1
CreateContainer exit0: OK
StartContainer exit0: OK
  exit0: CONTAINER_EXITED exit_code=0 reason=Completed
CreateContainer exit3-podpid: OK
StartContainer exit3-podpid: OK
  exit3-podpid: CONTAINER_EXITED exit_code=3 reason=Error
CreateContainer oom: OK
StartContainer oom: OK
  oom: CONTAINER_EXITED exit_code=137 reason=OOMKilled
CreateContainer term: OK
StartContainer term: OK
CreateContainer ignore: OK
StartContainer ignore: OK
  term: CONTAINER_RUNNING exit_code=0 reason=
ExecSync term: OK exit_code=4 stdout="hi\n"
StopContainer term (grace 10 s): OK
  term: CONTAINER_EXITED exit_code=7 reason=Error
StopContainer ignore (grace 2 s): OK
  ignore: CONTAINER_EXITED exit_code=137 reason=Error
CreateContainer sleep-podpid: OK
StartContainer sleep-podpid: OK
StopContainer sleep-podpid (grace 5 s): OK
  sleep-podpid: CONTAINER_EXITED exit_code=143 reason=Error
CreateContainer upd: OK
StartContainer upd: OK
UpdateContainerResources upd: OK
  upd: memory.limit_in_bytes=33554432
StartContainer exit0 (exited): UNKNOWN
ExecSync term (exited): UNKNOWN
StopContainer exit0 (exited): OK
  exit0: CONTAINER_EXITED exit_code=0 reason=Completed
RemoveContainer exit0: OK
  exit0: ContainerStatus NOT_FOUND
RemoveContainer exit0 (again): OK
RemoveContainer upd (running): OK
  upd: ContainerStatus NOT_FOUND
StopPodSandbox: OK
  pod: SANDBOX_NOTREADY ip=
  exit3-podpid: CONTAINER_EXITED exit_code=3 reason=Error
  oom: CONTAINER_EXITED exit_code=137 reason=OOMKilled
  term: CONTAINER_EXITED exit_code=7 reason=Error
  ignore: CONTAINER_EXITED exit_code=137 reason=Error
  sleep-podpid: CONTAINER_EXITED exit_code=143 reason=Error
StopPodSandbox (again): OK
RemovePodSandbox: OK
  pod: PodSandboxStatus NOT_FOUND
  term: ContainerStatus NOT_FOUND
RemovePodSandbox (again): OK
runtime root: 0 entries
cgroups: 0 below the parent
EOF
}

@test "the CRI sequence with the runtime handler runc gives the expected transcript" {
  transcript runc
  sed 's/^/# /' "$TIMES" >&3
  diff -u <(expected_transcript) "$E2E_DIR/runc.transcript" >&2 ||
    fail "runc's transcript is not the expected one (diff above)"
}

@test "the CRI sequence with the runtime handler hrun ($HRUN_BIN) gives runc's transcript" {
  [ -s "$E2E_DIR/runc.transcript" ] || transcript runc
  : >"$E2E_DIR/times"
  transcript hrun
  sed "s/^/# /" "$TIMES" >&3
  diff -u "$E2E_DIR/runc.transcript" "$E2E_DIR/hrun.transcript" >&2 ||
    fail "hrun's transcript differs from runc's (diff above: - runc, + hrun)"
}
