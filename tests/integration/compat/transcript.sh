#!/usr/bin/env bash
# transcript.sh DIALECT RUNTIME ROOT BUNDLE ID: drives RUNTIME through the
# lifecycle and the flags its callers use, spelled as DIALECT (runc or crun)
# spells them, and prints one line per step: "<step> <exit status>
# [what it showed]". runc_compat.bats and crun_compat.bats run it for the
# reference runtime and for hrun and require the same transcript.
#
# Where crun differs from runc, hrun follows runc and the step is left out
# or reduced to what they share (each such place says so; crun_compat.bats
# lists them).
set -u
dialect=$1 runtime=$2 root=$3 bundle=$4 id=$5

rt() { "$runtime" --root "$root" "$@"; }
q() { "$@" </dev/null >/dev/null 2>&1; }
step() { echo "$1 $2"; }
status_of() { rt state "$1" 2>/dev/null | jq -r .status 2>/dev/null; }
wait_status() {
  local i
  for i in $(seq 50); do
    [ "$(status_of "$1")" = "$2" ] && return 0
    sleep 0.1
  done
  return 1
}
# The id list without the run's prefix, sorted.
ids() { rt list -q 2>/dev/null | sed "s/^$id-//" | sort | tr '\n' ' '; }
config_with_args() { # FILE ARGS_JSON
  jq --argjson a "$2" '.process.args = $a' "$bundle/config.json" >"$bundle/$1"
}

cd "$bundle" || exit 1

lifecycle() {
  local out
  q rt create --bundle "$bundle" "$id"; step create $?
  out=$(rt state "$id" 2>/dev/null)
  # (crun adds a key of its own, "systemd-scope")
  step state "$? $(jq -c '[keys[] | select(. != "annotations" and . != "systemd-scope")] | sort' <<<"$out") $(jq -r .status <<<"$out")"
  q rt create --bundle "$bundle" "$id"; step create-again $?
  q rt start "$id"; step start $?
  step status "$(status_of "$id")"
  q rt start "$id"; step start-again $?
  q rt delete "$id"; step delete-running $?
  q rt kill "$id" 0; step kill-0 $?
  out=$(rt exec "$id" sh -c 'echo out; exit 4' </dev/null 2>/dev/null); step exec "$? $out"
  q rt exec "$id" /no/such/program; step exec-missing $?
  q rt pause "$id"; step pause "$? $(status_of "$id")"
  q rt resume "$id"; step resume "$? $(status_of "$id")"
  q rt kill "$id" KILL; step kill $?
  wait_status "$id" stopped; step status "$(status_of "$id")"
  q rt kill "$id" KILL; step kill-stopped $?
  q rt kill --all "$id" KILL; step kill-all-stopped $?
  q rt delete "$id"; step delete $?
  q rt delete "$id"; step delete-again $?
  q rt delete --force "$id"; step delete-force-gone $?
  q rt state "$id"; step state-gone $?
  q rt kill "$id"; step kill-gone $?
  q rt start "$id"; step start-gone $?
}

# run's exit status is the process's; crun's spelling takes the config
# with -f, runc's from the bundle's config.json.
run_codes() {
  local code saved=$bundle/config.saved
  cp "$bundle/config.json" "$saved"
  for code in 0 3 42; do
    config_with_args run.json "[\"sh\", \"-c\", \"exit $code\"]"
    if [ "$dialect" = crun ]; then
      q rt run -f run.json --bundle "$bundle" "$id-run"
    else
      cp "$bundle/run.json" "$bundle/config.json"
      q rt run --bundle "$bundle" "$id-run"
    fi
    step "run-exit-$code" $?
  done
  cp "$saved" "$bundle/config.json"
}

runc_flags() {
  local out
  config_with_args long.json '["sleep", "100"]'
  cp "$bundle/long.json" "$bundle/config.json"
  q rt run -d --bundle "$bundle" "$id-f"; step run-d $?
  out=$(rt exec -g 5 -g 7 "$id-f" sh -c 'grep ^Groups /proc/self/status' 2>/dev/null)
  step exec-additional-gids "$? $(echo $out)"
  out=$(rt exec --cap CAP_SYS_ADMIN "$id-f" sh -c 'grep ^CapEff /proc/self/status' 2>/dev/null)
  step exec-cap "$? $(echo $out)"
  out=$(rt exec -c CAP_SYS_ADMIN "$id-f" sh -c 'grep ^CapEff /proc/self/status' 2>/dev/null)
  step exec-c "$? $(echo $out)"
  q rt update "$id-f" --pids-limit 42; step update-options-after-id $?
  q rt update --cpu-share 512 "$id-f"; step update-cpu-share $?
  q rt pause "$id-f"
  q rt exec "$id-f" true; step exec-paused $?
  q rt resume "$id-f"
  for cmd in create start run state kill delete list exec ps pause resume update spec; do
    q rt "$cmd" --help; step "help-$cmd" $?
  done
  q rt delete --force "$id-f"; step delete-force $?
}

crun_flags() {
  local out cmd
  config_with_args long.json '["sleep", "100"]'
  local i
  for i in a1 a2 b1; do
    q rt run -d -f long.json -b "$bundle" "$id-$i"; step "run-d-f-$i" $?
  done
  # crun's -c replaces the capability sets, runc's adds to them: only the
  # capability itself is compared.
  out=$(rt exec -c CAP_SYS_ADMIN "$id-b1" sh -c 'grep ^CapEff /proc/self/status' 2>/dev/null)
  step exec-c "$? sys_admin=$(((0x${out##*[[:space:]]} >> 21) & 1))"
  q rt exec --tty=false "$id-b1" true; step exec-tty-false $?
  q rt update --cpu-share 512 "$id-b1"; step update-cpu-share $?
  q rt kill -r "^$id-a" KILL; step kill-regex $?
  wait_status "$id-a1" stopped && wait_status "$id-a2" stopped
  step after-kill-regex "$(status_of "$id-a1") $(status_of "$id-a2") $(status_of "$id-b1")"
  q rt delete -r "^$id-a"; step delete-regex "$? $(ids)"
  q rt delete -f "$id-b1"; step delete-f $?
  mkdir -p "$bundle/specdir"
  # (a second spec -f: crun overwrites, runc and hrun refuse; not compared)
  q rt spec -b "$bundle/specdir" -f other.json; step spec-f "$? $(ls "$bundle/specdir")"
  for cmd in create start run state kill delete list exec ps pause resume update spec; do
    q rt "$cmd" -?; step "help-$cmd" $?
    q rt "$cmd" --usage; step "usage-$cmd" $?
  done
}

case $dialect in
runc)
  lifecycle
  run_codes
  runc_flags
  ;;
crun)
  lifecycle
  run_codes
  crun_flags
  ;;
*)
  echo "transcript.sh: unknown dialect $dialect" >&2
  exit 2
  ;;
esac
