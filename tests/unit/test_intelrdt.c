/* linux.intelRdt on a fake resctrl root: a directory tree as the kernel
 * shows one (a group dir has its tasks and schemata files), since this
 * machine has no resctrl. What is tested is where hrun writes what. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/cgroups/intelrdt.h"
#include "libcontainer/spec/spec.h"

static char root[64];

static void touch(const char *dir, const char *name)
{
  char path[512];
  FILE *f;

  snprintf(path, sizeof(path), "%s/%s", dir, name);
  f = fopen(path, "w");
  assert_non_null(f);
  fclose(f);
}

/* A group as resctrl makes it on mkdir. */
static void fake_group(const char *rel)
{
  char dir[128];

  snprintf(dir, sizeof(dir), "%s/%s", root, rel);
  assert_int_equal(mkdir(dir, 0755), 0);
  touch(dir, "tasks");
  touch(dir, "schemata");
}

static void expect_file(const char *rel, const char *want)
{
  char path[256], buf[256] = "";
  FILE *f;
  size_t n;

  snprintf(path, sizeof(path), "%s/%s", root, rel);
  f = fopen(path, "r");
  assert_non_null(f);
  n = fread(buf, 1, sizeof(buf) - 1, f);
  buf[n] = '\0';
  fclose(f);
  assert_string_equal(buf, want);
}

static int make_root(void **state)
{
  (void)state;
  snprintf(root, sizeof(root), "/tmp/hrun-rdt-XXXXXX");
  return mkdtemp(root) ? 0 : -1;
}

static int remove_root(void **state)
{
  char cmd[128];

  (void)state;
  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
  return system(cmd);
}

static void test_schemata_text(void **state)
{
  char *lines[] = {"L2:0=3", "", NULL};
  struct spec_intel_rdt rdt = {.l3_cache_schema = "L3:0=f;1=f0", .mem_bw_schema = "MB:0=50"};
  char *text;

  (void)state;
  rdt.schemata = (struct spec_strv){.items = lines, .len = 2};
  text = intelrdt_schemata(&rdt);
  assert_string_equal(text, "L3:0=f;1=f0\nMB:0=50\nL2:0=3\n");
  free(text);
  memset(&rdt, 0, sizeof(rdt));
  assert_null(intelrdt_schemata(&rdt));
}

static void test_paths(void **state)
{
  struct spec_intel_rdt rdt = {0};
  char *group, *mon;

  (void)state;
  intelrdt_paths("/r", &rdt, "c1", &group, &mon);
  assert_string_equal(group, "/r/c1");
  assert_null(mon);
  free(group);
  rdt.clos_id = "gold";
  rdt.enable_monitoring = true;
  intelrdt_paths("/r", &rdt, "c1", &group, &mon);
  assert_string_equal(group, "/r/gold");
  assert_string_equal(mon, "/r/gold/mon_groups/c1");
  free(group);
  free(mon);
}

static void test_apply_own_group(void **state)
{
  struct spec_intel_rdt rdt = {.mem_bw_schema = "MB:0=20", .enable_monitoring = true};
  hrun_error err;
  char dir[256];

  (void)state;

  fake_group("c1");
  snprintf(dir, sizeof(dir), "%s/c1/mon_groups", root);
  assert_int_equal(mkdir(dir, 0755), 0);
  fake_group("c1/mon_groups/c1");
  assert_int_equal(intelrdt_apply_at(root, &rdt, "c1", 4321, &err), 0);
  expect_file("c1/schemata", "MB:0=20\n");
  expect_file("c1/tasks", "4321");
  expect_file("c1/mon_groups/c1/tasks", "4321");
}

static void test_apply_closid_without_schema_writes_no_schemata(void **state)
{
  struct spec_intel_rdt rdt = {.clos_id = "shared"};
  hrun_error err;

  (void)state;
  fake_group("shared");
  assert_int_equal(intelrdt_apply_at(root, &rdt, "c2", 99, &err), 0);
  expect_file("shared/schemata", "");
  expect_file("shared/tasks", "99");
}

static void test_remove(void **state)
{
  struct spec_intel_rdt own = {0}, shared = {.clos_id = "keep", .enable_monitoring = true};
  char dir[256];
  struct stat st;
  hrun_error err;

  (void)state;
  /* (resctrl removes a group with its files; a plain dir must be empty) */
  snprintf(dir, sizeof(dir), "%s/c3", root);
  assert_int_equal(mkdir(dir, 0755), 0);
  assert_int_equal(intelrdt_remove_at(root, &own, "c3", &err), 0);
  assert_int_equal(stat(dir, &st), -1);
  snprintf(dir, sizeof(dir), "%s/keep", root);
  assert_int_equal(mkdir(dir, 0755), 0);
  snprintf(dir, sizeof(dir), "%s/keep/mon_groups", root);
  assert_int_equal(mkdir(dir, 0755), 0);
  snprintf(dir, sizeof(dir), "%s/keep/mon_groups/c4", root);
  assert_int_equal(mkdir(dir, 0755), 0);
  assert_int_equal(intelrdt_remove_at(root, &shared, "c4", &err), 0);
  assert_int_equal(stat(dir, &st), -1);
  snprintf(dir, sizeof(dir), "%s/keep", root);
  assert_int_equal(stat(dir, &st), 0);
  /* Already gone: no error (a second delete). */
  assert_int_equal(intelrdt_remove_at(root, &own, "c3", &err), 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_schemata_text),
      cmocka_unit_test(test_paths),
      cmocka_unit_test_setup_teardown(test_apply_own_group, make_root, remove_root),
      cmocka_unit_test_setup_teardown(test_apply_closid_without_schema_writes_no_schemata,
                                      make_root, remove_root),
      cmocka_unit_test_setup_teardown(test_remove, make_root, remove_root),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
