#!/usr/bin/env bats
# Input that is not what a config should be: nested too deep, too large,
# not a regular file, with NUL characters, or a state.json gone bad. Each
# gives one line naming the file or field and leaves nothing behind.

load helpers

setup() {
  setup_common
}

teardown() {
  # What a test broke in a state dir, put back so that delete can work.
  local f
  for f in state.json config.json; do
    if [ -f "$BATS_TEST_TMPDIR/$f" ] && [ -d "$HRUN_ROOT/$ID" ]; then
      rm -f "$HRUN_ROOT/$ID/$f"
      cp "$BATS_TEST_TMPDIR/$f" "$HRUN_ROOT/$ID/$f"
    fi
  done
  teardown_common
}

# hrun_limited ARGS...: hrun_bg with a 20 s bound, for what used to block
# (a FIFO) or to read forever (/dev/zero); stdin from $STDIN (/dev/null).
hrun_limited() {
  local out
  out=$(mktemp "$BATS_TEST_TMPDIR/hrun-out.XXXXXX")
  status=0
  timeout 20 "$HRUN_BIN" --root "$HRUN_ROOT" "$@" <"${STDIN:-/dev/null}" >"$out" 2>&1 ||
    status=$?
  output=$(<"$out")
  lines=()
  [ -z "$output" ] || mapfile -t lines <<<"$output"
  [ "$status" -ne 124 ] || fail "hrun $* did not end within 20 s"
}

# The one-line failure of `hrun CMD` whose message holds $2.
assert_one_line_error() {
  assert_failure
  assert_equal "${#lines[@]}" 1
  assert_output --regexp "^hrun: $1: "
  assert_output --partial "$2"
}

# nested N: N arrays nested in each other, on stdout.
nested() {
  head -c "$1" /dev/zero | tr '\0' '['
  head -c "$1" /dev/zero | tr '\0' ']'
}

# A container running sleep, for exec and update.
start_sleeper() {
  set_args sleep 1000
  hrun create --bundle "$BUNDLE" "$ID"
  hrun start "$ID"
}

@test "a config nested 400000 deep is refused while parsing, naming the file" {
  { printf '{"ociVersion":"1.0.2","root":{"path":"rootfs"},"annotations":{"a":'
    nested 400000
    printf '}}'; } >"$BUNDLE/config.json"
  hrun_limited create --bundle "$BUNDLE" "$ID"
  assert_one_line_error create \
    "config.json: invalid JSON: nested deeper than 1000 arrays and objects at byte"
  assert_no_leftovers "$ID"
}

@test "1000 levels of nesting are still read, 1001 are not" {
  local config
  config=$(<"$TESTDATA/config.json")
  # An unknown member: the root object and 999 arrays are 1000 levels.
  printf '%s,"x":%s}' "${config%\}*}" "$(nested 999)" >"$BUNDLE/config.json"
  hrun_limited run -b "$BUNDLE" "$ID"
  assert_success
  printf '%s,"x":%s}' "${config%\}*}" "$(nested 1000)" >"$BUNDLE/config.json"
  hrun_limited run -b "$BUNDLE" "$ID"
  assert_one_line_error run "config.json: invalid JSON: nested deeper than 1000 arrays and objects at byte $((${#config} + 1004))"
  assert_no_leftovers "$ID"
}

@test "config.json as a symlink to /dev/zero, a FIFO or a directory is refused at once" {
  local kind
  for kind in zero fifo dir; do
    rm -rf "$BUNDLE/config.json"
    case $kind in
    zero) ln -s /dev/zero "$BUNDLE/config.json" ;;
    fifo) mkfifo "$BUNDLE/config.json" ;;
    dir) mkdir "$BUNDLE/config.json" ;;
    esac
    hrun_limited create --bundle "$BUNDLE" "$ID"
    case $kind in
    zero) assert_one_line_error create \
      "config.json: $BUNDLE/config.json is not a regular file (it is a character device)" ;;
    fifo) assert_one_line_error create \
      "config.json: $BUNDLE/config.json is not a regular file (it is a FIFO)" ;;
    dir) assert_one_line_error create \
      "config.json: $BUNDLE/config.json is not a regular file (it is a directory)" ;;
    esac
    assert_no_leftovers "$ID"
  done
}

@test "a config of 65 MiB is refused; 60 MiB is still read" {
  head -c $((65 << 20)) /dev/zero | tr '\0' ' ' >>"$BUNDLE/config.json"
  hrun_limited create --bundle "$BUNDLE" "$ID"
  assert_one_line_error create "config.json: $BUNDLE/config.json is larger than 64 MiB"
  assert_no_leftovers "$ID"
  cp "$TESTDATA/config.json" "$BUNDLE/config.json"
  head -c $((60 << 20)) /dev/zero | tr '\0' ' ' >>"$BUNDLE/config.json"
  hrun_limited run -b "$BUNDLE" "$ID"
  assert_success
}

@test "\\u0000 in process.args, mounts[].destination or hostname is refused, naming the field" {
  local cases=(
    '.process.args = ["sh", "-c", "true\u0000; echo hidden"]|process.args[2] must not contain a NUL character (\u0000)'
    '.mounts[0].destination = "/proc\u0000/x"|mounts[0].destination must not contain a NUL character (\u0000)'
    '.hostname = "box\u0000evil"|hostname must not contain a NUL character (\u0000)'
    '.annotations = {"k\u0000": "v"}|annotations: a key must not contain a NUL character (\u0000)'
  )
  local c
  for c in "${cases[@]}"; do
    cp "$TESTDATA/config.json" "$BUNDLE/config.json"
    update_config "${c%%|*}"
    grep -qF '\u0000' "$BUNDLE/config.json"
    hrun_limited create --bundle "$BUNDLE" "$ID"
    assert_one_line_error create "config.json: ${c#*|}"
    assert_no_leftovers "$ID"
  done
}

@test "a NUL byte after the document is refused, not taken for its end" {
  printf '\0{"trailing": "garbage"}' >>"$BUNDLE/config.json"
  hrun_limited create --bundle "$BUNDLE" "$ID"
  assert_one_line_error create "config.json: invalid JSON: a NUL byte at offset $(($(stat -c %s "$BUNDLE/config.json") - 24))"
  assert_no_leftovers "$ID"
}

@test "linux.namespaces[i].path that is no namespace, or one of another type, is named" {
  update_config '.linux.namespaces[1].path = "/etc/passwd"'
  hrun_limited create --bundle "$BUNDLE" "$ID"
  assert_one_line_error create \
    "linux.namespaces[1].path: /etc/passwd is not a network namespace"
  assert_no_leftovers "$ID"
  update_config '.linux.namespaces[1].path = "/proc/self/ns/uts"'
  hrun_limited create --bundle "$BUNDLE" "$ID"
  assert_one_line_error create \
    "linux.namespaces[1].path: /proc/self/ns/uts is not a network namespace"
  assert_no_leftovers "$ID"
  mkfifo "$BATS_TEST_TMPDIR/fifo"
  update_config ".linux.namespaces[2].path = \"$BATS_TEST_TMPDIR/fifo\" | del(.linux.namespaces[1].path)"
  hrun_limited create --bundle "$BUNDLE" "$ID"
  assert_one_line_error create \
    "linux.namespaces[2].path: $BATS_TEST_TMPDIR/fifo is not an ipc namespace"
  assert_no_leftovers "$ID"
}

@test "--preserve-fds beyond the open file limit says so, naming --preserve-fds" {
  local out=$BATS_TEST_TMPDIR/out
  run bash -c "ulimit -Sn 200 && '$HRUN_BIN' --root '$HRUN_ROOT' run --preserve-fds 150 -b '$BUNDLE' '$ID' </dev/null >'$out' 2>&1"
  assert_failure
  run cat "$out"
  assert_output "hrun: run: --preserve-fds 150: fds 3 to 152 and the 64 hrun needs for itself do not fit the open file limit (200)"
  assert_no_leftovers "$ID"
  run bash -c "ulimit -Sn 200 && '$HRUN_BIN' --root '$HRUN_ROOT' run --preserve-fds 100 -b '$BUNDLE' '$ID' </dev/null"
  assert_success
}

@test "exec --process: deep nesting, \\u0000, a FIFO and /dev/zero are refused, nothing runs" {
  start_sleeper
  local p=$BATS_TEST_TMPDIR/process.json
  { printf '{"args":["true"],"cwd":"/","env":'; nested 400000; printf '}'; } >"$p"
  hrun_limited exec --process "$p" "$ID"
  assert_one_line_error exec \
    "--process $p: invalid JSON: nested deeper than 1000 arrays and objects at byte"
  printf '{"args":["sh","-c","touch /tmp/ran\\u0000"],"cwd":"/"}' >"$p"
  hrun_limited exec --process "$p" "$ID"
  assert_one_line_error exec "--process $p: args[2] must not contain a NUL character (\\u0000)"
  rm "$p" && mkfifo "$p"
  hrun_limited exec --process "$p" "$ID"
  assert_one_line_error exec "--process: $p is not a regular file (it is a FIFO)"
  hrun_limited exec --process /dev/zero "$ID"
  assert_one_line_error exec "--process: /dev/zero is not a regular file (it is a character device)"
  [ ! -e "$BUNDLE/rootfs/tmp/ran" ]
  # only the sleeper is in the container
  run hrun ps "$ID"
  assert_equal "$(grep -c sleep <<<"$output")" 1
  assert_equal "${#lines[@]}" 2
}

@test "update --resources: deep nesting (file or stdin), a FIFO and 65 MiB on stdin are refused" {
  start_sleeper
  local r=$BATS_TEST_TMPDIR/resources.json
  { printf '{"unified":'; nested 400000; printf '}'; } >"$r"
  hrun_limited update --resources "$r" "$ID"
  assert_one_line_error update \
    "--resources $r: invalid JSON: nested deeper than 1000 arrays and objects at byte"
  STDIN=$r hrun_limited update --resources - "$ID"
  assert_one_line_error update \
    "--resources -: invalid JSON: nested deeper than 1000 arrays and objects at byte"
  rm "$r" && mkfifo "$r"
  hrun_limited update --resources "$r" "$ID"
  assert_one_line_error update "--resources: $r is not a regular file (it is a FIFO)"
  rm "$r"
  head -c $((65 << 20)) /dev/zero | tr '\0' ' ' >"$r"
  STDIN=$r hrun_limited update --resources - "$ID"
  assert_one_line_error update "--resources: standard input is larger than 64 MiB"
  assert_equal "$(container_status "$ID")" running
}

@test "a corrupted state.json gives one clear line, never a crash" {
  start_sleeper
  local st=$HRUN_ROOT/$ID/state.json
  cp "$st" "$BATS_TEST_TMPDIR/state.json"
  local cases=(
    '.pid = 4294967297|container '"$ID"': state.json: pid: expected a process id'
    '.pid = "1"|container '"$ID"': state.json: pid: expected a process id'
    '.cgroup.dirs[0].path = "/"|container '"$ID"': state.json: cgroup.dirs[0].path: expected an absolute cgroup directory'
    '.annotations = []|container '"$ID"': state.json: annotations: expected an object'
  )
  local c
  for c in "${cases[@]}"; do
    jq "${c%%|*}" "$BATS_TEST_TMPDIR/state.json" >"$st"
    hrun_limited state "$ID"
    assert_one_line_error state "${c#*|}"
  done
  { printf '{"annotations":'; nested 400000; printf '}'; } >"$st"
  hrun_limited state "$ID"
  assert_one_line_error state "container $ID: state.json: invalid JSON: nested deeper than 1000"
  # list goes on without it, and says why
  hrun_limited list -q
  assert_success
  assert_output --partial 'level=warning msg="container '"$ID"': state.json: invalid JSON: nested deeper than 1000 arrays and objects at byte 1015"'
  rm "$st" && mkfifo "$st"
  hrun_limited delete --force "$ID"
  assert_one_line_error delete "container $ID: state.json is not a regular file (it is a FIFO)"
  rm "$st" && cp "$BATS_TEST_TMPDIR/state.json" "$st"
  assert_equal "$(container_status "$ID")" running
}

@test "the copy of the config in the state dir is read as carefully" {
  start_sleeper
  local cfg=$HRUN_ROOT/$ID/config.json
  cp "$cfg" "$BATS_TEST_TMPDIR/config.json"
  rm "$cfg" && ln -s /dev/zero "$cfg"
  hrun_limited exec "$ID" true
  assert_one_line_error exec \
    "container $ID: config: config.json is not a regular file (it is a character device)"
  rm "$cfg" && cp "$BATS_TEST_TMPDIR/config.json" "$cfg"
  hrun exec "$ID" true
}
