#!/usr/bin/env bats
# runc's and crun's command line: --help from the option tables, the global
# options crun adds, and the command flags runc and crun callers use.

load helpers

setup() {
  setup_common
}

teardown() {
  teardown_common
}

cgroup_file() {
  local controller=$1 file=$2 pid
  pid=$(init_pid "$ID")
  echo "/sys/fs/cgroup/$controller$(awk -F: -v c="$controller" '$2 == c {print $3}' /proc/$pid/cgroup)/$file"
}

@test "--help: the program and every command; hrun help CMD says the same" {
  run "$HRUN_BIN" --help
  assert_success
  assert_line --partial "usage: hrun [global options] <command>"
  local cmd n=0
  for cmd in $(listed_commands); do
    run "$HRUN_BIN" "$cmd" --help
    assert_success
    assert_line --index 0 --regexp "^usage: hrun $cmd( |\$)"
    local direct=$output
    run "$HRUN_BIN" help "$cmd"
    assert_success
    assert_equal "$output" "$direct"
    n=$((n + 1))
  done
  [ "$n" -ge 15 ] || fail "only $n commands listed"
  run "$HRUN_BIN" help nosuchcommand
  assert_failure
  assert_output --partial 'unknown command "nosuchcommand"'
}

@test "--help lists exactly the options the parser takes" {
  local cmd opt arg
  for cmd in $(listed_commands); do
    [ "$cmd" != help ] || continue
    while read -r opt arg; do
      # Every option shown is accepted (then --help stops before acting);
      # an optional argument ([=X]) goes without one.
      case $arg in
      "") run "$HRUN_BIN" "$cmd" "$opt" --help ;;
      "[="*) run "$HRUN_BIN" "$cmd" "$opt" --help ;;
      *) run "$HRUN_BIN" "$cmd" "$opt" x --help ;;
      esac
      assert_success
      refute_output --partial "unknown option"
    done < <("$HRUN_BIN" "$cmd" --help |
      sed -nE 's/^  (-., )?(--[a-z0-9-]+)( |(\[=))?([A-Z_:.=]*).*/\2 \4\5/p')
  done
  run hrun kill --no-such-option x
  assert_failure
  assert_output "hrun: kill: unknown option --no-such-option (see hrun kill --help)"
  run hrun create --bundle
  assert_failure
  assert_output --partial "option --bundle needs an argument"
}

@test "options may follow the id, as runc's update takes them; exec's stop at the id" {
  set_args sleep 100
  hrun_bg run -d --bundle "$BUNDLE" "$ID"
  assert_success
  run hrun update "$ID" --pids-limit 42
  assert_success
  assert_equal "$(cat "$(cgroup_file pids pids.max)")" 42
  run hrun exec "$ID" echo --pids-limit
  assert_success
  assert_output -- "--pids-limit"
}

@test "global --log-level (crun): error hides warnings, debug shows debug lines; bad values are refused" {
  set_args true
  update_config '.hooks = {"poststop": [{"path": "/bin/false"}]}'
  hrun_bg run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_output --partial 'level=warning msg="hooks.poststop[0] (/bin/false) failed'
  run "$HRUN_BIN" --root "$HRUN_ROOT" --log-level error run --bundle "$BUNDLE" "$ID"
  assert_success
  refute_output --partial "level=warning"
  run "$HRUN_BIN" --root "$HRUN_ROOT" --log-level debug run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_output --partial "level=debug"
  run "$HRUN_BIN" --root "$HRUN_ROOT" --log-level loud list
  assert_failure
  assert_output --partial '--log-level: unknown level "loud"'
}

@test "--debug logs each step of create, start, exec, kill and delete; json lines have level, msg, time" {
  set_args sleep 100
  local log=$BATS_TEST_TMPDIR/debug.json
  dbg() { "$HRUN_BIN" --root "$HRUN_ROOT" --debug --log "$log" --log-format json "$@"; }
  dbg create --bundle "$BUNDLE" "$ID" </dev/null >/dev/null 2>&1
  dbg start "$ID"
  dbg exec "$ID" true
  dbg kill "$ID" KILL
  wait_for_status "$ID" stopped
  dbg delete "$ID"
  run jq -e -s 'all(.[]; (keys | sort) == ["level","msg","time"] and .level == "debug")' "$log"
  assert_success
  local step
  for step in "create $ID: created, init pid" "start $ID: the process has been executed" \
    "exec $ID: true executed as pid" "kill $ID: signal 9 to the init" "delete $ID: stopped" \
    "destroy $ID: state removed"; do
    jq -r .msg "$log" | grep -qF "$step" || fail "no debug line '$step' in: $(jq -r .msg "$log")"
  done
}

@test "--cgroup-manager disabled (crun): no cgroup; systemd and unknown managers are refused" {
  set_args sleep 100
  "$HRUN_BIN" --root "$HRUN_ROOT" --cgroup-manager disabled create --bundle "$BUNDLE" "$ID" \
    </dev/null >"$BATS_TEST_TMPDIR/out" 2>&1
  local pid
  pid=$(init_pid "$ID")
  # The init stays in the cgroups of the caller (this shell).
  assert_equal "$(grep -v '^0::' /proc/$pid/cgroup | sort)" "$(grep -v '^0::' /proc/$$/cgroup | sort)"
  assert_equal "$(cgroup_dirs_named "$ID")" ""
  run hrun delete --force "$ID"
  assert_success
  run "$HRUN_BIN" --root "$HRUN_ROOT" --cgroup-manager systemd create --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output --partial "--systemd-cgroup"
  run "$HRUN_BIN" --root "$HRUN_ROOT" --systemd-cgroup create --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output --partial "--systemd-cgroup"
  run "$HRUN_BIN" --root "$HRUN_ROOT" --cgroup-manager nope list
  assert_failure
  assert_output --partial '--cgroup-manager: unknown manager "nope"'
  [ ! -e "$HRUN_ROOT/$ID" ]
}

@test "--rootless in runc's and crun's spellings, --criu, --no-subreaper are accepted" {
  set_args true
  local spelling
  for spelling in "--rootless true" "--rootless=false" "--rootless" "--rootless auto" \
    "--criu /usr/sbin/criu"; do
    # shellcheck disable=SC2086
    run "$HRUN_BIN" --root "$HRUN_ROOT" $spelling run --no-subreaper --bundle "$BUNDLE" "$ID"
    assert_success
  done
}

@test "create/run -f/--config FILE (crun): another config file, relative to the bundle" {
  jq '.process.args = ["echo", "from-alt"]' "$BUNDLE/config.json" >"$BUNDLE/alt.json"
  set_args echo from-default
  run hrun run -f alt.json --bundle "$BUNDLE" "$ID"
  assert_success
  assert_output from-alt
  run hrun run --config "$BUNDLE/alt.json" --bundle "$BUNDLE" "$ID"
  assert_output from-alt
  run hrun run -f nope.json --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output --partial "nope.json: cannot read $BUNDLE/nope.json"
  [ ! -e "$HRUN_ROOT/$ID" ]
}

@test "kill -r and delete -r (crun): every container whose id matches, others untouched" {
  set_args sleep 100
  local i
  for i in a1 a2 b1; do
    hrun_bg run -d --bundle "$BUNDLE" "$ID-$i"
    assert_success
  done
  run hrun kill -r "^$ID-a" KILL
  assert_success
  wait_for_status "$ID-a1" stopped
  wait_for_status "$ID-a2" stopped
  assert_equal "$(container_status "$ID-b1")" running
  run hrun delete --regex "^$ID-a"
  assert_success
  run hrun list -q
  assert_output "$ID-b1"
  run hrun delete -r "("
  assert_failure
  assert_output --partial '--regex: "("'
}

@test "exec -g/--additional-gids: extra groups; bad ones are refused" {
  set_args sleep 100
  hrun_bg run -d --bundle "$BUNDLE" "$ID"
  run hrun exec -g 5 --additional-gids 7 "$ID" sh -c 'grep ^Groups /proc/self/status'
  assert_success
  assert_output --regexp $'^Groups:[[:space:]]+5 7[[:space:]]*$'
  run hrun exec -g users "$ID" true
  assert_equal "$status" 255
  assert_output --partial '--additional-gids: "users" is not a group id'
}

@test "exec into a paused container: refused; --ignore-paused runs it once resumed" {
  set_args sleep 100
  hrun_bg run -d --bundle "$BUNDLE" "$ID"
  hrun pause "$ID"
  run hrun exec "$ID" true
  assert_equal "$status" 255
  assert_output --partial "it is paused (use --ignore-paused to override)"
  "$HRUN_BIN" --root "$HRUN_ROOT" exec --ignore-paused "$ID" sh -c 'echo ran >/tmp/ran' \
    </dev/null >/dev/null 2>&1 &
  local execpid=$!
  local i
  # (nothing to wait for: the process must not run, for a second at least)
  for i in $(seq 20); do
    [ -e "$BUNDLE/rootfs/tmp/ran" ] && fail "the exec'd process ran in a paused container"
    sleep 0.05
  done
  hrun resume "$ID"
  wait "$execpid"
  assert_equal "$(cat "$BUNDLE/rootfs/tmp/ran")" ran
}

@test "exec --cgroup: the process joins an existing sub-cgroup of the container's" {
  set_args sleep 100
  hrun_bg run -d --bundle "$BUNDLE" "$ID"
  local sub
  sub=$(dirname "$(cgroup_file memory tasks)")/sub
  mkdir "$sub"
  run hrun exec --cgroup memory:sub "$ID" cat /proc/self/cgroup
  assert_success
  assert_line --regexp '^[0-9]+:memory:.*/sub$'
  run hrun exec --cgroup nosuch "$ID" true
  assert_equal "$status" 255
  assert_output --partial "--cgroup nosuch:"
  run hrun exec --cgroup ../x "$ID" true
  assert_output --partial "relative to the container's cgroup"
  # delete removes the sub-cgroup with the container's (it is empty again).
  hrun delete --force "$ID"
  [ ! -d "$sub" ]
}

@test "exec --apparmor, --process-label and the config's labels are refused where the LSM is missing" {
  [ ! -e /sys/module/apparmor/parameters/enabled ] && [ ! -d /sys/fs/selinux ] ||
    skip "this host runs AppArmor or SELinux (the VM suite tests them)"
  set_args sleep 100
  hrun_bg run -d --bundle "$BUNDLE" "$ID"
  run hrun exec --apparmor unconfined "$ID" true
  assert_equal "$status" 255
  assert_output --partial '--apparmor: AppArmor is not enabled on this host'
  run hrun exec --process-label system_u:system_r:container_t:s0 "$ID" true
  assert_output --partial '--process-label: SELinux is not enabled on this host'
  hrun delete --force "$ID"
  update_config '.process.apparmorProfile = "docker-default"'
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output --partial 'process.apparmorProfile: AppArmor is not enabled on this host'
  [ ! -e "$HRUN_ROOT/$ID" ]
}

@test "update --cpu-rt-period/--cpu-rt-runtime; --blkio-weight and Intel RDT say what the host lacks" {
  set_args sleep 100
  hrun_bg run -d --bundle "$BUNDLE" "$ID"
  local rt
  rt=$(cgroup_file cpu cpu.rt_period_us)
  if [ -e "$rt" ]; then
    run hrun update --cpu-rt-period 900000 --cpu-rt-runtime 0 "$ID"
    assert_success
    assert_equal "$(cat "$rt")" 900000
  else
    run hrun update --cpu-rt-period 900000 "$ID"
    assert_failure
    assert_output --partial "cpu.rt_period_us"
  fi
  if [ ! -e "$(cgroup_file blkio blkio.weight)" ] && [ ! -e "$(cgroup_file blkio blkio.bfq.weight)" ]; then
    run hrun update --blkio-weight 300 "$ID"
    assert_failure
    assert_output --partial "this host's blkio controller has no weight file"
  else
    run hrun update --blkio-weight 300 "$ID"
    assert_success
  fi
  if ! grep -q ' - resctrl ' /proc/self/mountinfo; then
    run hrun update --l3-cache-schema 'L3:0=ff' "$ID"
    assert_failure
    assert_output --partial "--l3-cache-schema: this host has no Intel RDT"
    run hrun update --mem-bw-schema 'MB:0=50' "$ID"
    assert_output --partial "--mem-bw-schema: this host has no Intel RDT"
  fi
}

@test "usage errors never echo control characters raw (commands, options, signals, patterns)" {
  local out
  out=$("$HRUN_BIN" $'bad\x1bcmd' 2>&1) || true
  assert_equal "$out" 'hrun: unknown command "bad\x1bcmd" (see hrun --help)'
  out=$("$HRUN_BIN" kill $'--x\n' a 2>&1) || true
  assert_equal "$out" 'hrun: kill: unknown option --x\x0a (see hrun kill --help)'
  out=$("$HRUN_BIN" --root "$HRUN_ROOT" kill x $'SIG\x07' 2>&1) || true
  assert_equal "$out" 'hrun: kill: unknown signal "SIG\x07"'
  out=$("$HRUN_BIN" $'--gl\x7f' 2>&1) || true
  assert_equal "$out" 'hrun: unknown global option --gl\x7f (see hrun --help)'
  out=$("$HRUN_BIN" --root "$HRUN_ROOT" delete -r $'(\x01' 2>&1) || true
  [[ $out == 'hrun: delete: --regex: "(\x01": '* ]] || fail "$out"
}
