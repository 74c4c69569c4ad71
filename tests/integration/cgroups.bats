#!/usr/bin/env bats
# The container's cgroup: its path, the memory and pids limits, removal; the
# device rules (linux.devices grants nothing; runc's default list; v1 and v2).

load helpers

setup() {
  setup_common
  set_args sleep 100
}

teardown() {
  teardown_common
  # A cgroup a test froze itself: thawed (an init stuck in it then ends)
  # and removed.
  if [ -n "${FROZEN_CG:-}" ] && [ -d "$FROZEN_CG" ]; then
    if [ -e "$FROZEN_CG/freezer.state" ]; then
      echo THAWED >"$FROZEN_CG/freezer.state"
    else
      echo 0 >"$FROZEN_CG/cgroup.freeze"
    fi
    wait_until 5 remove_cgroup_tree "$FROZEN_CG"
  fi
}

# remove_cgroup_tree DIR: rmdir DIR and its children, deepest first; fails
# while one still has a process.
remove_cgroup_tree() {
  find "$1" -depth -type d -exec rmdir {} + 2>/dev/null
  [ ! -d "$1" ]
}

@test "memory and pids limits are written to the container's cgroup" {
  update_config '.linux.resources.memory = {"limit": 67108864} | .linux.resources.pids = {"limit": 42}'
  hrun create --bundle "$BUNDLE" "$ID"
  local pid
  pid=$(init_pid "$ID")
  assert_equal "$(cgroup_limit memory "$pid")" 67108864
  assert_equal "$(cgroup_limit pids "$pid")" 42
}

@test "the pids limit is enforced inside the container" {
  update_config '.linux.resources.pids = {"limit": 5}'
  set_args sh -c 'for i in 1 2 3 4 5 6 7 8; do sleep 2 & done; wait'
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_output --partial "can't fork"
}

@test "an absolute cgroupsPath is used from each hierarchy's root" {
  update_config ".linux.cgroupsPath = \"/hrun-test-$$/$ID\""
  hrun create --bundle "$BUNDLE" "$ID"
  local pid
  pid=$(init_pid "$ID")
  assert_equal "$(cgroup_rel pids "$pid")" "/hrun-test-$$/$ID"
  hrun delete --force "$ID"
  # The parent hrun created is removed with the container.
  [ ! -e "$(cgroup_root pids)/hrun-test-$$" ]
}

@test "by default the cgroup is named after the id, below the runtime's own" {
  hrun create --bundle "$BUNDLE" "$ID"
  local pid own
  pid=$(init_pid "$ID")
  own=$(cgroup_rel memory $$)
  # On pure v2, beside it (as runc's fs2): a cgroup with processes of its
  # own (ours: a systemd service's) can give its children no controllers.
  if cgroup_v2_host && [ "$own" != / ]; then own=$(dirname "$own"); fi
  assert_equal "$(cgroup_rel memory "$pid")" "${own%/}/$ID"
}

@test "a cgroupsPath with .. is refused" {
  update_config '.linux.cgroupsPath = "/a/../../b"'
  hrun_bg create --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output --partial "linux.cgroupsPath"
  [ ! -e "$HRUN_ROOT/$ID" ]
}

@test "a cgroup mount shows the container's own cgroup, with and without a cgroup namespace" {
  update_config '.mounts += [{"destination":"/sys/fs/cgroup","type":"cgroup","source":"cgroup","options":["nosuid","noexec","nodev","ro"]}]
    | .linux.resources.memory = {"limit": 33554432}'
  # v1: the memory hierarchy's directory; v2: the container's is the root.
  local limit=/sys/fs/cgroup/memory/memory.limit_in_bytes own=":memory:" root="4:memory:/"
  cgroup_v2_host && limit=/sys/fs/cgroup/memory.max own="^0::" root="0::/"
  set_args sh -c "cat $limit; touch /sys/fs/cgroup/x 2>&1; grep '$own' /proc/self/cgroup"
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_line --index 0 33554432
  assert_line --index 1 --partial "Read-only file system"
  assert_line --index 2 --regexp "${own#^}.*/$ID$"

  update_config '.linux.namespaces += [{"type":"cgroup"}]'
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_line --index 0 33554432
  # In its own cgroup namespace the container is at the root.
  assert_line --index 2 "$root"
}

@test "cgroup v2: the container runs in its own cgroup2 directory, removed on delete" {
  require_cgroup2
  update_config ".linux.cgroupsPath = \"/hrun-v2-$$/$ID\" | del(.linux.resources)"
  set_args sh -c 'cat /proc/self/cgroup'
  run run_on_cgroup2 "$HRUN_BIN" --root "$HRUN_ROOT" run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_line "0::/hrun-v2-$$/$ID"
  [ ! -e "$(cgroup2_root)/hrun-v2-$$" ]
}

@test "cgroup v2: a limit whose controller is missing is a clear error leaving nothing" {
  require_cgroup2
  grep -qw memory "$(cgroup2_root)/cgroup.controllers" && skip "memory is on cgroup2 here"
  update_config ".linux.cgroupsPath = \"/hrun-v2-$$/$ID\" | .linux.resources = {\"memory\": {\"limit\": 33554432}}"
  run run_on_cgroup2 "$HRUN_BIN" --root "$HRUN_ROOT" create --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output --partial "linux.resources.memory: the memory controller is not available"
  [ ! -e "$(cgroup2_root)/hrun-v2-$$" ]
  [ ! -e "$HRUN_ROOT/$ID" ]
}

@test "create into a frozen cgroup is refused, naming it, as runc refuses it; the cgroup is left as it was" {
  [ -d /sys/fs/cgroup/freezer ] || skip "no cgroup v1 freezer on this host (the v2 test covers it)"
  FROZEN_CG=/sys/fs/cgroup/freezer/hrun-frozen-$$
  mkdir -p "$FROZEN_CG/$ID"
  echo FROZEN >"$FROZEN_CG/freezer.state"
  update_config ".linux.cgroupsPath = \"/hrun-frozen-$$/$ID\""
  # (before: the init froze as it entered, and create waited for ever)
  run timeout 20 "$HRUN_BIN" --root "$HRUN_ROOT" run --bundle "$BUNDLE" "$ID"
  assert_failure 1
  assert_output "hrun: run: cgroup: $FROZEN_CG/$ID is frozen (freezer.state: FROZEN): thaw it, or its frozen ancestor, first"
  [ ! -e "$HRUN_ROOT/$ID" ]
  [ -d "$FROZEN_CG/$ID" ]
  [ ! -e "/sys/fs/cgroup/pids/hrun-frozen-$$" ]
  assert_equal "$(cat "$FROZEN_CG/freezer.state")" FROZEN
}

@test "cgroup v2: create below a frozen cgroup2 directory is refused, naming it, leaving nothing" {
  require_cgroup2
  FROZEN_CG=$(cgroup2_root)/hrun-frozen-$$
  mkdir "$FROZEN_CG"
  echo 1 >"$FROZEN_CG/cgroup.freeze"
  update_config ".linux.cgroupsPath = \"/hrun-frozen-$$/$ID\" | del(.linux.resources)"
  run run_on_cgroup2 timeout 20 "$HRUN_BIN" --root "$HRUN_ROOT" run --bundle "$BUNDLE" "$ID"
  assert_failure 1
  assert_output "hrun: run: cgroup: /sys/fs/cgroup/hrun-frozen-$$/$ID is frozen (cgroup.events: frozen 1): thaw it, or its frozen ancestor, first"
  [ ! -e "$HRUN_ROOT/$ID" ]
  [ ! -e "$FROZEN_CG/$ID" ]
}

@test "cgroup v2: resume under a frozen ancestor lifts the container's own freeze and says what still holds it" {
  require_cgroup2
  FROZEN_CG=$(cgroup2_root)/hrun-frozen-$$
  update_config ".linux.cgroupsPath = \"/hrun-frozen-$$/$ID\" | del(.linux.resources)"
  local script='h() { "$HRUN_BIN" --root "$HRUN_ROOT" "$@"; }
    h run -d --bundle "$BUNDLE" "$ID" </dev/null >/dev/null || exit 1
    echo 1 >"$CG/cgroup.freeze"
    h pause "$ID" && echo "paused: $(h state "$ID" | jq -r .status)"
    h resume "$ID" 2>&1 && echo "resumed: $(h state "$ID" | jq -r .status)"
    echo "own freeze: $(cat "$CG/$ID/cgroup.freeze")"
    echo 0 >"$CG/cgroup.freeze"
    h delete --force "$ID"'
  # (before: resume waited 5 s for a thaw that could not come, then failed)
  run run_on_cgroup2 timeout 20 env HRUN_BIN="$HRUN_BIN" HRUN_ROOT="$HRUN_ROOT" BUNDLE="$BUNDLE" \
    ID="$ID" CG=/sys/fs/cgroup/hrun-frozen-$$ sh -c "$script"
  assert_success
  assert_line "paused: paused"
  assert_line --partial "cgroup: /sys/fs/cgroup/hrun-frozen-$$/$ID stays frozen: its ancestor /sys/fs/cgroup/hrun-frozen-$$ is frozen"
  assert_line "resumed: running"
  assert_line "own freeze: 0"
  [ ! -e "$FROZEN_CG" ]
}

# ---- device rules ------------------------------------------------------------

# /probe DEV...: opens each device for reading, then for writing, and
# prints "DEV r|w ok", "DEV r|w EPERM" or the shell's error.
write_probe() {
  cat >"$BUNDLE/rootfs/probe" <<'EOF'
for d in "$@"; do
  for m in r w; do
    if [ $m = r ]; then e=$( (: <"$d") 2>&1); else e=$( (: >"$d") 2>&1); fi
    case "$e" in
      "") echo "$d $m ok" ;;
      *"not permitted"*) echo "$d $m EPERM" ;;
      *) echo "$d $m $e" ;;
    esac
  done
done
EOF
}

FUSE='{"path": "/dev/fuse", "type": "c", "major": 10, "minor": 229, "fileMode": 438}'
NULL='{"path": "/dev/null", "type": "c", "major": 1, "minor": 3, "fileMode": 438}'
READ_ONLY='[{"allow": false, "access": "rwm"}, {"allow": true, "type": "c", "major": 10, "minor": 229, "access": "r"}, {"allow": true, "type": "c", "major": 1, "minor": 3, "access": "r"}]'

# What a deny-all config with /dev/fuse and /dev/null listed must give.
assert_deny_all_probe() {
  assert_line "/dev/fuse r EPERM"
  assert_line "/dev/fuse w EPERM"
  assert_line "/dev/null r EPERM"
  assert_line "/dev/null w EPERM"
  local d
  for d in /dev/zero /dev/full /dev/random /dev/urandom; do
    assert_line "$d r ok"
    assert_line "$d w ok"
  done
}

assert_read_only_probe() {
  assert_line "/dev/fuse r ok"
  assert_line "/dev/fuse w EPERM"
  assert_line "/dev/null r ok"
  assert_line "/dev/null w EPERM"
  assert_line "/dev/zero r ok"
  assert_line "/dev/zero w ok"
}

@test "device rules: linux.devices makes nodes but grants nothing: deny-all keeps a listed device denied, runc's default list holds" {
  write_probe
  # (before: each listed device got an rwm allow after the configured rules)
  update_config ".linux.devices = [$FUSE, $NULL]"
  set_args sh /probe /dev/fuse /dev/null /dev/zero /dev/full /dev/random /dev/urandom
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_deny_all_probe
}

@test "device rules: a read-only rule lets a listed device be read but not written" {
  grep -qw fuse /proc/misc || skip "no fuse driver on this host"
  write_probe
  update_config ".linux.devices = [$FUSE, $NULL] | .linux.resources.devices = $READ_ONLY"
  set_args sh /probe /dev/fuse /dev/null /dev/zero
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_read_only_probe
}

@test "device rules: cgroup v2's device program decides as v1 does" {
  require_cgroup2
  grep -qw fuse /proc/misc || skip "no fuse driver on this host"
  write_probe
  update_config ".linux.cgroupsPath = \"/hrun-dev-$$/$ID\" | .linux.devices = [$FUSE, $NULL]"
  set_args sh /probe /dev/fuse /dev/null /dev/zero /dev/full /dev/random /dev/urandom
  run run_on_cgroup2 "$HRUN_BIN" --root "$HRUN_ROOT" run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_deny_all_probe
  update_config ".linux.resources.devices = $READ_ONLY"
  run run_on_cgroup2 "$HRUN_BIN" --root "$HRUN_ROOT" run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_read_only_probe
  [ ! -e "$(cgroup2_root)/hrun-dev-$$" ]
}

@test "device rules: the same decisions as runc for a listed device" {
  grep -qw fuse /proc/misc || skip "no fuse driver on this host"
  setup_runc
  write_probe
  # Not /dev/null: runc cannot start when it is denied (it reopens it).
  update_config ".linux.devices = [$FUSE]"
  set_args sh /probe /dev/fuse /dev/null /dev/zero /dev/tty /dev/urandom
  local rules
  for rules in '[{"allow": false, "access": "rwm"}]' "$READ_ONLY" \
    '[{"allow": true, "type": "c", "major": 10, "minor": 229, "access": "rwm"}, {"allow": false, "type": "c", "major": 10, "minor": 229, "access": "w"}]'; do
    update_config ".linux.resources.devices = $rules"
    run runc --root "$RUNC_ROOT" run --bundle "$BUNDLE" "$ID-runc"
    assert_success
    local want=$output
    run hrun run --bundle "$BUNDLE" "$ID"
    assert_success
    assert_output "$want"
  done
}

@test "device rules: update --resources keeps runc's default list after the new rules" {
  grep -qw fuse /proc/misc || skip "no fuse driver on this host"
  write_probe
  update_config ".linux.devices = [$FUSE]"
  hrun_bg run -d --bundle "$BUNDLE" "$ID"
  assert_success
  run hrun exec "$ID" sh /probe /dev/fuse
  assert_line "/dev/fuse r EPERM"
  # (before: the new rules alone, which denied /dev/null and the rest)
  hrun update --resources - "$ID" <<<'{"devices": [{"allow": false, "access": "rwm"}, {"allow": true, "type": "c", "major": 10, "minor": 229, "access": "r"}]}'
  run hrun exec "$ID" sh /probe /dev/fuse /dev/null /dev/zero
  assert_success
  assert_line "/dev/fuse r ok"
  assert_line "/dev/fuse w EPERM"
  assert_line "/dev/null r ok"
  assert_line "/dev/null w ok"
  assert_line "/dev/zero w ok"
}

@test "device rules: a deny inside a wildcard allow, which cgroup v1 would ignore, is refused naming it, leaving nothing" {
  update_config '.linux.resources.devices += [{"allow": true, "type": "c", "major": 1, "access": "rw"}, {"allow": false, "type": "c", "major": 1, "minor": 3, "access": "w"}]'
  hrun_bg create --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output "hrun: create: linux.resources.devices[2]: \"deny c 1:3 w\" cannot narrow the wider \"allow c 1:* rw\" before it (cgroup v1 would ignore it; runc refuses it too)"
  [ ! -e "$HRUN_ROOT/$ID" ]
  [ -z "$(cgroup_dirs_named "$ID")" ]
}
