#!/usr/bin/env bats
# Robustness against the environment hrun is run in: a caller that ignores
# SIGCHLD, system calls a seccomp filter answers with an error (Docker's
# default profile answers clone3 with ENOSYS), I/O errors, signals that
# arrive while a container is being made.

load helpers

FAILSYS=$REPO_ROOT/build/tests/helpers/failsys

setup() {
  setup_common
  [ -x "$FAILSYS" ] || fail "$FAILSYS is missing (make integration builds it)"
}

teardown() {
  teardown_common
}

# Runs a command the way a shim or shell that set SIGCHLD to SIG_IGN would:
# the disposition survives execve.
ignoring_sigchld() {
  perl -e '$SIG{CHLD} = "IGNORE"; exec @ARGV or die "exec: $!"' "$@"
}

@test "a caller that ignores SIGCHLD: run, its hooks and exec still get exit statuses" {
  update_config '.hooks.prestart = [{"path": "/bin/true"}]
    | .hooks.poststop = [{"path": "/bin/true"}]'
  set_args sh -c 'exit 3'
  run ignoring_sigchld "$HRUN_BIN" --root "$HRUN_ROOT" run --bundle "$BUNDLE" "$ID"
  assert_equal "$status" 3
  refute_output
  [ ! -e "$HRUN_ROOT/$ID" ]

  update_config 'del(.hooks)'
  set_args sleep 100
  hrun_bg run -d --bundle "$BUNDLE" "$ID"
  assert_success
  run ignoring_sigchld "$HRUN_BIN" --root "$HRUN_ROOT" exec "$ID" sh -c 'exit 4'
  assert_equal "$status" 4
  refute_output
}
