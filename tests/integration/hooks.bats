#!/usr/bin/env bats
# The six hook stages: when each runs, in which namespaces, what it sees,
# and what its failure does (design.md §1, runtime-spec 1.3.0).

load helpers

setup() {
  setup_common
  REC=$BATS_TEST_TMPDIR/rec
  HOOK=$BATS_TEST_TMPDIR/hook.sh
  mkdir -p "$REC"
  cp "$TESTDATA/hook.sh" "$HOOK"
  cp "$TESTDATA/hook.sh" "$BUNDLE/rootfs/hook.sh"
  touch "$BUNDLE/rootfs/rootfs-marker"
  set_args sleep 100
  # The container's hooks write their records through this bind mount.
  update_config ".mounts += [{\"destination\":\"/rec\",\"type\":\"bind\",\"source\":\"$REC\",\"options\":[\"rbind\"]}]"
}

teardown() {
  # (a sleeper a failed test left: see leaver)
  local p
  for p in $(sleepers "$ID-"); do kill -KILL "$p" 2>/dev/null || true; done
  teardown_common
}

# hook_json STAGE [ACTION]: the hook entry that records STAGE. Runtime-side
# stages and createContainer use the host path; startContainer's path is
# resolved in the container.
hook_json() {
  local stage=$1 action=${2:-}
  if [ "$stage" = startContainer ]; then
    jq -cn --arg s "$stage" --arg a "$action" '{path: "/hook.sh", args: ["/hook.sh", "/rec", $s, $a]}'
  else
    jq -cn --arg h "$HOOK" --arg r "$REC" --arg s "$stage" --arg a "$action" \
      '{path: $h, args: [$h, $r, $s, $a]}'
  fi
}

all_hooks() {
  local s
  for s in prestart createRuntime createContainer startContainer poststart poststop; do
    update_config ".hooks.$s = [$(hook_json $s)]"
  done
}

record() {
  cat "$REC/$1.$2"
}

state_field() {
  jq -r ".$2 // \"absent\"" "$REC/$1.state"
}

@test "the stages run in order across create, start and delete" {
  all_hooks
  hrun create --bundle "$BUNDLE" "$ID"
  assert_equal "$(tr '\n' ' ' <"$REC/order")" "prestart createRuntime createContainer "
  hrun start "$ID"
  assert_equal "$(tr '\n' ' ' <"$REC/order")" "prestart createRuntime createContainer startContainer poststart "
  hrun kill "$ID" KILL
  wait_for_status "$ID" stopped
  hrun delete "$ID"
  assert_equal "$(tr '\n' ' ' <"$REC/order")" "prestart createRuntime createContainer startContainer poststart poststop "
}

@test "namespaces and root each stage sees: runtime's for prestart, createRuntime, poststart, poststop; the container's for createContainer and startContainer" {
  all_hooks
  hrun create --bundle "$BUNDLE" "$ID"
  local pid host_mnt host_pid ctr_mnt ctr_pid
  pid=$(init_pid "$ID")
  host_mnt=$(readlink /proc/self/ns/mnt)
  host_pid=$(readlink /proc/self/ns/pid)
  ctr_mnt=$(readlink "/proc/$pid/ns/mnt")
  ctr_pid=$(readlink "/proc/$pid/ns/pid")
  hrun start "$ID"
  hrun delete --force "$ID"
  local s
  for s in prestart createRuntime poststart poststop; do
    assert_equal "$s $(record $s mnt) $(record $s pidns) $(record $s root)" "$s $host_mnt $host_pid host"
  done
  # Before pivot_root: the container's namespaces, the host's view of paths.
  assert_equal "$(record createContainer mnt) $(record createContainer pidns) $(record createContainer root)" \
    "$ctr_mnt $ctr_pid host"
  assert_equal "$(record createContainer cwd)" "$BUNDLE/rootfs"
  assert_equal "$(record startContainer mnt) $(record startContainer pidns) $(record startContainer root)" \
    "$ctr_mnt $ctr_pid rootfs"
}

@test "state on stdin: status and pid as each stage must see them" {
  all_hooks
  update_config '.annotations = {"org.example": "yes"}'
  hrun create --bundle "$BUNDLE" "$ID"
  local pid
  pid=$(init_pid "$ID")
  hrun start "$ID"
  hrun delete --force "$ID"
  # runtime-spec: "creating" is lifecycle step 2; these three are steps 3-5.
  assert_equal "$(state_field prestart status) $(state_field prestart pid)" "created $pid"
  assert_equal "$(state_field createRuntime status) $(state_field createRuntime pid)" "created $pid"
  assert_equal "$(state_field createContainer status) $(state_field createContainer pid)" "created 1"
  assert_equal "$(state_field startContainer status) $(state_field startContainer pid)" "created 1"
  assert_equal "$(state_field poststart status) $(state_field poststart pid)" "running $pid"
  assert_equal "$(state_field poststop status) $(state_field poststop pid)" "stopped absent"
  local s
  for s in prestart createRuntime createContainer startContainer poststart poststop; do
    assert_equal "$(state_field $s id) $(state_field $s bundle) $(state_field $s ociVersion)" "$ID $BUNDLE 1.3.0"
    assert_equal "$(jq -r '.annotations["org.example"]' "$REC/$s.state")" yes
  done
}

@test "poststart runs only once the container process has been executed" {
  cat >"$BATS_TEST_TMPDIR/cmdline.sh" <<HOOK
#!/bin/sh
pid=\$(jq .pid)
cat /proc/\$pid/cmdline >$REC/cmdline
HOOK
  chmod +x "$BATS_TEST_TMPDIR/cmdline.sh"
  update_config ".hooks.poststart = [{\"path\": \"$BATS_TEST_TMPDIR/cmdline.sh\"}]"
  hrun create --bundle "$BUNDLE" "$ID"
  hrun start "$ID"
  # The process's own command line, not the runtime's (hrun create ...).
  assert_equal "$(tr '\0' ' ' <"$REC/cmdline")" "sleep 100 "
}

@test "poststart does not run when the process could not be executed" {
  # Executable at create, not any more at start: execve fails after the
  # init said EXEC. A runtime that did not wait for the channel's EOF
  # would run poststart here.
  printf '#!/bin/sh\nsleep 100\n' >"$BUNDLE/rootfs/run.sh"
  chmod +x "$BUNDLE/rootfs/run.sh"
  set_args /run.sh
  update_config ".hooks.poststart = [$(hook_json poststart)] | .hooks.poststop = [$(hook_json poststop)]"
  hrun create --bundle "$BUNDLE" "$ID"
  chmod -x "$BUNDLE/rootfs/run.sh"
  run hrun start "$ID"
  assert_failure
  assert_output --partial "exec /run.sh: permission denied"
  assert_equal "$(tr '\n' ' ' <"$REC/order")" "poststop "
  [ ! -e "$HRUN_ROOT/$ID" ]
}

@test "argv is args exactly, args[0] included" {
  # (the trailing command keeps the shell from exec'ing cat in its place)
  local script='cat /proc/$$/cmdline >'"$REC/argv"'; true' hook
  hook=$(jq -cn --arg s "$script" '{path: "/bin/busybox", args: ["sh", "-c", $s, "named-zero"]}')
  update_config ".hooks.prestart = [$hook]"
  hrun create --bundle "$BUNDLE" "$ID"
  # busybox picks its applet from argv[0]: "sh" ran, with args as given.
  assert_equal "$(tr '\0' '|' <"$REC/argv")" "sh|-c|$script|named-zero|"
}

@test "a hook without args gets its path as argv[0]" {
  cat >"$BATS_TEST_TMPDIR/argv0.sh" <<HOOK
#!/bin/sh
echo "\$0" >$REC/argv0
HOOK
  chmod +x "$BATS_TEST_TMPDIR/argv0.sh"
  update_config ".hooks.prestart = [{\"path\": \"$BATS_TEST_TMPDIR/argv0.sh\"}]"
  hrun create --bundle "$BUNDLE" "$ID"
  assert_equal "$(cat "$REC/argv0")" "$BATS_TEST_TMPDIR/argv0.sh"
}

@test "env: exactly the given one; absent, the runtime's (startContainer: the process's)" {
  all_hooks
  update_config ".hooks.createRuntime[0].env = [\"ONLY=this\", \"AND=that\"]"
  HRUN_TEST_MARK=from-runtime hrun create --bundle "$BUNDLE" "$ID"
  hrun start "$ID"
  assert_equal "$(sort "$REC/createRuntime.env" | tr '\n' ' ')" "AND=that ONLY=this "
  run cat "$REC/prestart.env"
  assert_line HRUN_TEST_MARK=from-runtime
  run cat "$REC/createContainer.env"
  assert_line HRUN_TEST_MARK=from-runtime
  run cat "$REC/startContainer.env"
  refute_line --partial HRUN_TEST_MARK
  assert_line "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
  assert_line "TERM=xterm"
}

@test "hooks see only stdin, stdout and stderr" {
  # ls lists its own fds: stdio, plus the one it reads the directory with.
  local probe="ls /proc/self/fd | tr '\\\\n' ' ' >"
  update_config ".hooks.prestart = [{\"path\": \"/bin/busybox\", \"args\": [\"sh\", \"-c\", \"$probe $REC/fds.prestart\"]}]
    | .hooks.createContainer = [{\"path\": \"/bin/busybox\", \"args\": [\"sh\", \"-c\", \"$probe $REC/fds.createContainer\"]}]
    | .hooks.startContainer = [{\"path\": \"/bin/busybox\", \"args\": [\"sh\", \"-c\", \"$probe /rec/fds.startContainer\"]}]
    | .hooks.poststart = [{\"path\": \"/bin/busybox\", \"args\": [\"sh\", \"-c\", \"$probe $REC/fds.poststart\"]}]
    | .hooks.createRuntime = [{\"path\": \"/bin/busybox\", \"args\": [\"sh\", \"-c\", \"$probe $REC/fds.createRuntime\"]}]
    | .hooks.poststop = [{\"path\": \"/bin/busybox\", \"args\": [\"sh\", \"-c\", \"$probe $REC/fds.poststop\"]}]"
  exec 7</dev/null
  hrun create --bundle "$BUNDLE" "$ID"
  hrun start "$ID"
  hrun delete --force "$ID"
  exec 7<&-
  local s
  for s in prestart createRuntime createContainer startContainer poststart poststop; do
    assert_equal "$s: $(cat "$REC/fds.$s")" "$s: 0 1 2 3 "
  done
}

@test "a hook that exits without reading its stdin is not a failure" {
  local s
  for s in prestart createRuntime poststart; do
    update_config ".hooks.$s = [$(hook_json $s noread), $(hook_json $s noread), $(hook_json $s noread)]"
  done
  for i in 1 2 3 4 5; do
    hrun create --bundle "$BUNDLE" "$ID"
    hrun start "$ID"
    hrun delete --force "$ID"
  done
  assert_equal "$(grep -c . "$REC/order")" 45
}

# fails_at STAGE: a failing hook at STAGE makes the command that runs it
# fail with the hook's stderr, leaves nothing behind, and poststop runs.
fails_at() {
  local stage=$1 cmd=$2
  update_config ".hooks.$stage = [$(hook_json "$stage" fail)] | .hooks.poststop = [$(hook_json poststop)]"
  if [ "$cmd" = create ]; then
    hrun_bg create --bundle "$BUNDLE" "$ID"
  else
    hrun create --bundle "$BUNDLE" "$ID"
    run hrun start "$ID"
  fi
  assert_failure
  assert_output --partial "hooks.$stage[0] ("
  assert_output --partial "failed: exit status 3: first line of $stage's complaint; boom from $stage"
  assert_equal "${#lines[@]}" 1
  [ ! -e "$HRUN_ROOT/$ID" ] || fail "state left in $HRUN_ROOT/$ID"
  run cgroup_dirs_named "$ID"
  assert_output ""
  run pids_mentioning "$ID"
  assert_output ""
  assert_equal "$(tail -n 1 "$REC/order")" poststop
  assert_equal "$(state_field poststop status)" stopped
}

@test "a failing prestart hook fails create, destroys the container and runs poststop" {
  fails_at prestart create
}

@test "a failing createRuntime hook fails create, destroys the container and runs poststop" {
  fails_at createRuntime create
}

@test "a failing createContainer hook fails create, destroys the container and runs poststop" {
  fails_at createContainer create
}

@test "a failing startContainer hook fails start, destroys the container and runs poststop" {
  fails_at startContainer start
}

@test "a failing poststart hook fails start, destroys the container and runs poststop" {
  fails_at poststart start
}

@test "a failing poststop hook is a warning: the next one runs and delete succeeds" {
  update_config ".hooks.poststop = [$(hook_json first fail), $(hook_json second)]"
  hrun create --bundle "$BUNDLE" "$ID"
  run hrun delete --force "$ID"
  assert_success
  assert_output --partial "level=warning"
  assert_output --partial "hooks.poststop[0]"
  assert_output --partial "boom from first"
  assert_equal "$(tr '\n' ' ' <"$REC/order")" "first second "
  [ ! -e "$HRUN_ROOT/$ID" ]
}

@test "a hook past its timeout is killed with its children, and create fails at once" {
  update_config ".hooks.prestart = [$(hook_json prestart sleep) + {\"timeout\": 1}] | .hooks.poststop = [$(hook_json poststop)]"
  local start=$SECONDS
  hrun_bg create --bundle "$BUNDLE" "$ID"
  local took=$((SECONDS - start))
  assert_failure
  assert_output --partial "hooks.prestart[0] ($HOOK) timed out after 1 s"
  [ "$took" -lt 3 ] || fail "create took $took s"
  # Neither the hook nor the child it left is alive.
  run pids_mentioning "$REC"
  assert_output ""
  [ ! -e "$HRUN_ROOT/$ID" ]
  assert_equal "$(tail -n 1 "$REC/order")" poststop
}

@test "run goes through the same stages in the same order" {
  all_hooks
  set_args true
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_equal "$(tr '\n' ' ' <"$REC/order")" "prestart createRuntime createContainer startContainer poststart poststop "
  assert_equal "$(state_field poststop status)" stopped
}

@test "--debug logs one line per hook: stage, index, path, duration, exit status" {
  all_hooks
  "$HRUN_BIN" --root "$HRUN_ROOT" --debug --log "$BATS_TEST_TMPDIR/log" --log-format json \
    create --bundle "$BUNDLE" "$ID"
  "$HRUN_BIN" --root "$HRUN_ROOT" --debug --log "$BATS_TEST_TMPDIR/log" --log-format json start "$ID"
  "$HRUN_BIN" --root "$HRUN_ROOT" --debug --log "$BATS_TEST_TMPDIR/log" --log-format json delete --force "$ID"
  run jq -r 'select(.stage) | "\(.level) \(.stage) \(.index) \(.path) \(.exit_status) \(.duration_us > 0)"' "$BATS_TEST_TMPDIR/log"
  assert_equal "${#lines[@]}" 6
  assert_line --index 0 "debug prestart 0 $HOOK 0 true"
  assert_line --index 1 "debug createRuntime 0 $HOOK 0 true"
  assert_line --index 2 "debug createContainer 0 $HOOK 0 true"
  assert_line --index 3 "debug startContainer 0 /hook.sh 0 true"
  assert_line --index 4 "debug poststart 0 $HOOK 0 true"
  assert_line --index 5 "debug poststop 0 $HOOK 0 true"
}

@test "hook paths must be absolute and timeouts positive, checked at create" {
  update_config '.hooks.createRuntime = [{"path": "/bin/true"}, {"path": "bin/true"}]'
  run hrun create --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output "hrun: create: config.json: hooks.createRuntime[1].path must be an absolute path"
  update_config '.hooks.createRuntime = [{"path": "/bin/true", "timeout": 0}]'
  run hrun create --bundle "$BUNDLE" "$ID"
  assert_output "hrun: create: config.json: hooks.createRuntime[0].timeout must be greater than zero"
  [ ! -e "$HRUN_ROOT/$ID" ]
}

@test "prestart and createRuntime: the init is in its cgroup, mounts and /dev are ready, nothing masked or pivoted yet" {
  local s
  for s in prestart createRuntime; do
    cat >"$BATS_TEST_TMPDIR/$s.sh" <<HOOK
#!/bin/sh
pid=\$(jq .pid)
cat /proc/\$pid/cgroup >$REC/$s.cgroup
cat /proc/\$pid/mountinfo >$REC/$s.mountinfo
HOOK
    chmod +x "$BATS_TEST_TMPDIR/$s.sh"
    update_config ".hooks.$s = [{\"path\": \"$BATS_TEST_TMPDIR/$s.sh\"}]"
  done
  hrun create --bundle "$BUNDLE" "$ID"
  for s in prestart createRuntime; do
    run cat "$REC/$s.cgroup"
    assert_line --regexp ":memory:.*/$ID$"
    run cat "$REC/$s.mountinfo"
    # the rootfs is still seen at its host path: no pivot_root yet
    assert_line --regexp " $BUNDLE/rootfs/dev rw,nosuid .* tmpfs "
    assert_line --regexp " $BUNDLE/rootfs/dev/pts "
    assert_line --regexp " $BUNDLE/rootfs/proc "
    # maskedPaths and readonlyPaths come after the hooks
    refute_line --regexp " $BUNDLE/rootfs/proc/acpi "
    refute_line --regexp " $BUNDLE/rootfs/proc/sys "
  done
}

@test "startContainer runs with the process's credentials" {
  update_config '.process.user = {"uid": 1000, "gid": 1000}
    | .hooks.startContainer = [{"path": "/bin/sh", "args": ["sh", "-c", "{ id -u; id -g; grep -E \"^(CapEff|NoNewPrivs)\" /proc/self/status; } >/rec/creds"]}]'
  chmod 777 "$REC"
  hrun create --bundle "$BUNDLE" "$ID"
  hrun start "$ID"
  run cat "$REC/creds"
  assert_line --index 0 1000
  assert_line --index 1 1000
  assert_line --regexp '^CapEff:\s+0000000000000000$'
  assert_line --regexp '^NoNewPrivs:\s+1$'
}

@test "poststop runs after the container's processes and cgroup are gone" {
  cat >"$BATS_TEST_TMPDIR/poststop.sh" <<HOOK
#!/bin/sh
find /sys/fs/cgroup -name "$ID" >$REC/cgroups
for p in /proc/[0-9]*; do
  [ "\${p#/proc/}" = "\$PPID" ] && continue # hrun delete itself
  { tr '\0' ' ' <\$p/cmdline; } 2>/dev/null | grep -q -- "$ID" && echo "\${p#/proc/}"
done >$REC/procs
true
HOOK
  chmod +x "$BATS_TEST_TMPDIR/poststop.sh"
  update_config ".hooks.poststop = [{\"path\": \"$BATS_TEST_TMPDIR/poststop.sh\"}]"
  hrun create --bundle "$BUNDLE" "$ID"
  hrun start "$ID"
  [ -n "$(cgroup_dirs_named "$ID")" ]
  hrun delete --force "$ID"
  assert_equal "$(cat "$REC/cgroups")" ""
  assert_equal "$(cat "$REC/procs")" ""
}

@test "a hook killed by a signal fails its stage, naming the signal" {
  update_config '.hooks.createRuntime = [{"path": "/bin/sh", "args": ["sh", "-c", "echo dying >&2; kill -KILL $$"]}]'
  hrun_bg create --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output --partial "hooks.createRuntime[0] (/bin/sh) failed: killed by signal 9 (Killed): dying"
  [ ! -e "$HRUN_ROOT/$ID" ]
}

@test "a hook that is not there fails its stage with the exec error" {
  update_config '.hooks.prestart = [{"path": "/no/such/hook"}]'
  hrun_bg create --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output --partial "hooks.prestart[0]: exec /no/such/hook: no such file or directory"
  [ ! -e "$HRUN_ROOT/$ID" ]
}


# The processes of a process group, zombies left out.
group_members() {
  ps -e -o pid=,pgid=,stat= | awk -v g="$1" '$2 == g && $3 !~ /^Z/ {print $1}'
}

# sleeping_hook_runs STAGE: the hook.sh "sleep" hook of STAGE runs (the
# last hook that ran).
sleeping_hook_runs() {
  [ -n "$(pids_mentioning "$REC $1 sleep")" ] && [ "$(tail -n 1 "$REC/order" 2>/dev/null)" = "$1" ]
}

# wait_for_sleeping_hook STAGE: once the hook.sh "sleep" hook of STAGE
# runs, its process group.
wait_for_sleeping_hook() {
  local p
  wait_until 5 sleeping_hook_runs "$1" || fail "the $1 hook did not start"
  p=$(pids_mentioning "$REC $1 sleep" | head -n 1)
  ps -o pgid= -p "$p" | tr -d ' '
}

# gone PID: no such process, or a zombie.
gone() {
  local s
  s=$(ps -o stat= -p "$1" 2>/dev/null | cut -c1)
  [ -z "$s" ] || [ "$s" = Z ]
}

# wait_gone PID [SECONDS]: up to SECONDS (3).
wait_gone() {
  wait_until "${2:-3}" gone "$1"
}

group_empty() {
  [ -z "$(group_members "$1")" ]
}

# wait_group_empty PGID: up to 3 s.
wait_group_empty() {
  wait_until 3 group_empty "$1"
}

@test "a hook dies with the hrun that runs it: a start killed in its poststart hook" {
  update_config ".hooks.poststart = [$(hook_json poststart sleep)]"
  hrun create --bundle "$BUNDLE" "$ID"
  "$HRUN_BIN" --root "$HRUN_ROOT" start "$ID" </dev/null >"$BATS_TEST_TMPDIR/out" 2>&1 &
  local starter=$! group
  group=$(wait_for_sleeping_hook poststart)
  kill -9 "$starter"
  wait "$starter" || true
  # PR_SET_PDEATHSIG: SIGKILL to the hook when its runtime dies.
  wait_gone "$group" || fail "the poststart hook outlived the start that ran it"
  hrun delete --force "$ID"
  # What the hook started in its group: its group was recorded in the
  # state dir, and delete kills it.
  wait_group_empty "$group" || fail "delete left the hook's group: $(group_members "$group")"
}

# --- hooks that cannot hurt each other or outlive their timeout ---

# sh_hook SCRIPT: a hook entry running `sh -c SCRIPT` (/bin/sh on the host,
# or the container's for startContainer).
sh_hook() {
  jq -cn --arg s "$1" '{path: "/bin/sh", args: ["sh", "-c", $s]}'
}

@test "each hook reads its own sealed state: truncating, writing or seeking stdin changes nothing for the next" {
  local s0 s1 s2 s3
  # 0 truncates the file behind its stdin (reopened through /proc), 1
  # writes to it, 2 reads part of it and leaves a child that reads the rest
  # while 3 waits for that: with one file for the stage, 1 and 3 would read
  # nothing.
  s0="cat >$REC/state.0; truncate -s 0 /proc/self/fd/0; true"
  s1="cat >$REC/state.1; printf junk >&0; true"
  s2="head -c 10 >/dev/null; exec 3<&0; (cat <&3 >/dev/null; touch $REC/read.2) & true"
  s3="i=0; until [ -e $REC/read.2 ] || [ \$i -ge 100 ]; do sleep 0.05; i=\$((i + 1)); done; cat >$REC/state.3"
  update_config ".hooks.prestart = [$(sh_hook "$s0"), $(sh_hook "$s1"), $(sh_hook "$s2"), $(sh_hook "$s3")]"
  hrun create --bundle "$BUNDLE" "$ID"
  local i
  for i in 0 1 3; do
    assert_equal "$i: $(jq -c '[.id, .status]' "$REC/state.$i")" "$i: [\"$ID\",\"created\"]"
  done
  [ -e "$REC/read.2" ] || fail "the child of hook 2 did not read the rest of its stdin"
  cmp "$REC/state.0" "$REC/state.1"
  cmp "$REC/state.0" "$REC/state.3"
}

@test "a hook printing 1 GB to stdout and to stderr: hrun keeps a bounded tail, memory stays flat" {
  cat >"$BATS_TEST_TMPDIR/loud.sh" <<HOOK
#!/bin/sh
shmem() { awk '/^Shmem:/ { print \$2 }' /proc/meminfo; }
before=\$(shmem)
yes 'a loud line on stdout' | head -c 1073741824
yes 'a loud line on stderr' | head -c 1073741824 >&2
echo \$((\$(shmem) - before)) >$REC/shmem-kib
stat -L -c %s /dev/stdout /dev/stderr >$REC/sizes
awk '/^VmHWM:/ { print \$2 }' /proc/\$PPID/status >$REC/hrun-hwm-kib
printf '\\nlast words\\n' >&2
exit 1
HOOK
  chmod +x "$BATS_TEST_TMPDIR/loud.sh"
  update_config ".hooks.prestart = [{\"path\": \"$BATS_TEST_TMPDIR/loud.sh\", \"timeout\": 100}]"
  hrun_bg create --bundle "$BUNDLE" "$ID"
  assert_failure
  # the window starts at a line, the partial last line ends on the next
  assert_output --regexp "hooks.prestart\[0\] \($BATS_TEST_TMPDIR/loud.sh\) failed: exit status 1: \(output truncated\) (a loud line on stderr; )+a loud line ; last words$"
  [ "${#output}" -lt 1024 ] || fail "the error is ${#output} bytes long"
  # What the hook wrote into was not kept: no 1 GB file behind its stdout
  # or stderr, no 2 GB more shared memory, hrun itself stayed small.
  assert_equal "$(tr '\n' ' ' <"$REC/sizes")" "0 0 "
  [ "$(cat "$REC/shmem-kib")" -lt 262144 ] || fail "shared memory grew by $(cat "$REC/shmem-kib") KiB"
  [ "$(cat "$REC/hrun-hwm-kib")" -lt 16384 ] || fail "hrun's peak RSS: $(cat "$REC/hrun-hwm-kib") KiB"
  [ ! -e "$HRUN_ROOT/$ID" ]
}

# leaver MARK [THEN]: a hook that starts a sleeper in a session of its own
# (setsid: out of the hook's process group; SLEEPER=MARK in its and its
# child's environment), then runs THEN (default: exit 0).
leaver() {
  sh_hook "SLEEPER=$1 setsid sh -c 'sleep 1000; true' & ${2:-exit 0}"
}

# sleepers MARK: the pids of the processes a leaver MARK* started.
sleepers() {
  # (-z: environ is NUL-separated; a process may exit while grep reads it)
  grep -lsz "^SLEEPER=$1" /proc/[0-9]*/environ | cut -d/ -f3
  return 0
}

# sleepers_at_least MARK N
sleepers_at_least() {
  [ "$(sleepers "$1" | wc -l)" -ge "$2" ]
}

# Container-side hooks run in the container's pid namespace and cgroup,
# whose end kills what they leave anyway. Without either, only hrun can.
GLOBAL=()
bare_container() {
  update_config '.linux.namespaces |= map(select(.type != "pid"))'
  GLOBAL=(--cgroup-manager disabled)
}

# in_stage_then CMD STAGE HOOKS: STAGE's hooks are HOOKS; run create, or
# create then start; status and output as `run` leaves them.
in_stage_then() {
  local cmd=$1 stage=$2 hooks=$3
  update_config ".hooks.$stage = $hooks"
  if [ "$cmd" = create ]; then
    hrun_bg "${GLOBAL[@]}" create --bundle "$BUNDLE" "$ID"
  else
    hrun "${GLOBAL[@]}" create --bundle "$BUNDLE" "$ID"
    run hrun "${GLOBAL[@]}" start "$ID"
  fi
}

stage_command() {
  case $1 in
  startContainer | poststart) echo start ;;
  *) echo create ;;
  esac
}

# leftovers_die_with_failed_stage STAGE: a hook exits 0 leaving a sleeper,
# the next one fails: when the command returns, the sleeper is gone.
leftovers_die_with_failed_stage() {
  local stage=$1 mark=$ID-$1-
  in_stage_then "$(stage_command "$stage")" "$stage" "[$(leaver "$mark"), $(sh_hook 'exit 7')]"
  assert_failure
  assert_output --partial "hooks.$stage[1] (/bin/sh) failed: exit status 7"
  assert_equal "$(sleepers "$mark")" ""
}

# leftovers_die_at_timeout STAGE: a hook leaves a sleeper, then outlives
# its timeout.
leftovers_die_at_timeout() {
  local stage=$1 mark=$ID-$1- start=$SECONDS
  in_stage_then "$(stage_command "$stage")" "$stage" "[$(leaver "$mark" 'sleep 30') + {\"timeout\": 1}]"
  assert_failure
  assert_output --partial "hooks.$stage[0] (/bin/sh) timed out after 1 s"
  [ $((SECONDS - start)) -lt 5 ] || fail "took $((SECONDS - start)) s"
  assert_equal "$(sleepers "$mark")" ""
}

@test "a failed prestart stage leaves nothing its hooks started in sessions of their own" {
  leftovers_die_with_failed_stage prestart
}

@test "a failed poststart stage leaves nothing its hooks started in sessions of their own" {
  leftovers_die_with_failed_stage poststart
}

@test "a failed createContainer stage leaves nothing its hooks started (no pid namespace, no cgroup)" {
  bare_container
  leftovers_die_with_failed_stage createContainer
}

@test "a failed startContainer stage leaves nothing its hooks started (no pid namespace, no cgroup)" {
  bare_container
  leftovers_die_with_failed_stage startContainer
}

@test "a prestart hook past its timeout dies with what it started in a session of its own" {
  leftovers_die_at_timeout prestart
}

@test "a createContainer hook past its timeout dies with what it started (no pid namespace, no cgroup)" {
  bare_container
  leftovers_die_at_timeout createContainer
}

@test "a startContainer hook past its timeout dies with what it started (no pid namespace, no cgroup)" {
  bare_container
  leftovers_die_at_timeout startContainer
}

@test "a poststop hook's leftovers are gone at its timeout, before the next hook runs" {
  local mark=$ID-poststop-
  update_config ".hooks.poststop = [$(leaver "$mark" 'sleep 30') + {\"timeout\": 1},
    $(sh_hook "grep -lsz ^SLEEPER=$mark /proc/[0-9]*/environ >$REC/alive; true")]"
  hrun create --bundle "$BUNDLE" "$ID"
  run hrun delete --force "$ID"
  assert_success
  assert_output --partial "hooks.poststop[0] (/bin/sh) timed out after 1 s"
  assert_equal "$(cat "$REC/alive")" ""
}

@test "what a hook of a stage that succeeds leaves running keeps running, as with runc" {
  local mark=$ID-daemon- p
  update_config ".hooks.prestart = [$(leaver "$mark")]"
  hrun create --bundle "$BUNDLE" "$ID"
  # The hook returns as soon as it has put the daemon in the background;
  # the daemon's shell may not have forked its sleep yet: wait for both.
  wait_until 5 sleepers_at_least "$mark" 2
  run sleepers "$mark"
  [ "${#lines[@]}" -eq 2 ] || fail "sleepers: $output"
  for p in "${lines[@]}"; do kill -KILL "$p"; done
}

@test "where pidfd_open fails (a seccomp profile may refuse it), hooks still report and time out" {
  local failsys=$REPO_ROOT/build/tests/helpers/failsys pidfd_open=434 enosys=38 start
  [ -x "$failsys" ] || fail "$failsys is missing (make integration builds it)"
  # (output to a file, as hrun_bg does: a create that wrongly succeeded
  # would leave an init holding a pipe open)
  no_pidfd_create() {
    status=0
    "$failsys" $pidfd_open $enosys "$HRUN_BIN" --root "$HRUN_ROOT" create --bundle "$BUNDLE" "$ID" \
      </dev/null >"$BATS_TEST_TMPDIR/out" 2>&1 || status=$?
    output=$(<"$BATS_TEST_TMPDIR/out")
  }
  update_config ".hooks.prestart = [$(sh_hook 'echo out; echo complaint >&2; exit 3')]"
  no_pidfd_create
  assert_failure
  assert_output "hrun: create: hooks.prestart[0] (/bin/sh) failed: exit status 3: complaint"
  update_config ".hooks.prestart = [$(sh_hook 'sleep 10') + {\"timeout\": 1}]"
  start=$SECONDS
  no_pidfd_create
  assert_failure
  assert_output --partial "hooks.prestart[0] (/bin/sh) timed out after 1 s"
  [ $((SECONDS - start)) -lt 5 ] || fail "took $((SECONDS - start)) s"
  [ ! -e "$HRUN_ROOT/$ID" ]
}

@test "a hook dies with the hrun that runs it: a create killed in its prestart hook leaves no hook process" {
  update_config ".hooks.prestart = [$(hook_json prestart sleep)]"
  "$HRUN_BIN" --root "$HRUN_ROOT" create --bundle "$BUNDLE" "$ID" </dev/null >"$BATS_TEST_TMPDIR/out" 2>&1 &
  local creator=$! group
  group=$(wait_for_sleeping_hook prestart)
  [ -n "$(group_members "$group")" ] || fail "no member in the hook's group $group"
  kill -9 "$creator"
  wait "$creator" || true
  wait_gone "$group" || fail "the prestart hook outlived the create that ran it"
  # A killed create: stopped, and delete --force removes it with what its
  # hook started.
  assert_equal "$(container_status "$ID")" stopped
  hrun delete --force "$ID"
  wait_group_empty "$group" || fail "delete left the hook's group: $(group_members "$group")"
  [ -z "$(pids_mentioning "child of $REC")" ] || fail "the hook's child survives"
  [ ! -e "$HRUN_ROOT/$ID" ]
}

# --- no hook runs under the container's lock (docs/state.md) ---

# reentrant_hook NAME SCRIPT: a runtime-side hook running the shell SCRIPT
# with $HRUN (this hrun, this root), $ID and $REC set.
reentrant_hook() {
  cat >"$BATS_TEST_TMPDIR/$1.sh" <<HOOK
#!/bin/sh
HRUN="$HRUN_BIN --root $HRUN_ROOT"; ID=$ID; REC=$REC
$2
HOOK
  chmod +x "$BATS_TEST_TMPDIR/$1.sh"
  jq -cn --arg p "$BATS_TEST_TMPDIR/$1.sh" '{path: $p, timeout: 20}'
}

@test "hooks that run hrun on their own container get answers: state and start in prestart, exec, state and kill in poststart" {
  local pre post start
  pre=$(reentrant_hook pre '$HRUN state $ID >$REC/pre.state 2>&1; echo $? >$REC/pre.rc
cat >$REC/pre.stdin
$HRUN start $ID >$REC/pre.start 2>&1; echo $? >$REC/pre.start.rc')
  post=$(reentrant_hook post '
$HRUN exec $ID sh -c "echo exec in \$(hostname)" >$REC/post.exec 2>&1; echo $? >$REC/post.exec.rc
$HRUN state $ID >$REC/post.state 2>&1
$HRUN kill $ID 0; echo $? >$REC/post.kill.rc')
  update_config ".hooks.prestart = [$pre] | .hooks.poststart = [$post] | .hostname = \"reentrant\""
  start=$SECONDS
  hrun create --bundle "$BUNDLE" "$ID"
  hrun start "$ID"
  # (a hook waiting for its own runtime's lock would take its 20 s timeout)
  [ $((SECONDS - start)) -lt 10 ] || fail "create and start took $((SECONDS - start)) s"
  # `state` says creating while create is at work, though its hooks read
  # created (docs/state.md, "Status"); start is refused until create is done.
  assert_equal "$(cat "$REC/pre.rc") $(jq -r .status "$REC/pre.state")" "0 creating"
  assert_equal "$(jq -r .status "$REC/pre.stdin")" created
  assert_equal "$(cat "$REC/pre.start.rc")" 1
  assert_equal "$(cat "$REC/pre.start")" "hrun: start: cannot start container $ID: it is creating, not created"
  assert_equal "$(cat "$REC/post.exec.rc") $(cat "$REC/post.exec")" "0 exec in reentrant"
  assert_equal "$(jq -r .status "$REC/post.state")" running
  assert_equal "$(cat "$REC/post.kill.rc")" 0
}

@test "kill and delete --force do not wait behind a slow poststart hook" {
  local post starter t0 rc=0
  post=$(reentrant_hook post 'touch $REC/post.running; sleep 15')
  update_config ".hooks.poststart = [$post]"
  hrun create --bundle "$BUNDLE" "$ID"
  "$HRUN_BIN" --root "$HRUN_ROOT" start "$ID" </dev/null >"$BATS_TEST_TMPDIR/start.out" 2>&1 &
  starter=$!
  wait_until 10 test -e "$REC/post.running" || fail "the poststart hook did not run"
  t0=$(date +%s%N)
  hrun kill "$ID" 0
  [ $(($(date +%s%N) - t0)) -lt 2000000000 ] || fail "kill took $((($(date +%s%N) - t0) / 1000000)) ms"
  t0=$(date +%s%N)
  hrun delete --force "$ID"
  [ $(($(date +%s%N) - t0)) -lt 8000000000 ] || fail "delete --force took $((($(date +%s%N) - t0) / 1000000)) ms"
  [ ! -e "$HRUN_ROOT/$ID" ]
  # The start whose container was deleted under its hook ends, too.
  wait_gone "$starter" 10 || fail "start still runs after its container was deleted"
  wait "$starter" || rc=$?
  echo "# start ended with $rc: $(cat "$BATS_TEST_TMPDIR/start.out")" >&3
}
