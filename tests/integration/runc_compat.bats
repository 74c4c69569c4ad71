#!/usr/bin/env bats
# Drop-in compatibility: the same bundle (made by `runc spec`, terminal
# false) through runc and hrun gives the same exit codes, `state` keys and
# effects of runc's flags (compat/transcript.sh, dialect runc).

load helpers

setup() {
  setup_common
  setup_runc
  rm -f "$BUNDLE/config.json"
  runc spec --bundle "$BUNDLE"
  update_config '.process.terminal = false | .process.args = ["sleep", "100"]'
}

teardown() {
  teardown_common
  teardown_runc
}

# rt RUNTIME ARGS...: one runtime with its own root.
rt() {
  local runtime=$1
  shift
  if [ "$runtime" = runc ]; then
    runc --root "$RUNC_ROOT" "$@"
  else
    hrun "$@"
  fi
}

@test "the lifecycle and runc's flags: the same transcript as runc" {
  local runc_t hrun_t
  runc_t=$("$BATS_TEST_DIRNAME/compat/transcript.sh" runc runc "$RUNC_ROOT" "$BUNDLE" "$ID")
  update_config '.process.terminal = false | .process.args = ["sleep", "100"]'
  hrun_t=$("$BATS_TEST_DIRNAME/compat/transcript.sh" runc "$HRUN_BIN" "$HRUN_ROOT" "$BUNDLE" "$ID")
  echo "runc:"; echo "$runc_t"
  echo "hrun:"; echo "$hrun_t"
  diff <(echo "$runc_t") <(echo "$hrun_t")
  # Sanity: the transcript saw real transitions and effects.
  grep -qx 'status running' <<<"$hrun_t"
  grep -qx 'status stopped' <<<"$hrun_t"
  grep -q '^exec-additional-gids 0 Groups: 5 7$' <<<"$hrun_t"
  [ "$(wc -l <<<"$hrun_t")" -ge 40 ]
}

@test "run: same exit codes as runc" {
  local r code
  for code in 0 3 42; do
    update_config ".process.args = [\"sh\", \"-c\", \"exit $code\"]"
    for r in runc hrun; do
      cd "$BUNDLE"
      run rt "$r" run "$ID-$r" </dev/null
      assert_equal "$status" "$code"
    done
  done
  update_config '.process.args = ["sh", "-c", "kill -TERM $$; sleep 1"]'
  cd "$BUNDLE"
  run rt runc run "$ID-runc" </dev/null
  local runc_status=$status
  run rt hrun run "$ID-hrun" </dev/null
  assert_equal "$status" "$runc_status"
}
