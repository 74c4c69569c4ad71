#!/usr/bin/env bats
# The container process: identity, capabilities, limits, environment.

load helpers

setup() {
  setup_common
}

teardown() {
  teardown_common
}


@test "the five capability sets are exactly the config's" {
  update_config '.process.capabilities = {
      "bounding": ["CAP_CHOWN","CAP_KILL","CAP_NET_BIND_SERVICE","CAP_SETUID"],
      "effective": ["CAP_CHOWN","CAP_KILL"],
      "permitted": ["CAP_CHOWN","CAP_KILL","CAP_NET_BIND_SERVICE"],
      "inheritable": ["CAP_KILL"],
      "ambient": ["CAP_KILL"]}'
  set_args sleep 100
  hrun create --bundle "$BUNDLE" "$ID"
  # A created init has its final credentials: every set is the config's.
  # CAP_CHOWN=0 CAP_KILL=5 CAP_SETUID=7 CAP_NET_BIND_SERVICE=10
  local status=/proc/$(init_pid "$ID")/status
  assert_equal "$(awk '/^CapBnd/{print $2}' "$status")" 00000000000004a1
  assert_equal "$(awk '/^CapPrm/{print $2}' "$status")" 0000000000000421
  assert_equal "$(awk '/^CapEff/{print $2}' "$status")" 0000000000000021
  assert_equal "$(awk '/^CapInh/{print $2}' "$status")" 0000000000000020
  assert_equal "$(awk '/^CapAmb/{print $2}' "$status")" 0000000000000020
}

@test "after start, CapEff of the process equals the config's (runc spec sets)" {
  set_args sleep 100
  hrun create --bundle "$BUNDLE" "$ID"
  hrun start "$ID"
  # runc spec: CAP_AUDIT_WRITE=29 CAP_KILL=5 CAP_NET_BIND_SERVICE=10
  local status=/proc/$(init_pid "$ID")/status
  assert_equal "$(awk '/^CapEff/{print $2}' "$status")" 0000000020000420
  assert_equal "$(awk '/^CapBnd/{print $2}' "$status")" 0000000020000420
  grep -q '^NoNewPrivs:\s*1' "$status"
}

@test "without a capabilities object the process has none" {
  update_config 'del(.process.capabilities)'
  set_args sh -c 'grep -E "^Cap(Eff|Bnd|Prm)" /proc/self/status'
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_line --regexp '^CapEff:\s+0000000000000000$'
  assert_line --regexp '^CapBnd:\s+0000000000000000$'
}

@test "an unknown capability name is refused" {
  update_config '.process.capabilities.bounding += ["CAP_NOT_A_THING"]'
  hrun_bg create --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output --partial 'process.capabilities.bounding[3]: unknown capability "CAP_NOT_A_THING"'
}

@test "a capability the runtime does not hold is skipped with a warning" {
  command -v capsh >/dev/null || fail "capsh is not installed (make deps installs libcap2-bin)"
  update_config '.process.capabilities.bounding += ["CAP_SYS_MODULE"]
    | .process.capabilities.permitted += ["CAP_SYS_MODULE"]
    | .process.capabilities.effective += ["CAP_SYS_MODULE"]'
  set_args sleep 100
  local out=$BATS_TEST_TMPDIR/create.out
  # hrun itself without CAP_SYS_MODULE in its bounding set.
  capsh --drop=cap_sys_module -- -c '"$0" --root "$1" create --bundle "$2" "$3"' \
    "$HRUN_BIN" "$HRUN_ROOT" "$BUNDLE" "$ID" </dev/null >"$out" 2>&1
  run cat "$out"
  assert_output --regexp '^time="[^"]+" level=warning msg="process.capabilities: CAP_SYS_MODULE is not in the runtime.s bounding set: skipped"$'
  # CAP_SYS_MODULE = 16: not in the init's sets; the rest of the runc spec
  # set (CAP_AUDIT_WRITE, CAP_KILL, CAP_NET_BIND_SERVICE) is.
  local status=/proc/$(init_pid "$ID")/status
  assert_equal "$(awk '/^CapBnd/{print $2}' "$status")" 0000000020000420
  assert_equal "$(awk '/^CapEff/{print $2}' "$status")" 0000000020000420
}

@test "rlimits are applied" {
  update_config '.process.rlimits = [{"type":"RLIMIT_NOFILE","soft":123,"hard":456},{"type":"RLIMIT_NPROC","soft":300,"hard":400}]'
  set_args sh -c 'ulimit -n; ulimit -Hn; ulimit -u'
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_line --index 0 123
  assert_line --index 1 456
  assert_line --index 2 300
}

@test "env and cwd are the config's" {
  mkdir -p "$BUNDLE/rootfs/work/dir"
  update_config '.process.env = ["PATH=/bin", "FOO=bar baz", "EMPTY="] | .process.cwd = "/work/dir"'
  set_args sh -c 'pwd; echo "$FOO"; env | sort'
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_line --index 0 /work/dir
  assert_line --index 1 "bar baz"
  assert_line "EMPTY="
  assert_line "HOME=/root"
  refute_line --partial "HRUN"
}

@test "a cwd the rootfs lacks is made, 0755, owned by the process user (runc: by root)" {
  setup_runc
  update_config '.process.cwd = "/new/dir" | .process.user = {"uid": 1000, "gid": 1000} | .root.readonly = true'
  set_args sh -c 'pwd; stat -c "%a %u:%g" /new /new/dir'
  rm -rf "$BUNDLE/rootfs/new"
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_equal "$(echo $output)" "/new/dir 755 0:0 755 1000:1000"
  # runc makes it too, but leaves it to root.
  rm -rf "$BUNDLE/rootfs/new"
  run runc --root "$RUNC_ROOT" run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_line --index 2 "755 0:0"
  # A cwd that exists keeps its owner.
  mkdir -p "$BUNDLE/rootfs/new/dir"
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_line --index 2 "755 0:0"
  # Through a symlink that points out of the rootfs, it is made inside.
  rm -rf "$BUNDLE/rootfs/new"
  ln -s "../../../../../../$BATS_TEST_TMPDIR/outside" "$BUNDLE/rootfs/new"
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  [ ! -e "$BATS_TEST_TMPDIR/outside" ] || fail "the cwd was made outside the rootfs"
  [ -d "$BUNDLE/rootfs/$BATS_TEST_TMPDIR/outside/dir" ]
}

@test "a cwd that cannot be made fails create with a clear error" {
  touch "$BUNDLE/rootfs/file"
  update_config '.process.cwd = "/file/dir"'
  hrun_bg create --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output --partial "process.cwd: open /file/dir in the rootfs: not a directory"
  [ ! -e "$HRUN_ROOT/$ID" ]
}

@test "an executable that is not there fails create" {
  set_args /bin/no-such-program
  hrun_bg create --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output --partial 'exec: "/bin/no-such-program": stat /bin/no-such-program: no such file or directory'
  set_args no-such-program
  hrun_bg create --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_output --partial 'exec: "no-such-program": executable file not found in $PATH'
}

@test "uid, gid, additional gids and umask" {
  update_config '.process.user = {"uid": 1000, "gid": 1000, "additionalGids": [10, 20], "umask": 63}'
  set_args sh -c 'id -u; id -g; id -G; umask; touch /tmp/f; stat -c %a /tmp/f'
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_line --index 0 1000
  assert_line --index 1 1000
  assert_line --index 2 "1000 10 20"
  assert_line --index 3 0077
  assert_line --index 4 600
}

@test "noNewPrivileges and oomScoreAdj" {
  update_config '.process.noNewPrivileges = true | .process.oomScoreAdj = 500'
  set_args sh -c 'grep NoNewPrivs /proc/self/status; cat /proc/self/oom_score_adj'
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_success
  assert_line --regexp '^NoNewPrivs:\s+1$'
  assert_line 500
  update_config '.process.noNewPrivileges = false'
  run hrun run --bundle "$BUNDLE" "$ID"
  assert_line --regexp '^NoNewPrivs:\s+0$'
}

@test "with terminal false the process gets the runtime's stdin, stdout and stderr" {
  set_args sh -c 'read line; echo "out:$line"; echo "err:$line" >&2'
  run --separate-stderr hrun run --bundle "$BUNDLE" "$ID" <<<"hello"
  assert_success
  assert_output "out:hello"
  assert_equal "$stderr" "err:hello"
}
