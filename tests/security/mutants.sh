#!/usr/bin/env bash
# Shows that each CVE test has teeth: for every protection, build hrun with
# that protection compiled out (a HRUN_TEST_* switch that only this script
# uses) and check that every test named after its CVE then fails.
# Prints TAP: "ok" means the tests caught the missing protection.
set -u
cd "$(dirname "$0")/../.."

mutants=(
  "HRUN_TEST_NO_EXE_SEAL|CVE-2019-5736|the sealed re-exec of create, run and exec"
  "HRUN_TEST_NO_RESOLVE_IN_ROOT|CVE-2021-30465|openat2(RESOLVE_IN_ROOT) for mount targets"
  "HRUN_TEST_NO_FD_HYGIENE|CVE-2024-21626|closing the runtime's fds and the cwd check"
  "HRUN_TEST_NO_DEV_CHECKS|CVE-2025-31133|the /dev/null and /dev/console checks"
  "HRUN_TEST_NO_PROC_CHECK|CVE-2019-19921|the /proc mount checks"
  "HRUN_TEST_EXEC_INHERITABLE|CVE-2022-27650|an empty inheritable set for exec"
)

kill_leftovers() {
  local p exe
  for p in /proc/[0-9]*; do
    exe=$(tr '\0' ' ' 2>/dev/null <"$p/cmdline") || continue
    case "$exe" in "$1 "*) kill -9 "${p#/proc/}" 2>/dev/null ;; esac
  done
}

echo "1..${#mutants[@]}"
status=0
n=0
for m in "${mutants[@]}"; do
  IFS='|' read -r switch cve what <<<"$m"
  n=$((n + 1))
  build=build/mutants/$switch
  if ! make -s BUILD="$build" CFLAGS="-O2 -g -D$switch" "$build/hrun" >/dev/null 2>&1; then
    echo "not ok $n - $cve: the build without $what failed"
    status=1
    continue
  fi
  # A broken runtime may also hang: bound the run, then end what it left
  # (processes running this mutant's binary, found by its unique path).
  out=$(HRUN_BIN=$PWD/$build/hrun BATS_TEST_TIMEOUT=40 timeout -k 5 240 \
    bats --tap -f "$cve" tests/integration/security.bats </dev/null 2>&1)
  kill_leftovers "$PWD/$build/hrun"
  total=$(grep -cE '^(ok|not ok) ' <<<"$out")
  failed=$(grep -cE '^not ok ' <<<"$out")
  if [ "$total" -gt 0 ] && [ "$failed" -eq "$total" ]; then
    echo "ok $n - $cve: without $what, all $total of its tests fail"
  else
    echo "not ok $n - $cve: without $what, $((total - failed)) of $total tests still pass"
    sed 's/^/# /' <<<"$out"
    status=1
  fi
done
exit $status
