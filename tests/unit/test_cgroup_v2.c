/* cgroup module on cgroup2, mounted on /sys/fs/cgroup in a private mount
 * namespace (this host's own cgroup2 hierarchy holds only hugetlb). Root
 * needed. */
#include "tests/unit/cgroup_test.h"

static int host_mntns = -1;

static int v2_group_setup(void **state)
{
  (void)state;
  host_mntns = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
  if (host_mntns < 0 || unshare(CLONE_NEWNS) < 0 ||
      mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) < 0 ||
      mount("cgroup2", CGROUP_ROOT, "cgroup2", 0, NULL) < 0) {
    perror("v2 setup");
    return -1;
  }
  cg_mode_reset();
  return 0;
}

static int v2_group_teardown(void **state)
{
  (void)state;
  if (setns(host_mntns, CLONE_NEWNS) < 0)
    perror("setns");
  close(host_mntns);
  cg_mode_reset();
  return 0;
}

/* Relative paths on v2 go below the parent of our own cgroup (runc's fs2). */
static int check_v2_relative(const struct fx *f)
{
  char buf[160];
  struct cgroup_paths p;
  hrun_error err;
  int rc;

  if (cg_writef(PATH("%s/self", f->p.dirs[0].path), "cgroup.procs", "test", &err, "%d",
                (int)getpid()) < 0 ||
      cgroup_resolve("ctr", "id", &p, &err) < 0)
    return 10;
  rc = strcmp(p.dirs[0].path, PATH("%s/ctr", f->p.dirs[0].path)) == 0 ? 0 : 11;
  cgroup_paths_free(&p);
  return rc;
}

static void test_v2_resolve(void **state)
{
  FX;
  char buf[128];
  int fd;

  assert_int_equal(cgroup_mode(), CGROUP_MODE_V2);
  resolve(f, f->path);
  assert_int_equal(f->p.mode, CGROUP_MODE_V2);
  assert_int_equal(f->p.n_dirs, 1);
  assert_string_equal(f->p.dirs[0].controllers, "");
  assert_string_equal(f->p.dirs[0].path, PATH("/sys/fs/cgroup/%s", f->name));
  OK(cgroup_create(&f->p, NULL, &err));
  OK(cgroup_open_v2_fd(&f->p, &fd, &err));
  assert_true(fd >= 0);
  close(fd);
  assert_int_equal(mkdir(PATH("%s/self", f->p.dirs[0].path), 0755), 0);
  assert_int_equal(IN_CHILD(check_v2_relative(f)), 0);
}

static void test_v2_lifecycle(void **state)
{
  FX;
  char buf[128];

  resolve(f, PATH("%s/ctr", f->path));
  OK(cgroup_create(&f->p, NULL, &err));
  assert_int_equal(f->p.dirs[0].created_depth, 2);
  f->child = spawn_sleeper();
  OK(cgroup_enter(&f->p, f->child, &err));
  assert_pids(&f->p, f->child);
  freeze_and_thaw(f);
  OK(cgroup_freeze(&f->p, true, &err));
  assert_true(file_has(f->p.dirs[0].path, "cgroup.events", "frozen 1"));
  OK(cgroup_freeze(&f->p, false, &err));
  /* Without cgroup.kill's shortcut: freeze, signal, thaw. */
  OK(cgroup_kill_all(&f->p, SIGTERM, &err));
  assert_int_equal(wait_exit(f->child), 128 + SIGTERM);
  f->child = -1;
  f->child = spawn_sleeper();
  OK(cgroup_enter(&f->p, f->child, &err));
  OK(cgroup_kill_all(&f->p, SIGKILL, &err));
  assert_int_equal(wait_exit(f->child), 128 + SIGKILL);
  f->child = -1;
  OK(cgroup_destroy(&f->p, &err));
  assert_false(exists(PATH("/sys/fs/cgroup/%s", f->name)));
}

/* Only hugetlb is on this host's cgroup2: the others fail by name. */
static void test_v2_resources(void **state)
{
  FX;
  struct spec_resources mem = {.has_memory = true}, pids = {.has_pids = true};
  struct spec_resources cpu = {.has_cpu = true};
  struct spec_hugepage_limit h = {"2MB", 8 * MB};
  struct spec_kv kv[] = {{"cgroup.max.descendants", "5"}, {"../x", "1"}};
  struct spec_resources uni = {.unified = kv, .n_unified = 1};

  SET(mem.memory.limit, 64 * MB);
  SET(pids.pids.limit, 10);
  SET(cpu.cpu.shares, 512);
  resolve(f, f->path);
  if (file_has(CGROUP_ROOT, "cgroup.controllers", "memory"))
    skip();
  FAILS(cgroup_create(&f->p, &mem, &err),
        "linux.resources.memory: the memory controller is not available");
  assert_gone(&f->p);
  FAILS(cgroup_create(&f->p, &pids, &err),
        "linux.resources.pids: the pids controller is not available");
  assert_gone(&f->p);
  OK(cgroup_create(&f->p, NULL, &err));
  FAILS(cgroup_apply_resources(&f->p, &cpu, &err),
        "linux.resources.cpu: the cpu controller is not available");
  /* What it has: hugetlb, and the unified map written as it is. */
  if (file_has(CGROUP_ROOT, "cgroup.controllers", "hugetlb") &&
      exists("/sys/kernel/mm/hugepages/hugepages-2048kB")) {
    uni.hugepage_limits = &h;
    uni.n_hugepage_limits = 1;
  }
  OK(cgroup_apply_resources(&f->p, &uni, &err));
  FILE_IS("", "cgroup.max.descendants", "5");
  if (uni.n_hugepage_limits)
    FILE_IS("", "hugetlb.2MB.max", "8388608");
  uni.unified = &kv[1];
  FAILS(cgroup_apply_resources(&f->p, &uni, &err),
        "linux.resources.unified: invalid key \"../x\"");
}

/* The kernel runs the program as v1 would decide: one rule must cover the
 * whole open (O_RDWR asks for read and write at once). */
static void test_v2_devices_bpf(void **state)
{
  FX;
  struct spec_device_rule rules[] = {
      {.allow = false, .type = 'a', .major = -1, .minor = -1},
      {.allow = true, .type = 'c', .major = 1, .minor = 5, .access = "rwm"},
      /* [2..4]: reads of all of major 1, writes of /dev/zero, then /dev/null rw */
      {.allow = true, .type = 'c', .major = 1, .minor = -1, .access = "r"},
      {.allow = true, .type = 'c', .major = 1, .minor = 5, .access = "w"},
      {.allow = true, .type = 'c', .major = 1, .minor = 3, .access = "rw"},
      /* [5..6]: a deny inside a wildcard allow, which v1 would ignore */
      {.allow = true, .type = 'c', .major = 1, .minor = -1, .access = "rw"},
      {.allow = false, .type = 'c', .major = 1, .minor = 3, .access = "w"},
  };
  struct spec_resources r = {.devices = rules, .n_devices = 2};

  resolve(f, f->path);
  OK(cgroup_create(&f->p, &r, &err));
  assert_int_equal(try_open(&f->p, "/dev/null", O_RDONLY), EPERM);
  assert_int_equal(try_open(&f->p, "/dev/zero", O_RDWR), 0);
  /* The update replaces the program (an old one would still deny). */
  r.devices = &rules[2];
  OK(cgroup_apply_resources(&f->p, &r, &err));
  assert_int_equal(try_open(&f->p, "/dev/null", O_RDONLY), 0);
  assert_int_equal(try_open(&f->p, "/dev/null", O_WRONLY), EPERM);
  assert_int_equal(try_open(&f->p, "/dev/zero", O_WRONLY), 0);
  assert_int_equal(try_open(&f->p, "/dev/zero", O_RDWR), EPERM);
  r.n_devices = 3;
  OK(cgroup_apply_resources(&f->p, &r, &err));
  assert_int_equal(try_open(&f->p, "/dev/null", O_RDWR), 0);
  r.devices = &rules[3];
  r.n_devices = 1;
  OK(cgroup_apply_resources(&f->p, &r, &err));
  assert_int_equal(try_open(&f->p, "/dev/zero", O_RDONLY), EPERM);
  r.devices = &rules[5];
  r.n_devices = 2;
  FAILS(cgroup_apply_resources(&f->p, &r, &err), "linux.resources.devices[1]: \"deny c 1:3 w\" "
        "cannot narrow the wider \"allow c 1:* rw\"");
  assert_int_equal(try_open(&f->p, "/dev/zero", O_RDONLY), EPERM);
}

/* A freeze that never completes (a fake cgroup whose cgroup.events keeps
 * saying frozen 0) times out, is thawed again and is reported. */
static void test_v2_freeze_timeout_thaws(void **state)
{
  char dir[] = "/tmp/hrun-unit-freeze-XXXXXX", buf[4096];
  long saved = cg_v2_freeze_timeout_ms;
  hrun_error err;
  FILE *out;

  (void)state;
  assert_non_null(mkdtemp(dir));
  out = fopen(PATH("%s/cgroup.events", dir), "w");
  assert_non_null(out);
  fputs("populated 1\nfrozen 0\n", out);
  fclose(out);
  out = fopen(PATH("%s/cgroup.freeze", dir), "w");
  assert_non_null(out);
  fputs("0\n", out);
  fclose(out);
  cg_v2_freeze_timeout_ms = 50;
  FAILS(cg_v2_freeze(dir, true, &err), "not frozen after");
  cg_v2_freeze_timeout_ms = saved;
  if (!strstr(err.msg, dir) || !strstr(err.msg, "; thawed again"))
    fail_msg("error \"%s\" lacks the directory or the thaw", err.msg);
  assert_file(dir, "cgroup.freeze", "0");
  unlink(PATH("%s/cgroup.events", dir));
  unlink(PATH("%s/cgroup.freeze", dir));
  rmdir(dir);
}

/* A cgroup below a frozen one is born frozen: create refuses it, naming
 * it, and removes what it made. */
static void test_v2_create_frozen(void **state)
{
  FX;
  char buf[128], want[160];
  struct cgroup_paths parent;

  resolve(f, f->path);
  OK(cgroup_create(&f->p, NULL, &err));
  OK(cgroup_freeze(&f->p, true, &err));
  parent = f->p;
  f->p = (struct cgroup_paths){0};
  resolve(f, PATH("%s/ctr", f->path));
  snprintf(want, sizeof(want), "cgroup: %s is frozen (cgroup.events: frozen 1)",
           f->p.dirs[0].path);
  FAILS(cgroup_create(&f->p, NULL, &err), want);
  assert_false(exists(f->p.dirs[0].path));
  cgroup_paths_free(&f->p);
  f->p = parent;
  OK(cgroup_freeze(&f->p, false, &err));
}

/* The kernel's devices controller (v2's program) and device_policy decide alike. */
static void test_devices_kernel_agrees_v2(void **state)
{
  FX;

  resolve(f, f->path);
  OK(cgroup_create(&f->p, NULL, &err));
  check_kernel_agrees(f);
}

int main(void)
{
  const struct CMUnitTest v2[] = {
      T(test_v2_resolve),     T(test_v2_lifecycle), T(test_v2_resources),
      T(test_v2_devices_bpf), T(test_devices_kernel_agrees_v2), T(test_mount_bind),   T(test_mount_cgroupns),
      T(test_v2_create_frozen), cmocka_unit_test(test_v2_freeze_timeout_thaws),
  };
  int r;

  if (geteuid() != 0) {
    printf("1..0 # SKIP the cgroup tests need root\n");
    return 0;
  }
  save_subtree();
  r = cmocka_run_group_tests_name("cgroup v2 (private mount ns)", v2, v2_group_setup,
                                  v2_group_teardown);
  restore_subtree();
  return r;
}
