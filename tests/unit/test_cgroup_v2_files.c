/* The cgroup v2 writers on a directory of plain files: what each
 * linux.resources field becomes, file by file, as runc writes it. The
 * writers take the cgroup's directory, and that is the whole seam: no root,
 * no cgroup2 mount, no controller is needed, so this cgroup v1 host checks
 * the v2 files in `make unit` (the VM checks them on a real hierarchy,
 * tests/vm/inside/cgroupv2.bats). A plain file keeps only the last value
 * written over its start, where cgroupfs takes each write as a command: a
 * case empties a file before it writes it again. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "libcontainer/cgroups/cgroup_internal.h"
#include "libcontainer/spec/spec.h"

#define MB (1024LL * 1024)
#define SET(field, v) ((field) = (__typeof__(field)){true, (v)})

/* The files a v2 cgroup directory has that the writers touch. */
static const char *const v2_files[] = {
    "memory.max",  "memory.swap.max", "memory.low", "memory.current", "cpu.weight",
    "cpu.max",     "cpu.max.burst",   "cpu.idle",   "io.weight",      "io.max",
    "pids.max",    "cpuset.cpus",     "cpuset.mems", NULL,
};

static char dir[64];

static void put(const char *file, const char *value)
{
  char path[128];
  FILE *f;

  snprintf(path, sizeof(path), "%s/%s", dir, file);
  f = fopen(path, "w");
  assert_non_null(f);
  fputs(value, f);
  fclose(f);
}

/* A fresh directory: every file empty, "0" bytes in use. */
static int fresh(void **state)
{
  (void)state;
  snprintf(dir, sizeof(dir), "/tmp/hrun-unit-v2files-XXXXXX");
  if (!mkdtemp(dir))
    return -1;
  for (const char *const *f = v2_files; *f; f++)
    put(*f, "");
  put("memory.current", "0");
  return 0;
}

static int gone(void **state)
{
  char cmd[96];

  (void)state;
  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
  return system(cmd) == 0 ? 0 : -1;
}

static void file_is(const char *file, const char *expect)
{
  hrun_error err;
  char *got = NULL;

  if (cg_read(dir, file, &got, &err) < 0)
    fail_msg("%s: %s", file, err.msg);
  if (strcmp(got, expect) != 0)
    fail_msg("%s: \"%s\", expected \"%s\"", file, got, expect);
  free(got);
}

static void fails(int rc, const hrun_error *err, const char *text)
{
  assert_int_equal(rc, -1);
  if (strcmp(err->msg, text) != 0)
    fail_msg("error \"%s\", expected \"%s\"", err->msg, text);
}

static void test_memory(void **state)
{
  struct spec_resources r = {.has_memory = true};
  hrun_error err;

  (void)state;
  SET(r.memory.limit, 64 * MB);
  SET(r.memory.swap, 192 * MB); /* memory+swap, as v1 counts it */
  SET(r.memory.reservation, 32 * MB);
  assert_int_equal(cg_v2_memory(dir, &r, &err), 0);
  file_is("memory.max", "67108864");
  file_is("memory.swap.max", "134217728");
  file_is("memory.low", "33554432");
}

static void test_memory_unlimited(void **state)
{
  struct spec_resources r = {.has_memory = true};
  hrun_error err;

  (void)state;
  SET(r.memory.limit, -1); /* no swap given: both unlimited */
  assert_int_equal(cg_v2_memory(dir, &r, &err), 0);
  file_is("memory.max", "max");
  file_is("memory.swap.max", "max");
  file_is("memory.low", "");
}

static void test_memory_refused(void **state)
{
  struct spec_resources r = {.has_memory = true};
  hrun_error err;

  (void)state;
  SET(r.memory.limit, 64 * MB);
  SET(r.memory.swap, 32 * MB);
  fails(cg_v2_memory(dir, &r, &err), &err,
        "linux.resources.memory.swap: 33554432 is below the memory limit 67108864 (it "
        "counts memory+swap)");
  file_is("memory.max", "");
  /* checkBeforeUpdate: not below what is in use. */
  put("memory.current", "104857600");
  SET(r.memory.swap, 0);
  SET(r.memory.check_before_update, true);
  assert_int_equal(cg_v2_memory(dir, &r, &err), -1);
  if (!strstr(err.msg, "linux.resources.memory"))
    fail_msg("error \"%s\" names no field", err.msg);
  file_is("memory.max", "");
}

static void test_cpu(void **state)
{
  struct spec_resources r = {.has_cpu = true};
  hrun_error err;

  (void)state;
  SET(r.cpu.shares, 1024);
  SET(r.cpu.quota, 50000);
  SET(r.cpu.period, 100000);
  SET(r.cpu.burst, 1000);
  SET(r.cpu.idle, 1);
  assert_int_equal(cg_v2_cpu(dir, &r, &err), 0);
  file_is("cpu.weight", "100");
  file_is("cpu.max", "50000 100000");
  file_is("cpu.max.burst", "1000");
  file_is("cpu.idle", "1");
}

static void test_cpu_period_keeps_quota(void **state)
{
  struct spec_resources r = {.has_cpu = true};
  hrun_error err;

  (void)state;
  put("cpu.max", "20000 10000"); /* as long as what replaces it */
  SET(r.cpu.period, 50000);
  assert_int_equal(cg_v2_cpu(dir, &r, &err), 0);
  file_is("cpu.max", "20000 50000");
  put("cpu.max", "");
  SET(r.cpu.quota, -1);
  assert_int_equal(cg_v2_cpu(dir, &r, &err), 0);
  file_is("cpu.max", "max 50000");
  SET(r.cpu.realtime_runtime, 1000);
  fails(cg_v2_cpu(dir, &r, &err), &err,
        "linux.resources.cpu.realtimeRuntime/realtimePeriod: not supported on cgroup v2");
}

static void test_io(void **state)
{
  struct spec_throttle_device rbps = {.major = 8, .minor = 0, .rate = 1048576};
  struct spec_resources r = {.has_block_io = true};
  hrun_error err;

  (void)state;
  SET(r.block_io.weight, 500);
  r.block_io.throttle[THROTTLE_READ_BPS] = &rbps;
  r.block_io.n_throttle[THROTTLE_READ_BPS] = 1;
  assert_int_equal(cg_v2_io(dir, &r, &err), 0);
  file_is("io.weight", "4950");
  file_is("io.max", "8:0 rbps=1048576");
  rbps.rate = 0; /* v1's "no limit" */
  put("io.max", "");
  assert_int_equal(cg_v2_io(dir, &r, &err), 0);
  file_is("io.max", "8:0 rbps=max");
  /* With BFQ the v1 weight goes in as it is. */
  put("io.bfq.weight", "");
  assert_int_equal(cg_v2_io(dir, &r, &err), 0);
  file_is("io.bfq.weight", "500");
}

static void test_pids_and_cpuset(void **state)
{
  struct spec_resources r = {.has_pids = true, .has_cpu = true};
  hrun_error err;

  (void)state;
  SET(r.pids.limit, 0);
  assert_int_equal(cg_pids_max(dir, &r, &err), 0);
  file_is("pids.max", "max");
  put("pids.max", "");
  SET(r.pids.limit, 10);
  assert_int_equal(cg_pids_max(dir, &r, &err), 0);
  file_is("pids.max", "10");
  r.cpu.cpus = "0";
  r.cpu.mems = "0";
  assert_int_equal(cg_cpuset(dir, &r, &err), 0);
  file_is("cpuset.cpus", "0");
  file_is("cpuset.mems", "0");
}

static void test_missing_file_named(void **state)
{
  struct spec_resources r = {.has_pids = true};
  char path[96];
  hrun_error err;

  (void)state;
  snprintf(path, sizeof(path), "%s/pids.max", dir);
  assert_int_equal(unlink(path), 0);
  SET(r.pids.limit, 10);
  assert_int_equal(cg_pids_max(dir, &r, &err), -1);
  assert_int_equal(err.errnum, ENOENT);
  if (!strstr(err.msg, "cgroup: pids limit: open ") || !strstr(err.msg, "/pids.max"))
    fail_msg("error \"%s\" does not name the file", err.msg);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fresh, gone)

int main(void)
{
  const struct CMUnitTest tests[] = {
      T(test_memory),          T(test_memory_unlimited),       T(test_memory_refused),
      T(test_cpu),             T(test_cpu_period_keeps_quota), T(test_io),
      T(test_pids_and_cpuset), T(test_missing_file_named),
  };
  return cmocka_run_group_tests_name("cgroup v2 files (no root)", tests, NULL, NULL);
}
