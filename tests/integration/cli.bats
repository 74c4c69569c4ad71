#!/usr/bin/env bats
# features, spec and the bash completion: what hrun tells its callers about
# itself, the starter config.json, and contrib/hrun.bash-completion.

load helpers

COMPLETION=$REPO_ROOT/contrib/hrun.bash-completion

setup() {
  setup_common
}

teardown() {
  teardown_common
}

# The default config.json without the two members where hrun differs from
# runc on purpose, keys sorted, for a textual comparison.
normalized_spec() {
  jq -S 'del(.ociVersion, .hostname)' "$1"
}

# runc_spec DIR [--rootless]: runc's config.json in a fresh DIR.
runc_spec() {
  local dir=$1
  shift
  mkdir -p "$dir"
  (cd "$dir" && runc spec "$@")
}

# complete_words WORD...: what the completion offers for the command line
# `hrun WORD...` with the cursor at the end of the last WORD (give "" to
# complete a new word), one candidate per line, in a bash that has only the
# completion file loaded (as readline would set COMP_WORDS and COMP_CWORD).
complete_words() {
  bash -c '
    source "$1" || exit 1
    shift
    COMP_WORDS=("$@")
    COMP_CWORD=$(($# - 1))
    COMP_LINE="$*"
    COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    _hrun "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    printf "%s\n" "${COMPREPLY[@]}"
  ' _ "$COMPLETION" "$HRUN_BIN" "$@"
}

@test "features: valid JSON with the spec versions hrun accepts" {
  run hrun features
  assert_success
  jq -e . <<<"$output" >/dev/null
  assert_equal "$(jq -r .ociVersionMin <<<"$output")" "1.0.0"
  assert_equal "$(jq -r .ociVersionMax <<<"$output")" "1.3.0"
  local version
  version=$("$HRUN_BIN" --version | sed -n 's/^hrun version //p')
  assert_equal "$(jq -r '.annotations["io.github.hrun.version"]' <<<"$output")" "$version"
}

@test "features: the six hooks and the eight namespaces" {
  run hrun features
  assert_success
  assert_equal "$(jq -c .hooks <<<"$output")" \
    '["prestart","createRuntime","createContainer","startContainer","poststart","poststop"]'
  assert_equal "$(jq -c '.linux.namespaces | sort' <<<"$output")" \
    '["cgroup","ipc","mount","network","pid","time","user","uts"]'
}

@test "features: one capability name per capability of the kernel" {
  run hrun features
  assert_success
  local last
  last=$(cat /proc/sys/kernel/cap_last_cap)
  assert_equal "$(jq '.linux.capabilities | length' <<<"$output")" "$((last + 1))"
  assert_equal "$(jq '.linux.capabilities | unique | length' <<<"$output")" "$((last + 1))"
  jq -e '.linux.capabilities | index("CAP_SYS_ADMIN") != null' <<<"$output"
  jq -e '.linux.capabilities | all(test("^CAP_[A-Z0-9_]+$"))' <<<"$output"
  assert_equal "$(jq -r '.linux.capabilities[0]' <<<"$output")" CAP_CHOWN
}

@test "features: seccomp names are the ones config.json accepts" {
  run hrun features
  assert_success
  jq -e '.linux.seccomp.enabled == true' <<<"$output"
  assert_equal "$(jq -c '.linux.seccomp.actions | sort' <<<"$output")" \
    '["SCMP_ACT_ALLOW","SCMP_ACT_ERRNO","SCMP_ACT_KILL","SCMP_ACT_KILL_PROCESS","SCMP_ACT_KILL_THREAD","SCMP_ACT_LOG","SCMP_ACT_NOTIFY","SCMP_ACT_TRACE","SCMP_ACT_TRAP"]'
  assert_equal "$(jq -c '.linux.seccomp.operators | sort' <<<"$output")" \
    '["SCMP_CMP_EQ","SCMP_CMP_GE","SCMP_CMP_GT","SCMP_CMP_LE","SCMP_CMP_LT","SCMP_CMP_MASKED_EQ","SCMP_CMP_NE"]'
  jq -e '.linux.seccomp.archs | index("SCMP_ARCH_X86_64") != null' <<<"$output"
  # Every supported flag is known; the three that predate kernel 4.17 are
  # supported on any kernel these tests run on.
  jq -e '.linux.seccomp as $s | $s.supportedFlags - $s.knownFlags == []' <<<"$output"
  jq -e '.linux.seccomp.supportedFlags | contains(["SECCOMP_FILTER_FLAG_TSYNC",
    "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"])' <<<"$output"
}

@test "features: what it lists, run accepts" {
  run hrun features
  assert_success
  local features=$output
  jq -e '.mountOptions | index("rbind") != null and index("rro") != null' <<<"$features"
  jq -e '.mountOptions | index("idmap") != null and index("ridmap") != null' <<<"$features"
  jq -e '.linux.cgroup == {"v1": true, "v2": true, "systemd": true,
    "systemdUser": false, "rdma": false}' <<<"$features"
  jq -e '.linux.mountExtensions.idmap.enabled == true and .linux.netDevices.enabled == true' <<<"$features"
  # One tmpfs per mount option (but those that need an existing mount),
  # every capability in the bounding set, a seccomp profile with every
  # operator and every action that needs no listener.
  jq --argjson f "$features" '
    .process.args = ["true"]
    | .process.capabilities.bounding = $f.linux.capabilities
    | .mounts += [$f.mountOptions - ["bind", "rbind", "remount", "idmap", "ridmap"] | .[]
        | {"destination": "/tmp/\(.)", "type": "tmpfs", "source": "tmpfs",
           "options": [.]}]
    | .linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
        "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
        "syscalls": ([$f.linux.seccomp.operators[]
          | {"names": ["getppid"], "action": "SCMP_ACT_ALLOW",
             "args": [{"index": 0, "value": 1, "op": .}]}]
          + [$f.linux.seccomp.actions[] | select(. != "SCMP_ACT_NOTIFY")
          | {"names": ["acct"], "action": .}])}' \
    "$BUNDLE/config.json" >"$BUNDLE/config.json.new"
  mv "$BUNDLE/config.json.new" "$BUNDLE/config.json"
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
}

@test "features: takes no arguments" {
  run hrun features extra
  assert_failure
  assert_output --partial "usage: hrun features"
}

@test "spec: writes runc's config.json into the bundle, with hrun's version and hostname" {
  local dir=$BATS_TEST_TMPDIR/spec
  mkdir -p "$dir"
  run hrun spec --bundle "$dir"
  assert_success
  assert_output ""
  assert_equal "$(jq -r .ociVersion "$dir/config.json")" "1.3.0"
  assert_equal "$(jq -r .hostname "$dir/config.json")" "hrun"
  runc_spec "$BATS_TEST_TMPDIR/runc"
  assert_equal "$(normalized_spec "$dir/config.json")" \
    "$(normalized_spec "$BATS_TEST_TMPDIR/runc/config.json")"
  # The same members in the same order, not only the same content.
  assert_equal "$(jq -c 'del(.ociVersion, .hostname)' "$dir/config.json")" \
    "$(jq -c 'del(.ociVersion, .hostname)' "$BATS_TEST_TMPDIR/runc/config.json")"
}

@test "spec: -b and the current directory" {
  local dir=$BATS_TEST_TMPDIR/short
  mkdir -p "$dir" "$BATS_TEST_TMPDIR/cwd"
  run hrun spec -b "$dir"
  assert_success
  [ -f "$dir/config.json" ]
  cd "$BATS_TEST_TMPDIR/cwd"
  run hrun spec
  assert_success
  [ -f "$BATS_TEST_TMPDIR/cwd/config.json" ]
  # Nothing but config.json is left behind (no temporary file).
  assert_equal "$(ls -A "$BATS_TEST_TMPDIR/cwd")" "config.json"
}

@test "spec: refuses to overwrite config.json, as runc does" {
  local dir=$BATS_TEST_TMPDIR/spec
  mkdir -p "$dir"
  echo '{"mine": true}' >"$dir/config.json"
  run hrun spec --bundle "$dir"
  assert_equal "$status" 1
  assert_output "hrun: spec: File config.json exists. Remove it first"
  assert_equal "$(cat "$dir/config.json")" '{"mine": true}'
  # A dangling symlink is somebody's config.json too.
  rm "$dir/config.json"
  ln -s nowhere "$dir/config.json"
  run hrun spec --bundle "$dir"
  assert_equal "$status" 1
  [ -L "$dir/config.json" ]
}

@test "spec: a missing bundle directory or an extra argument fails" {
  run hrun spec --bundle "$BATS_TEST_TMPDIR/missing"
  assert_equal "$status" 1
  assert_output --partial "$BATS_TEST_TMPDIR/missing"
  run hrun spec extra
  assert_equal "$status" 1
  assert_output --partial "usage: hrun spec"
}

@test "spec --rootless: runc's rootless config.json" {
  local dir=$BATS_TEST_TMPDIR/spec
  mkdir -p "$dir"
  run hrun spec --rootless --bundle "$dir"
  assert_success
  runc_spec "$BATS_TEST_TMPDIR/runc" --rootless
  assert_equal "$(normalized_spec "$dir/config.json")" \
    "$(normalized_spec "$BATS_TEST_TMPDIR/runc/config.json")"
  jq -e '.linux.namespaces | map(.type) | index("user") != null and index("network") == null' \
    "$dir/config.json"
}

@test "spec: the config.json it writes runs a busybox container" {
  local dir=$BATS_TEST_TMPDIR/spec
  mkdir -p "$dir"
  build_rootfs_template
  cp -a "$ROOTFS_TEMPLATE" "$dir/rootfs"
  run hrun spec --bundle "$dir"
  assert_success
  update_config '.process.terminal = false | .process.args = ["true"]' "$dir"
  run hrun run --bundle "$dir" "$ID"
  assert_success
  run hrun list -q
  assert_output ""
}

@test "completion: registered for hrun; commands, then global options" {
  run bash -c 'source "$1" && complete -p hrun' _ "$COMPLETION"
  assert_success
  assert_output "complete -F _hrun hrun"
  run complete_words ""
  assert_success
  assert_equal "$(sort <<<"$output" | tr '\n' ' ')" \
    "create delete events exec features help hooks kill list pause ps resume run spec start state update "
  run complete_words st
  assert_equal "$(tr '\n' ' ' <<<"$output")" "start state "
  run complete_words --log-f
  assert_output "--log-format"
}

@test "completion: option values" {
  run complete_words --log-format ""
  assert_equal "$(tr '\n' ' ' <<<"$output")" "text json "
  # readline splits "--log-format=" at the '='.
  run complete_words --log-format = j
  assert_output "json"
  run complete_words list --format ""
  assert_equal "$(tr '\n' ' ' <<<"$output")" "table json "
  run complete_words exec --cap CAP_SYS_AD
  assert_output "CAP_SYS_ADMIN"
  run complete_words exec -c CAP_SYS_AD
  assert_output "CAP_SYS_ADMIN"
  # The option lists are the parser's tables (spec's --file was missing
  # from the hand-written ones).
  run complete_words spec --fi
  assert_output "--file"
  # spec's --rootless takes no value: the next word is an option again.
  run complete_words spec --rootless --b
  assert_output "--bundle"
}

@test "completion: the flags of kill, and a signal after the id" {
  run complete_words kill --
  assert_success
  assert_equal "$(tr '\n' ' ' <<<"$output")" "--all --regex --help "
  run complete_words kill some-id SIGKI
  assert_output "SIGKILL"
  run complete_words kill some-id TE
  assert_output "TERM"
  run complete_words delete --
  assert_equal "$(tr '\n' ' ' <<<"$output")" "--force --regex --help "
  run complete_words events --
  assert_equal "$(tr '\n' ' ' <<<"$output")" "--stats --interval --help "
}

@test "completion: container ids come from the --root given on the line" {
  set_args sleep 100
  hrun_bg create --bundle "$BUNDLE" "$ID"
  assert_success
  run complete_words --root "$HRUN_ROOT" state ""
  assert_success
  assert_output "$ID"
  run complete_words --root "$HRUN_ROOT" kill -a ""
  assert_output "$ID"
  run complete_words --debug --root "$HRUN_ROOT" delete --force "${ID:0:6}"
  assert_output "$ID"
  # Another root, another list.
  run complete_words --root "$BATS_TEST_TMPDIR/other" state ""
  assert_output ""
}
