/* The systemd driver's pure parts: cgroupsPath -> unit, slice and
 * directory, and linux.resources -> the unit properties StartTransientUnit
 * and SetUnitProperties get. No bus, no systemd needed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "libcontainer/cgroups/cgroup.h"
#include "libcontainer/cgroups/cgroup_systemd.h"
#include "libcontainer/spec/spec.h"

static void check_slice(const char *slice, const char *want)
{
  hrun_error err;
  char *path = systemd_slice_path(slice, &err);

  if (!want) {
    assert_null(path);
    return;
  }
  assert_non_null(path);
  assert_string_equal(path, want);
  free(path);
}

static void test_slice_expansion(void **state)
{
  (void)state;
  check_slice("system.slice", "/system.slice");
  check_slice("a-b.slice", "/a.slice/a-b.slice");
  check_slice("a-b-c.slice", "/a.slice/a-b.slice/a-b-c.slice");
  check_slice("machine-x_y.slice", "/machine.slice/machine-x_y.slice");
  check_slice("-.slice", "");
  check_slice("system", NULL);
  check_slice(".slice", NULL);
  check_slice("a--b.slice", NULL);
  check_slice("-a.slice", NULL);
  check_slice("a-.slice", NULL);
  check_slice("a/b.slice", NULL);
}

static void check_scope(const char *path, const char *slice, const char *unit, const char *rel)
{
  struct systemd_scope s;
  struct cgroup_paths p;
  hrun_error err;

  assert_int_equal(systemd_scope_parse(path, "ctr1", &s, &err), 0);
  assert_string_equal(s.slice, slice);
  assert_string_equal(s.unit, unit);
  assert_string_equal(s.rel_path, rel);
  systemd_scope_paths(&s, &p);
  assert_int_equal(p.mode, CGROUP_MODE_V2);
  assert_int_equal(p.n_dirs, 1);
  assert_string_equal(p.unit, unit);
  assert_string_equal(p.dirs[0].controllers, "");
  assert_int_equal(p.dirs[0].created_depth, 1);
  assert_true(strncmp(p.dirs[0].path, "/sys/fs/cgroup/", 15) == 0);
  assert_string_equal(p.dirs[0].path + 14, rel);
  assert_true(systemd_unit_name_ok(unit));
  cgroup_paths_free(&p);
  systemd_scope_free(&s);
}

static void test_scope_parse(void **state)
{
  (void)state;
  check_scope("system.slice:runc:abc", "system.slice", "runc-abc.scope",
              "/system.slice/runc-abc.scope");
  /* runc's defaults: an empty slice is system.slice. */
  check_scope(":crio:abc", "system.slice", "crio-abc.scope", "/system.slice/crio-abc.scope");
  check_scope("kubepods-besteffort.slice:cri-containerd:x1", "kubepods-besteffort.slice",
              "cri-containerd-x1.scope",
              "/kubepods.slice/kubepods-besteffort.slice/cri-containerd-x1.scope");
  check_scope("machine.slice::n", "machine.slice", "n.scope", "/machine.slice/n.scope");
  /* Absent: system.slice, prefix hrun, the container id. */
  check_scope(NULL, "system.slice", "hrun-ctr1.scope", "/system.slice/hrun-ctr1.scope");
  check_scope("", "system.slice", "hrun-ctr1.scope", "/system.slice/hrun-ctr1.scope");
}

static void check_parse_error(const char *path, const char *msg)
{
  struct systemd_scope s;
  hrun_error err;

  assert_int_equal(systemd_scope_parse(path, "ctr1", &s, &err), -1);
  assert_string_equal(err.msg, msg);
  assert_null(s.unit);
}

static void test_scope_parse_errors(void **state)
{
  (void)state;
  check_parse_error("/a/b", "linux.cgroupsPath: \"/a/b\": expected \"slice:prefix:name\" "
                            "for the systemd cgroup manager");
  check_parse_error("a:b", "linux.cgroupsPath: \"a:b\": expected \"slice:prefix:name\" "
                           "for the systemd cgroup manager");
  check_parse_error("a.slice:b:c:d", "linux.cgroupsPath: \"a.slice:b:c:d\": expected "
                                     "\"slice:prefix:name\" for the systemd cgroup manager");
  check_parse_error("system:p:n", "linux.cgroupsPath: \"system\" is no slice name "
                                  "(\"name.slice\")");
  check_parse_error("a--b.slice:p:n", "linux.cgroupsPath: slice \"a--b.slice\": a \"-\" at "
                                      "either end or doubled");
  check_parse_error("system.slice:p:", "linux.cgroupsPath: the name (\"slice:prefix:name\") "
                                       "is empty");
  check_parse_error("system.slice:p:x.slice", "linux.cgroupsPath: \"x.slice\": a slice as "
                                              "the container's unit is not supported, only "
                                              "a scope");
  check_parse_error("system.slice:p/q:n", "linux.cgroupsPath: \"p/q:n\": only letters, "
                                          "digits and \":-_.\\\" may name a unit");
}

static const struct sd_prop *find(const struct sd_props *p, const char *name)
{
  const struct sd_prop *e = sd_props_find(p, name);

  if (!e)
    fail_msg("no property %s", name);
  return e;
}

static uint64_t u64(const struct sd_props *p, const char *name)
{
  const struct sd_prop *e = find(p, name);

  assert_int_equal(e->type, SD_PROP_U64);
  return e->u64;
}

#define SET(field, v) ((field).set = true, (field).value = (v))

static void test_props_memory_cpu_pids(void **state)
{
  struct spec_resources r = {.has_memory = true, .has_cpu = true, .has_pids = true,
                             .has_block_io = true};
  struct sd_props p = {0};
  hrun_error err;

  (void)state;
  SET(r.memory.limit, 64 << 20);
  SET(r.memory.swap, 96 << 20);
  SET(r.memory.reservation, 32 << 20);
  SET(r.cpu.shares, 1024);
  SET(r.cpu.quota, 50000);
  SET(r.cpu.period, 100000);
  SET(r.pids.limit, 50);
  SET(r.block_io.weight, 500);
  assert_int_equal(sd_props_from_resources(&r, &p, &err), 0);
  assert_int_equal(u64(&p, "MemoryMax"), 64 << 20);
  /* v1's memory+swap becomes swap alone. */
  assert_int_equal(u64(&p, "MemorySwapMax"), 32 << 20);
  assert_int_equal(u64(&p, "MemoryLow"), 32 << 20);
  /* cg_v2_cpu_weight: 1024 shares are v2's default weight 100. */
  assert_int_equal(u64(&p, "CPUWeight"), 100);
  assert_int_equal(u64(&p, "CPUQuotaPeriodUSec"), 100000);
  assert_int_equal(u64(&p, "CPUQuotaPerSecUSec"), 500000);
  assert_int_equal(u64(&p, "TasksMax"), 50);
  assert_int_equal(u64(&p, "IOWeight"), 1 + (500 - 10) * 9999 / 990);
  assert_null(sd_props_find(&p, "DevicePolicy"));
  sd_props_free(&p);
}

static void test_props_limits(void **state)
{
  struct spec_resources r = {.has_memory = true, .has_cpu = true, .has_pids = true};
  struct spec_kv unified[] = {{"memory.high", "1048576"}, {"pids.max", "max"}};
  struct sd_props p = {0};
  hrun_error err;

  (void)state;
  SET(r.memory.limit, -1);
  SET(r.cpu.quota, 12345); /* 123450 us per second: rounded up to 10 ms */
  SET(r.pids.limit, -1);
  r.unified = unified;
  r.n_unified = 2;
  assert_int_equal(sd_props_from_resources(&r, &p, &err), 0);
  assert_true(u64(&p, "MemoryMax") == SD_INFINITY);
  assert_int_equal(u64(&p, "CPUQuotaPerSecUSec"), 130000);
  assert_null(sd_props_find(&p, "CPUQuotaPeriodUSec"));
  assert_int_equal(u64(&p, "MemoryHigh"), 1048576);
  /* The last TasksMax wins: unified's raw value after the converted one. */
  assert_true(u64(&p, "TasksMax") == SD_INFINITY);
  sd_props_free(&p);
  /* A period alone: no quota (infinity), the period. */
  r = (struct spec_resources){.has_cpu = true};
  SET(r.cpu.period, 50000);
  assert_int_equal(sd_props_from_resources(&r, &p, &err), 0);
  assert_true(u64(&p, "CPUQuotaPerSecUSec") == SD_INFINITY);
  assert_int_equal(u64(&p, "CPUQuotaPeriodUSec"), 50000);
  sd_props_free(&p);
  /* A swap limit without a memory limit: the v2 writer's error. */
  r = (struct spec_resources){.has_memory = true};
  SET(r.memory.swap, 1 << 20);
  assert_int_equal(sd_props_from_resources(&r, &p, &err), -1);
  assert_string_equal(err.msg, "linux.resources.memory.swap: a swap limit needs a memory limit");
  sd_props_free(&p);
}

static void test_props_cpuset(void **state)
{
  struct spec_resources r = {.has_cpu = true, .cpu = {.cpus = "0-2,9", .mems = "1"}};
  struct sd_props p = {0};
  const struct sd_prop *e;
  hrun_error err;

  (void)state;
  assert_int_equal(sd_props_from_resources(&r, &p, &err), 0);
  e = find(&p, "AllowedCPUs");
  assert_int_equal(e->type, SD_PROP_BYTES);
  assert_int_equal(e->n, 2);
  assert_int_equal(e->bytes[0], 0x07);
  assert_int_equal(e->bytes[1], 0x02);
  e = find(&p, "AllowedMemoryNodes");
  assert_int_equal(e->n, 1);
  assert_int_equal(e->bytes[0], 0x02);
  sd_props_free(&p);
  r.cpu.cpus = "3-1";
  assert_int_equal(sd_props_from_resources(&r, &p, &err), -1);
  assert_string_equal(err.msg, "linux.resources.cpu.cpus: \"3-1\" is no list of numbers and "
                               "ranges (\"0-3,5\")");
  sd_props_free(&p);
}

static struct spec_device_rule rule(bool allow, char type, int64_t major, int64_t minor,
                                    const char *access)
{
  struct spec_device_rule d = {.allow = allow, .type = type, .major = major, .minor = minor};

  strcpy(d.access, access);
  return d;
}

static void test_props_devices(void **state)
{
  struct spec_device_rule rules[] = {
      rule(false, 'a', -1, -1, "rwm"), rule(true, 'c', 1, 3, "rwm"),
      rule(true, 'c', -1, -1, "m"),    rule(true, 'b', 8, 0, "r"),
      rule(true, 'c', 5, 1, "rw"),     rule(false, 'c', 5, 1, "rw"),
  };
  struct spec_resources r = {.devices = rules, .n_devices = 6};
  struct sd_props p = {0};
  const struct sd_prop *e;
  hrun_error err;

  (void)state;
  assert_int_equal(sd_props_from_resources(&r, &p, &err), 0);
  assert_string_equal(find(&p, "DevicePolicy")->str, "strict");
  e = find(&p, "DeviceAllow");
  assert_int_equal(e->type, SD_PROP_DEVICES);
  /* The deny of 5:1 took back the allow of it. */
  assert_int_equal(e->n, 3);
  assert_string_equal(e->devices[0].path, "/dev/char/1:3");
  assert_string_equal(e->devices[0].access, "rwm");
  assert_string_equal(e->devices[1].path, "char-*");
  assert_string_equal(e->devices[1].access, "m");
  assert_string_equal(e->devices[2].path, "/dev/block/8:0");
  sd_props_free(&p);
  /* Allow all, then a partial deny: not expressible, nothing set. */
  rules[0] = rule(true, 'a', -1, -1, "rwm");
  assert_int_equal(sd_props_from_resources(&r, &p, &err), 0);
  assert_null(sd_props_find(&p, "DevicePolicy"));
  sd_props_free(&p);
  /* Allow all last: auto, an empty allow list. */
  r.n_devices = 1;
  assert_int_equal(sd_props_from_resources(&r, &p, &err), 0);
  assert_string_equal(find(&p, "DevicePolicy")->str, "auto");
  assert_int_equal(find(&p, "DeviceAllow")->n, 0);
  sd_props_free(&p);
}

static void test_props_for_start(void **state)
{
  struct systemd_scope s;
  struct spec_resources r = {.has_pids = true};
  struct sd_props p;
  const struct sd_prop *e;
  uint32_t pid;
  hrun_error err;

  (void)state;
  SET(r.pids.limit, 7);
  assert_int_equal(systemd_scope_parse("machine.slice:x:y", "id", &s, &err), 0);
  assert_int_equal(sd_props_for_start(&s, "id", 4242, &r, &p, &err), 0);
  assert_string_equal(find(&p, "Slice")->str, "machine.slice");
  assert_string_equal(find(&p, "Description")->str, "hrun container id");
  assert_true(find(&p, "Delegate")->b);
  assert_false(find(&p, "DefaultDependencies")->b);
  assert_true(find(&p, "MemoryAccounting")->b);
  e = find(&p, "PIDs");
  assert_int_equal(e->type, SD_PROP_PIDS);
  assert_int_equal(e->n, 1);
  memcpy(&pid, e->bytes, sizeof(pid));
  assert_int_equal(pid, 4242);
  assert_int_equal(u64(&p, "TasksMax"), 7);
  sd_props_free(&p);
  systemd_scope_free(&s);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_slice_expansion),     cmocka_unit_test(test_scope_parse),
      cmocka_unit_test(test_scope_parse_errors),  cmocka_unit_test(test_props_memory_cpu_pids),
      cmocka_unit_test(test_props_limits),        cmocka_unit_test(test_props_cpuset),
      cmocka_unit_test(test_props_devices),       cmocka_unit_test(test_props_for_start),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
