#!/usr/bin/env bats
# Drop-in compatibility: the same bundle (made by `runc spec`, terminal
# false) through runc and hrun gives the same exit codes and `state` keys.

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

# The lifecycle as a transcript of "step exit-code [detail]" lines.
transcript() {
  local r=$1 id=$2
  local out
  rt "$r" create --bundle "$BUNDLE" "$id" </dev/null >/dev/null 2>&1; echo "create $?"
  out=$(rt "$r" state "$id"); echo "state $? $(jq -c '[keys[] | select(. != "annotations")] | sort' <<<"$out") $(jq -r .status <<<"$out")"
  rt "$r" create --bundle "$BUNDLE" "$id" </dev/null >/dev/null 2>&1; echo "create-again $?"
  rt "$r" start "$id" >/dev/null 2>&1; echo "start $?"
  echo "status $(rt "$r" state "$id" | jq -r .status)"
  rt "$r" start "$id" >/dev/null 2>&1; echo "start-again $?"
  rt "$r" delete "$id" >/dev/null 2>&1; echo "delete-running $?"
  rt "$r" kill "$id" KILL >/dev/null 2>&1; echo "kill $?"
  local i
  for i in $(seq 50); do
    [ "$(rt "$r" state "$id" | jq -r .status)" = stopped ] && break
    sleep 0.1
  done
  out=$(rt "$r" state "$id"); echo "state-stopped $? $(jq -r '"\(.status) \(.pid)"' <<<"$out")"
  rt "$r" kill "$id" KILL >/dev/null 2>&1; echo "kill-stopped $?"
  rt "$r" delete "$id" >/dev/null 2>&1; echo "delete $?"
  rt "$r" delete "$id" >/dev/null 2>&1; echo "delete-again $?"
  rt "$r" state "$id" >/dev/null 2>&1; echo "state-gone $?"
  rt "$r" kill "$id" >/dev/null 2>&1; echo "kill-gone $?"
  rt "$r" start "$id" >/dev/null 2>&1; echo "start-gone $?"
}

@test "create/start/state/kill/delete: same exit codes and state keys as runc" {
  local runc_t hrun_t
  runc_t=$(transcript runc "$ID")
  hrun_t=$(transcript hrun "$ID")
  echo "runc:"; echo "$runc_t"
  echo "hrun:"; echo "$hrun_t"
  assert_equal "$hrun_t" "$runc_t"
  # Sanity: the transcript saw real transitions.
  grep -qx 'status running' <<<"$hrun_t"
  grep -qx 'state-stopped 0 stopped 0' <<<"$hrun_t"
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
