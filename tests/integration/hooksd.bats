#!/usr/bin/env bats
# Hooks from outside config.json (man/hrun-hooks.5): oci-hooks(5)
# directories (--hooks-dir, hrun's configuration file), precreate filters,
# --hook-spec, and `hrun hooks`, which explains them.

load helpers

setup() {
  setup_common
  REC=$BATS_TEST_TMPDIR/rec
  HOOKSD=$BATS_TEST_TMPDIR/hooks.d
  mkdir -p "$REC" "$HOOKSD"
  # rec NAME: appends NAME to $REC/order (and keeps the state it read).
  REC_HOOK=$BATS_TEST_TMPDIR/rec.sh
  printf '#!/bin/sh\ncat >"%s/$1.state"\necho "$1" >>"%s/order"\n' "$REC" "$REC" >"$REC_HOOK"
  chmod 755 "$REC_HOOK"
  # Tests never read /etc/hrun: the configuration file is this one.
  export HRUN_CONFIG=$BATS_TEST_TMPDIR/hrun.json
  update_config '.annotations = {"com.example.gpu": "yes"}'
}

teardown() {
  local p
  # (what a precreate hook left, had a build let it)
  for p in $(pids_mentioning "sleep ${LEFT_MARK:-none}"); do kill -KILL "$p" 2>/dev/null || true; done
  teardown_common
}

# hookfile NAME WHEN STAGES [LABEL]: a 1.0.0 file in $HOOKSD whose hook
# records LABEL (default: NAME).
hookfile() {
  local name=$1 when=$2 stages=$3 label=${4:-$1} dir=${5:-$HOOKSD}
  jq -n --arg p "$REC_HOOK" --arg l "$label" --argjson w "$when" --argjson s "$stages" \
    '{version: "1.0.0", hook: {path: $p, args: ["rec", $l]}, when: $w, stages: $s}' \
    >"$dir/$name.json"
}

order() {
  tr '\n' ' ' <"$REC/order" 2>/dev/null
}

own_hook() {
  jq -cn --arg p "$REC_HOOK" --arg l "$1" '{path: $p, args: ["rec", $l]}'
}

@test "hooks.d: a matching file's hook runs after the config's own, prestart as createRuntime; others do not" {
  update_config ".hooks.createRuntime = [$(own_hook own-cr)] | .hooks.poststop = [$(own_hook own-ps)]"
  hookfile 20-gpu '{"annotations": {"^com\\.example\\.gpu$": "^yes$"}}' '["prestart", "poststop"]'
  hookfile 10-init '{"commands": ["^/sbin/init$"]}' '["createRuntime"]'
  hookfile 30-bind '{"hasBindMounts": true}' '["createRuntime"]'
  hookfile 05-always '{"always": true}' '["poststart"]'
  echo '{"not": "a hook"}' >"$HOOKSD/readme.txt"
  hrun run --bundle "$BUNDLE" --hooks-dir "$HOOKSD" "$ID"
  assert_equal "$(order)" "own-cr 20-gpu 05-always own-ps 20-gpu "
  assert_no_leftovers "$ID"
}

@test "hooks.d: files run in the order of their names; a later directory masks a file of the same name; a missing one is skipped" {
  local later=$BATS_TEST_TMPDIR/later.d
  mkdir -p "$later"
  hookfile b '{"always": true}' '["createRuntime"]'
  hookfile A '{"always": true}' '["createRuntime"]'
  hookfile c '{"always": true}' '["createRuntime"]' c-first
  hookfile c '{"always": true}' '["createRuntime"]' c-later "$later"
  hrun run --bundle "$BUNDLE" --hooks-dir "$HOOKSD" --hooks-dir "$BATS_TEST_TMPDIR/none" \
    --hooks-dir "$later" "$ID"
  assert_equal "$(order)" "A b c-later "
}

@test "hooks.d: 0.1.0 files, any condition" {
  jq -n --arg p "$REC_HOOK" '{hook: $p, arguments: ["legacy"], annotation: ["^no$", "^yes$"], stage: ["poststart"]}' \
    >"$HOOKSD/legacy.json"
  jq -n --arg p "$REC_HOOK" '{hook: $p, arguments: ["legacy-no"], cmds: ["^nothing$"], stages: ["poststart"]}' \
    >"$HOOKSD/legacy-no.json"
  hrun run --bundle "$BUNDLE" --hooks-dir "$HOOKSD" "$ID"
  assert_equal "$(order)" "legacy "
}

@test "hooks.d: the configuration file turns directories on (HRUN_CONFIG); the annotation turns them off for one container" {
  hookfile gpu '{"always": true}' '["createRuntime"]'
  hrun run --bundle "$BUNDLE" "$ID"
  assert_equal "$(order)" ""
  jq -n --arg d "$HOOKSD" '{hooksDirs: [$d]}' >"$HRUN_CONFIG"
  hrun run --bundle "$BUNDLE" "$ID"
  assert_equal "$(order)" "gpu "
  update_config '.annotations["run.oci.hrun.hooks-dirs"] = "off"'
  hrun run --bundle "$BUNDLE" "$ID"
  assert_equal "$(order)" "gpu "
  update_config '.annotations["run.oci.hrun.hooks-dirs"] = "maybe"'
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output --partial 'annotations.run.oci.hrun.hooks-dirs must be "on" or "off"'
}

@test "hooks.d: the hooks added at create are in the state dir's config, so start and delete run theirs" {
  hookfile all '{"always": true}' '["poststart", "poststop"]'
  set_args sleep 100
  hrun create --bundle "$BUNDLE" --hooks-dir "$HOOKSD" "$ID"
  run jq -r '.hooks.poststop[0].args[1]' "$HRUN_ROOT/$ID/config.json"
  assert_output "all"
  hrun start "$ID"
  hrun delete --force "$ID"
  assert_equal "$(order)" "all all "
}

# bad_file NAME CONTENT MESSAGE: run (create, then start) fails with one
# line naming the file and the field, and leaves nothing. (The failure
# tests use run: a create that an old build lets through would leave an
# init waiting for start with bats' output pipe.)
bad_file() {
  rm -f "$HOOKSD"/*.json
  printf '%s' "$2" >"$HOOKSD/$1"
  run hrun run --bundle "$BUNDLE" --hooks-dir "$HOOKSD" "$ID"
  assert_failure
  assert_equal "${#lines[@]}" 1
  assert_output "hrun: run: $HOOKSD/$1: $3"
  assert_no_leftovers "$ID"
}

@test "hooks.d: a malformed file is one error naming the file and the field; nothing is left" {
  bad_file a.json '{"version": "1.0.0", "hook": {}, "when": {"always": true}, "stages": ["prestart"]}' \
    'hook.path: is required'
  bad_file b.json "{\"version\": \"1.0.0\", \"hook\": {\"path\": \"$REC_HOOK\"}, \"when\": {\"commands\": [\"(\"]}, \"stages\": [\"prestart\"]}" \
    'when.commands[0]: invalid regular expression "(": Unmatched ( or \('
  bad_file c.json "{\"version\": \"1.0.0\", \"hook\": {\"path\": \"$REC_HOOK\"}, \"when\": {\"always\": true}, \"stages\": [\"prestop\"]}" \
    'stages[0]: unknown stage "prestop"'
  bad_file d.json '{"version": "2.0.0"}' 'version: unsupported "2.0.0" (1.0.0 or 0.1.0)'
  # glibc's regcomp would take gigabytes for this one: refused before
  bad_file f.json "{\"version\": \"1.0.0\", \"hook\": {\"path\": \"$REC_HOOK\"}, \"when\": {\"commands\": [\"x++++++++++++++++++++++++++++++++\"]}, \"stages\": [\"prestart\"]}" \
    'when.commands[0]: invalid regular expression "x++++++++++++++++++++++++++++++++": larger than 1000 once its repetitions are expanded'
  bad_file e.json '{"version": "1.0.0", "hook": {"path": "/nonexistent/hook"}, "when": {"always": true}, "stages": ["prestart"]}' \
    'hook.path: /nonexistent/hook: no such file or directory'
}

# filter NAME JQ: a precreate hook that records NAME in $REC/order and
# prints the config on its stdin through the jq filter.
filter() {
  printf '#!/bin/sh\necho %s >>"%s/order"\nexec jq -c %q\n' "$1" "$REC" "$2" >"$BATS_TEST_TMPDIR/$1.sh"
  chmod 755 "$BATS_TEST_TMPDIR/$1.sh"
}

@test "precreate: filters change the config before create, in order; the state dir keeps what was used" {
  filter dir '.process.env += ["FROM_DIR=1"]'
  filter conf '.process.env += ["FROM_CONF=1"]'
  filter flag '.mounts += [{"destination": "/filtered", "type": "tmpfs", "source": "tmpfs"}]'
  jq -n --arg p "$BATS_TEST_TMPDIR/dir.sh" \
    '{version: "1.0.0", hook: {path: $p}, when: {annotations: {gpu: "yes"}}, stages: ["precreate"]}' \
    >"$HOOKSD/10-filter.json"
  jq -n --arg p "$BATS_TEST_TMPDIR/conf.sh" '{precreateHooks: [{path: $p, timeout: 5}]}' >"$HRUN_CONFIG"
  set_args sh -c 'echo "$FROM_DIR$FROM_CONF"; grep -c " /filtered .* tmpfs " /proc/self/mountinfo'
  run hrun run --bundle "$BUNDLE" --hooks-dir "$HOOKSD" --precreate-hook "$BATS_TEST_TMPDIR/flag.sh" "$ID"
  assert_success
  assert_equal "$(order)" "dir conf flag "
  assert_equal "${lines[0]}" "11"
  assert_equal "${lines[1]}" "1"
  set_args sleep 100
  hrun create --bundle "$BUNDLE" --hooks-dir "$HOOKSD" --precreate-hook "$BATS_TEST_TMPDIR/flag.sh" "$ID"
  run jq -c '[.process.env[-2:][], .mounts[-1].destination]' "$HRUN_ROOT/$ID/config.json"
  assert_output '["FROM_DIR=1","FROM_CONF=1","/filtered"]'
  # the bundle's own config.json is not changed
  run jq -c '.process.env | length' "$BUNDLE/config.json"
  assert_output 2
  hrun delete --force "$ID"
}

@test "precreate: a bad output, a failure or a timeout is one error naming the hook; nothing is left, nothing was made" {
  local f=$BATS_TEST_TMPDIR/bad.sh
  printf '#!/bin/sh\nexec jq -c ".process.args = []"\n' >"$f"
  chmod 755 "$f"
  run hrun run --bundle "$BUNDLE" --precreate-hook "$f" "$ID"
  assert_failure
  assert_equal "${#lines[@]}" 1
  assert_output "hrun: run: precreate hook from --precreate-hook ($f): its output: process.args must not be empty"
  assert_no_leftovers "$ID"
  [ ! -e "$HRUN_ROOT" ] || [ -z "$(ls -A "$HRUN_ROOT")" ]
  printf '#!/bin/sh\necho not json\n' >"$f"
  run hrun run --bundle "$BUNDLE" --precreate-hook "$f" "$ID"
  assert_failure
  assert_output --partial "hrun: run: precreate hook from --precreate-hook ($f): its output: invalid JSON"
  printf '#!/bin/sh\necho oops >&2\nexit 4\n' >"$f"
  run hrun run --bundle "$BUNDLE" --precreate-hook "$f" "$ID"
  assert_output "hrun: run: precreate hook from --precreate-hook ($f) failed: exit status 4: oops"
  # a failing filter leaves nothing it started, even in a session of its own
  LEFT_MARK=299.$RANDOM$RANDOM # (a sleep this long is ours)
  # (the hook fails once the sleep runs, waiting at most 5 s for it)
  printf '#!/bin/sh\nsetsid sleep %s </dev/null >/dev/null 2>&1 &\ni=0
until grep -qs %s /proc/$!/cmdline || [ $i -ge 100 ]; do sleep 0.05; i=$((i + 1)); done\nexit 5\n' \
    "$LEFT_MARK" "$LEFT_MARK" >"$f"
  run hrun run --bundle "$BUNDLE" --precreate-hook "$f" "$ID"
  assert_output "hrun: run: precreate hook from --precreate-hook ($f) failed: exit status 5"
  run pids_mentioning "sleep $LEFT_MARK"
  assert_output ""
  printf '#!/bin/sh\nexec sleep 30\n' >"$f"
  jq -n --arg p "$f" '{precreateHooks: [{path: $p, timeout: 1}]}' >"$HRUN_CONFIG"
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_output "hrun: run: precreate hook from $HRUN_CONFIG precreateHooks[0] ($f) timed out after 1 s; killed with what it started"
  assert_no_leftovers "$ID"
  run pids_mentioning "$f"
  assert_output ""
}

@test "configuration file: errors name the file and the member" {
  echo '{"hooksDirs": ["relative"]}' >"$HRUN_CONFIG"
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output "hrun: run: $HRUN_CONFIG: hooksDirs[0] must be an absolute path"
  echo '{"hookDirs": []}' >"$HRUN_CONFIG"
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_output "hrun: run: $HRUN_CONFIG: hookDirs: unknown member"
  assert_no_leftovers "$ID"
}

@test "--hook-spec: its hooks run after the config's own and the directories'" {
  update_config ".hooks.poststart = [$(own_hook own)]"
  hookfile d '{"always": true}' '["poststart"]'
  jq -n --arg p "$REC_HOOK" '{poststart: [{path: $p, args: ["rec", "spec"], timeout: 10}]}' >"$BATS_TEST_TMPDIR/spec.json"
  hrun run --bundle "$BUNDLE" --hooks-dir "$HOOKSD" --hook-spec "$BATS_TEST_TMPDIR/spec.json" "$ID"
  assert_equal "$(order)" "own d spec "
}

# bad_spec FILE MESSAGE
bad_spec() {
  run hrun run --bundle "$BUNDLE" --hook-spec "$1" "$ID"
  assert_failure
  assert_equal "${#lines[@]}" 1
  assert_output "hrun: run: --hook-spec$2"
  assert_no_leftovers "$ID"
}

@test "--hook-spec: iSulad's checks of the file and of each hook, one error each, nothing left" {
  local s=$BATS_TEST_TMPDIR/spec.json h=$BATS_TEST_TMPDIR/h.sh
  cp "$REC_HOOK" "$h"
  bad_spec spec.json " spec.json: must be an absolute path"
  bad_spec "$BATS_TEST_TMPDIR/none.json" " $BATS_TEST_TMPDIR/none.json: no such file or directory"
  bad_spec "$BATS_TEST_TMPDIR" ": $BATS_TEST_TMPDIR is not a regular file (it is a directory)"
  truncate -s 11M "$s"
  bad_spec "$s" ": $s is larger than 10 MiB"
  echo '{"poststart": [' >"$s"
  bad_spec "$s" " $s: invalid JSON: parse error: premature EOF"
  echo '{"prestop": []}' >"$s"
  bad_spec "$s" " $s: prestop: unknown hook stage"
  jq -n --arg p "$h" '{prestart: [{path: $p, timeout: 0}]}' >"$s"
  bad_spec "$s" " $s: prestart[0].timeout must be greater than zero"
  jq -n '{prestart: [{path: "rel/hook"}]}' >"$s"
  bad_spec "$s" " $s: prestart[0].path must be an absolute path"
  jq -n --arg p "$h.none" '{prestart: [{path: $p}]}' >"$s"
  bad_spec "$s" " $s: prestart[0].path: $h.none: no such file or directory"
  jq -n --arg p "$h" '{poststop: [{path: $p}]}' >"$s"
  chmod 644 "$h"
  bad_spec "$s" " $s: poststop[0].path: $h is not executable"
  chmod 775 "$h"
  bad_spec "$s" " $s: poststop[0].path: $h is writable by its group or others (mode 0775)"
  chmod 757 "$h"
  bad_spec "$s" " $s: poststop[0].path: $h is writable by its group or others (mode 0757)"
  chmod 755 "$h"
  chown 1000 "$h"
  bad_spec "$s" " $s: poststop[0].path: $h is owned by uid 1000, not root"
}

@test "hrun hooks: every hook per stage and why, the files left out and why; nothing runs" {
  local later=$BATS_TEST_TMPDIR/later.d
  mkdir -p "$later"
  update_config ".hooks.createRuntime = [$(own_hook own)]"
  hookfile 20-gpu '{"annotations": {"gpu": "yes"}}' '["prestart"]'
  hookfile 10-init '{"commands": ["^/sbin/init$"]}' '["poststop"]'
  hookfile 30-masked '{"always": true}' '["poststop"]'
  hookfile 30-masked '{"always": false}' '["poststop"]' masked-later "$later"
  jq -n --arg p "$REC_HOOK" '{poststop: [{path: $p, args: ["rec", "spec"]}]}' >"$BATS_TEST_TMPDIR/spec.json"
  run hrun hooks --bundle "$BUNDLE" --hooks-dir "$HOOKSD" --hooks-dir "$later" \
    --hook-spec "$BATS_TEST_TMPDIR/spec.json" --precreate-hook /bin/cat
  assert_success
  assert_output --partial "createRuntime:
  1. $REC_HOOK own
     from config.json hooks.createRuntime[0]
  2. $REC_HOOK 20-gpu
     from $HOOKSD/20-gpu.json (stage prestart, run as createRuntime): when.annotations \"gpu\": \"yes\" matched by com.example.gpu=yes"
  assert_output --partial "precreate:
  1. /bin/cat
     from --precreate-hook"
  assert_output --partial "poststop:
  1. $REC_HOOK spec
     from --hook-spec poststop[0]"
  assert_output --partial "not added:
  $HOOKSD/10-init.json: when.commands: none matches process.args[0] sh
  $later/30-masked.json: when.always is false
  $HOOKSD/30-masked.json: masked by $later/30-masked.json"
  [ ! -e "$REC/order" ]
  [ ! -e "$HRUN_ROOT/$ID" ]
}
