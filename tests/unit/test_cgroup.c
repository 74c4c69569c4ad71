/* cgroup module against the real cgroup v1 hierarchies of the machine
 * (root needed): resolution, limits, processes, mounts in a container. */
#include "tests/unit/cgroup_test.h"

/* ---- v1: resolution ------------------------------------------------------- */

static void test_resolve_relative(void **state)
{
  FX;
  char *self = slurp("/proc/self", "cgroup"), *mem = strstr(self, ":memory:"), buf[4096];

  assert_non_null(mem);
  mem[strcspn(mem, "\n")] = '\0';
  mem += strlen(":memory:");
  assert_int_equal(cgroup_mode(), CGROUP_MODE_V1);
  resolve(f, NULL);
  assert_int_equal(f->p.mode, CGROUP_MODE_V1);
  assert_string_equal(dir_of(&f->p, "memory")->path,
                      PATH("/sys/fs/cgroup/memory%s/%s", strcmp(mem, "/") ? mem : "", f->name));
  assert_non_null(dir_of(&f->p, "name=systemd"));
  assert_non_null(dir_of(&f->p, "")); /* hybrid: the cgroup2 mount too */
  free(self);
}

static void test_resolve_absolute_and_errors(void **state)
{
  FX;
  struct cgroup_paths p;

  resolve(f, "//hrun-unit-x/./y/");
  assert_string_equal(f->p.rel_path, "/hrun-unit-x/y");
  assert_string_equal(dir_of(&f->p, "pids")->path, "/sys/fs/cgroup/pids/hrun-unit-x/y");
  assert_string_equal(dir_of(&f->p, "")->path, "/sys/fs/cgroup/unified/hrun-unit-x/y");
  FAILS(cgroup_resolve("a/../b", "id", &p, &err), "linux.cgroupsPath");
  FAILS(cgroup_resolve("/a/..", "id", &p, &err), "\"..\"");
  FAILS(cgroup_resolve("system.slice:hrun:id", "id", &p, &err),
        "linux.cgroupsPath: systemd cgroup paths need --systemd-cgroup");
  FAILS(cgroup_resolve("/", "id", &p, &err), "linux.cgroupsPath");
  FAILS(cgroup_resolve(NULL, "..", &p, &err), "container id");
}

/* ---- v1: create and limits -------------------------------------------------- */

static void test_create_v1_limits(void **state)
{
  FX;
  struct spec_device_rule rules[] = {
      {.allow = false, .type = 'a', .major = -1, .minor = -1, .access = "rwm"},
      {.allow = true, .type = 'c', .major = 1, .minor = 5, .access = "rwm"},
      {.allow = true, .type = 'c', .major = 136, .minor = -1, .access = "rw"},
  };
  struct spec_device_rule null = {.allow = true, .type = 'c', .major = 1, .minor = 3,
                                  .access = "r"};
  struct spec_resources r = {
      .devices = rules, .n_devices = 3, .has_memory = true, .has_pids = true, .has_cpu = true};

  SET(r.memory.limit, 64 * MB);
  SET(r.memory.swap, 128 * MB);
  SET(r.pids.limit, 100);
  SET(r.cpu.shares, 512);
  SET(r.cpu.quota, 50000);
  SET(r.cpu.period, 100000);
  r.cpu.cpus = "0";
  r.cpu.mems = "0";
  resolve(f, f->path);
  OK(cgroup_create(&f->p, &r, &err));
  FILE_IS("memory", "memory.limit_in_bytes", "67108864");
  FILE_IS("memory", "memory.memsw.limit_in_bytes", "134217728");
  FILE_IS("pids", "pids.max", "100");
  FILE_IS("cpu", "cpu.shares", "512");
  FILE_IS("cpu", "cpu.cfs_quota_us", "50000");
  FILE_IS("cpu", "cpu.cfs_period_us", "100000");
  FILE_IS("cpuset", "cpuset.cpus", "0");
  FILE_IS("cpuset", "cpuset.mems", "0");
  FILE_IS("devices", "devices.list", "c 1:5 rwm\nc 136:* rw");
  assert_int_equal(dir_of(&f->p, "memory")->created_depth, 1);
  /* -1 and 0 both lift the pids limit. */
  r.pids.limit.value = -1;
  OK(cgroup_apply_resources(&f->p, &r, &err));
  FILE_IS("pids", "pids.max", "max");
  /* The device rules hold for a process inside, and an update replaces them. */
  assert_int_equal(try_open(&f->p, "/dev/null", O_RDONLY), EPERM);
  assert_int_equal(try_open(&f->p, "/dev/zero", O_RDWR), 0);
  r = (struct spec_resources){.devices = &null, .n_devices = 1};
  OK(cgroup_apply_resources(&f->p, &r, &err));
  assert_int_equal(try_open(&f->p, "/dev/null", O_RDONLY), 0);
  assert_int_equal(try_open(&f->p, "/dev/null", O_WRONLY), EPERM);
  assert_int_equal(try_open(&f->p, "/dev/zero", O_RDONLY), EPERM);
}

/* memsw must stay >= the limit at every write, growing and shrinking. */
static void test_memory_v1(void **state)
{
  FX;
  struct spec_resources r = {.has_memory = true};
  const char *mem;

  SET(r.memory.limit, 64 * MB);
  SET(r.memory.swap, 128 * MB);
  resolve(f, f->path);
  OK(cgroup_create(&f->p, &r, &err));
  mem = dir_of(&f->p, "memory")->path;
  r.memory.limit.value = 256 * MB;
  r.memory.swap.value = 512 * MB;
  OK(cgroup_apply_resources(&f->p, &r, &err));
  assert_file(mem, "memory.limit_in_bytes", "268435456");
  assert_file(mem, "memory.memsw.limit_in_bytes", "536870912");
  r.memory.limit.value = 32 * MB;
  r.memory.swap.value = 48 * MB;
  OK(cgroup_apply_resources(&f->p, &r, &err));
  assert_file(mem, "memory.limit_in_bytes", "33554432");
  assert_file(mem, "memory.memsw.limit_in_bytes", "50331648");
  r.memory.limit.value = -1;
  r.memory.swap.set = false;
  OK(cgroup_apply_resources(&f->p, &r, &err));
  assert_file(mem, "memory.limit_in_bytes", "9223372036854771712");
  assert_file(mem, "memory.memsw.limit_in_bytes", "9223372036854771712");
  /* The other v1 memory knobs. */
  memset(&r.memory, 0, sizeof(r.memory));
  SET(r.memory.reservation, 32 * MB);
  SET(r.memory.swappiness, 10);
  SET(r.memory.disable_oom_killer, true);
  SET(r.memory.kernel, 100 * MB);
  SET(r.memory.kernel_tcp, 50 * MB);
  SET(r.memory.use_hierarchy, true);
  OK(cgroup_apply_resources(&f->p, &r, &err));
  assert_file(mem, "memory.soft_limit_in_bytes", "33554432");
  assert_file(mem, "memory.swappiness", "10");
  assert_true(file_has(mem, "memory.oom_control", "oom_kill_disable 1"));
  /* kmem limits are accepted and ignored by this kernel: no value to check. */
  assert_file(mem, "memory.use_hierarchy", "1");
  r.memory.swappiness.value = 101;
  FAILS(cgroup_apply_resources(&f->p, &r, &err), "linux.resources.memory.swappiness");
}

static void test_cpu_blkio_hugetlb_v1(void **state)
{
  char buf[512];
  FX;
  struct spec_throttle_device t = {.major = 254, .minor = 0, .rate = 1048576};
  struct spec_hugepage_limit h = {"2MB", 4 * MB};
  struct spec_resources r = {.has_block_io = true, .has_cpu = true};
  struct spec_resources hr = {.hugepage_limits = &h, .n_hugepage_limits = 1};

  SET(r.cpu.burst, 1000);
  SET(r.cpu.quota, 20000);
  SET(r.cpu.period, 50000);
  r.block_io.throttle[THROTTLE_READ_BPS] = &t;
  r.block_io.n_throttle[THROTTLE_READ_BPS] = exists("/sys/dev/block/254:0"); /* vda */
  resolve(f, f->path);
  OK(cgroup_create(&f->p, &r, &err));
  FILE_IS("cpu", "cpu.cfs_burst_us", "1000");
  FILE_IS("cpu", "cpu.cfs_period_us", "50000");
  if (r.block_io.n_throttle[THROTTLE_READ_BPS])
    FILE_IS("blkio", "blkio.throttle.read_bps_device", "254:0 1048576");
  /* Without CFQ the weight goes to BFQ's file (child cgroups only have it);
   * with neither scheduler there is nowhere to put it: an error, as runc. */
  SET(r.block_io.weight, 300);
  const char *blkio = dir_of(&f->p, "blkio")->path;
  if (!exists(PATH("%s/blkio.weight", blkio)) && !exists(PATH("%s/blkio.bfq.weight", blkio))) {
    FAILS(cgroup_apply_resources(&f->p, &r, &err), "blkio weight");
    print_message("# no CFQ or BFQ I/O scheduler here: only the blkio weight error is checked\n");
  } else {
    OK(cgroup_apply_resources(&f->p, &r, &err));
    FILE_IS("blkio", exists(PATH("%s/blkio.weight", blkio)) ? "blkio.weight" : "blkio.bfq.weight",
            "300");
  }
  /* On this hybrid host hugetlb is only on the cgroup2 hierarchy. */
  if (!file_has("/sys/fs/cgroup/unified", "cgroup.controllers", "hugetlb") ||
      !exists("/sys/kernel/mm/hugepages/hugepages-2048kB"))
    return;
  OK(cgroup_apply_resources(&f->p, &hr, &err));
  FILE_IS("", "hugetlb.2MB.max", "4194304");
  h.page_size = "3MB";
  FAILS(cgroup_apply_resources(&f->p, &hr, &err), "page size 3MB is not supported");
}

static void test_create_failures(void **state)
{
  FX;
  struct spec_kv kv = {"memory.high", "1G"};
  struct spec_resources r = {.has_memory = true}, net = {.has_network = true};
  struct spec_resources uni = {.unified = &kv, .n_unified = 1}, empty = {.has_memory = true};
  char buf[256];

  SET(r.memory.limit, 64 * MB);
  SET(r.memory.swap, 32 * MB); /* memsw below the limit */
  SET(net.network.class_id, 0x100001);
  resolve(f, PATH("%s/a/b", f->path));
  FAILS(cgroup_create(&f->p, &r, &err), "cgroup: memory swap: write ");
  assert_non_null(strstr(err.msg, "memory.memsw.limit_in_bytes: invalid argument"));
  assert_gone(&f->p);
  assert_false(exists(PATH("/sys/fs/cgroup/pids%s", f->path)));
  /* mkdir failing half-way removes the levels already made. */
  cgroup_paths_free(&f->p);
  resolve(f, PATH("%s/cgroup.procs/x", f->path));
  FAILS(cgroup_create(&f->p, NULL, &err), "/cgroup.procs/x: not a directory");
  assert_non_null(strstr(err.msg, "cgroup: mkdir /sys/fs/cgroup/"));
  assert_false(exists(PATH("/sys/fs/cgroup/cpu%s", f->path)));
  /* Controllers this host lacks, and v2-only fields, fail by name. */
  cgroup_paths_free(&f->p);
  resolve(f, f->path);
  FAILS(cgroup_create(&f->p, &net, &err),
        "linux.resources.network.classID: the net_cls controller is not available");
  assert_gone(&f->p);
  FAILS(cgroup_create(&f->p, &uni, &err), "linux.resources.unified");
  assert_gone(&f->p);
  /* A present but empty part asks nothing. */
  OK(cgroup_create(&f->p, &empty, &err));
  OK(cgroup_apply_resources(&f->p, NULL, &err));
}

static void test_lifecycle_v1(void **state)
{
  FX;

  resolve(f, f->path);
  OK(cgroup_create(&f->p, NULL, &err));
  f->child = spawn_sleeper();
  OK(cgroup_enter(&f->p, f->child, &err));
  assert_pids(&f->p, f->child);
  freeze_and_thaw(f);
  OK(cgroup_freeze(&f->p, true, &err)); /* kill_all copes with frozen */
  FILE_IS("freezer", "freezer.state", "FROZEN");
  OK(cgroup_kill_all(&f->p, SIGKILL, &err));
  OK(cgroup_freeze(&f->p, false, &err));
  assert_int_equal(wait_exit(f->child), 128 + SIGKILL);
  f->child = -1;
  OK(cgroup_destroy(&f->p, &err));
  assert_gone(&f->p);
}

/* Parents hrun made go, parents that were there stay, and cgroups the
 * container made inside its own go first. */
static void test_destroy_parents(void **state)
{
  FX;
  char keep[256], buf[512];

  snprintf(keep, sizeof(keep), "/sys/fs/cgroup/pids%s", f->path);
  assert_int_equal(mkdir(keep, 0755), 0);
  resolve(f, PATH("%s/a/b", f->path));
  OK(cgroup_create(&f->p, NULL, &err));
  assert_int_equal(dir_of(&f->p, "pids")->created_depth, 2);
  assert_int_equal(dir_of(&f->p, "memory")->created_depth, 3);
  assert_int_equal(mkdir(PATH("%s/inner", dir_of(&f->p, "memory")->path), 0755), 0);
  assert_int_equal(mkdir(PATH("%s/inner/deeper", dir_of(&f->p, "memory")->path), 0755), 0);
  OK(cgroup_destroy(&f->p, &err));
  assert_gone(&f->p);
  assert_false(exists(PATH("/sys/fs/cgroup/memory%s", f->path)));
  assert_false(exists(PATH("%s/a", keep)));
  assert_true(exists(keep));
  OK(cgroup_destroy(&f->p, &err)); /* nothing there is fine */
  /* A leaf that was there goes only as an empty leftover. */
  cgroup_paths_free(&f->p);
  resolve(f, f->path);
  OK(cgroup_create(&f->p, NULL, &err));
  assert_int_equal(dir_of(&f->p, "pids")->created_depth, 0);
  OK(cgroup_destroy(&f->p, &err));
  assert_false(exists(keep));
}

/* A removed cgroup lingers a moment; the hierarchy must be empty when its
 * last mount goes, or the kernel keeps net_cls and net_prio bound to it. */
static void wait_net_cls_empty(void)
{
  for (int i = 0; i < 200; i++) {
    char *s = slurp("/proc", "cgroups"), *l = s ? strstr(s, "\nnet_cls\t") : NULL;
    int hier = 0, n = 0;
    bool done = !l || (sscanf(l, "\nnet_cls\t%d\t%d", &hier, &n) == 2 && n <= 1);

    free(s);
    if (done)
      return;
    usleep(10000);
  }
}

/* A comounted hierarchy (net_cls,net_prio, free on this host) mounted in a
 * private namespace: the container's tmpfs gets links to it. Everything
 * mounted goes with the child's namespace. */
static int check_comount(const struct fx *f, const char *hier, const char *target)
{
  char buf[512], link[64] = "";
  struct cgroup_paths p = {0};
  hrun_error err;
  int fd, rc = 0;

  if (unshare(CLONE_NEWNS) < 0 || mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) < 0)
    return 10;
  if (mount("cgroup", hier, "cgroup", 0, "net_cls,net_prio") < 0)
    return 77;
  if (cgroup_resolve(f->path, f->name, &p, &err) < 0 || cgroup_create(&p, NULL, &err) < 0)
    return 11;
  fd = open(target, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (cgroup_mount_in_container(&p, fd, 0, false, &err) < 0)
    rc = err.errnum == ENOSYS ? 77 : 12;
  if (!rc && (readlink(PATH("%s/net_prio", target), link, sizeof(link) - 1) < 0 ||
              strcmp(link, "net_cls,net_prio") != 0))
    rc = 13;
  if (!rc && !exists(PATH("%s/net_cls/net_cls.classid", target)))
    rc = 14;
  umount2(target, MNT_DETACH);
  cgroup_destroy(&p, &err);
  cgroup_paths_free(&p);
  wait_net_cls_empty();
  return rc;
}

static void test_mount_comount_links(void **state)
{
  char hier[] = "/tmp/hrun-unit-hier-XXXXXX", target[] = "/tmp/hrun-unit-mnt-XXXXXX";
  int rc;

  assert_non_null(mkdtemp(hier));
  assert_non_null(mkdtemp(target));
  rc = IN_CHILD(check_comount(*state, hier, target));
  rmdir(hier);
  rmdir(target);
  if (rc == 77)
    skip();
  assert_int_equal(rc, 0);
}

/* A mountinfo or cgroup file that cannot be read (here: a directory,
 * EISDIR) is an error naming it, never a shorter list of hierarchies. */
static void test_resolve_read_errors(void **state)
{
  hrun_error err;
  char dir[] = "/tmp/hrun-unit-proc-XXXXXX", buf[4096], want[4096];
  char *mountinfo = slurp("/proc/self", "mountinfo");
  struct cgroup_paths p;
  FILE *out;

  (void)state;
  assert_non_null(mountinfo);
  assert_non_null(mkdtemp(dir));
  cg_proc_self = dir;
  assert_int_equal(mkdir(PATH("%s/mountinfo", dir), 0700), 0);
  snprintf(want, sizeof(want), "cgroup: read %s/mountinfo: is a directory", dir);
  FAILS(cgroup_resolve("/hrun-unit-x", "id", &p, &err), want);
  rmdir(PATH("%s/mountinfo", dir));
  out = fopen(PATH("%s/mountinfo", dir), "w");
  assert_non_null(out);
  fprintf(out, "%s\n", mountinfo);
  fclose(out);
  assert_int_equal(mkdir(PATH("%s/cgroup", dir), 0700), 0);
  snprintf(want, sizeof(want), "cgroup: read %s/cgroup: is a directory", dir);
  FAILS(cgroup_resolve(NULL, "id", &p, &err), want);
  cg_proc_self = "/proc/self";
  rmdir(PATH("%s/cgroup", dir));
  unlink(PATH("%s/mountinfo", dir));
  rmdir(dir);
  free(mountinfo);
}

/* The kernel's devices controller (v1's files) and device_policy decide alike. */
static void test_devices_kernel_agrees_v1(void **state)
{
  FX;

  resolve(f, f->path);
  OK(cgroup_create(&f->p, NULL, &err));
  check_kernel_agrees(f);
}

int main(void)
{
  const struct CMUnitTest v1[] = {
      T(test_resolve_relative), T(test_resolve_absolute_and_errors), T(test_create_v1_limits),
      T(test_memory_v1),        T(test_cpu_blkio_hugetlb_v1),        T(test_create_failures),
      T(test_lifecycle_v1),     T(test_destroy_parents),
      T(test_mount_bind),       T(test_mount_cgroupns),              T(test_mount_comount_links),
      T(test_resolve_read_errors), T(test_devices_kernel_agrees_v1),
  };
  int r;

  if (geteuid() != 0) {
    printf("1..0 # SKIP the cgroup tests need root\n");
    return 0;
  }
  save_subtree();
  r = cmocka_run_group_tests_name("cgroup v1 (host)", v1, NULL, NULL);
  restore_subtree();
  return r;
}
