/* cgroup module against the real cgroup filesystems of the machine (root
 * needed). The v1 group runs on the host's hierarchies; the v2 group runs
 * in a private mount namespace where cgroup2 is mounted on /sys/fs/cgroup.
 * Every cgroup is named hrun-unit-<pid>-<n> and removed by the teardown. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "libcontainer/cgroup.h"
#include "libcontainer/cgroup_internal.h"
#include "libcontainer/spec.h"

#define MB (1024LL * 1024)
/* Test bodies: f is the fixture, err the error of the last call. */
#define FX                                                                                    \
  struct fx *f = *state;                                                                      \
  hrun_error err __attribute__((unused))
#define OK(call) do { if ((call) != 0) fail_msg("unexpected error: %s", err.msg); } while (0)
#define FAILS(call, needle) do { assert_int_equal((call), -1); if (!strstr(err.msg, (needle))) \
      fail_msg("error \"%s\" lacks \"%s\"", err.msg, (needle)); } while (0)
#define FILE_IS(ctrl, file, value) assert_file(dir_of(&f->p, (ctrl))->path, (file), (value))
#define SET(field, v) ((field) = (__typeof__(field)){true, (v)})
/* A path in the caller's buf. */
#define PATH(...) (snprintf(buf, sizeof(buf), __VA_ARGS__), buf)

/* ---- helpers ------------------------------------------------------------ */

/* The file without its trailing newlines (cg_read); NULL when unreadable. */
static char *slurp(const char *dir, const char *file)
{
  hrun_error err;
  char *s = NULL;

  return cg_read(dir, file, &s, &err) == 0 ? s : NULL;
}

static void assert_file(const char *dir, const char *file, const char *expect)
{
  char *got = slurp(dir, file);

  if (!got || strcmp(got, expect) != 0)
    fail_msg("%s/%s: \"%s\" != \"%s\"", dir, file, got ? got : "(unreadable)", expect);
  free(got);
}

static bool file_has(const char *dir, const char *file, const char *needle)
{
  char *got = slurp(dir, file);
  bool r = got && strstr(got, needle);

  free(got);
  return r;
}

static bool exists(const char *path)
{
  return access(path, F_OK) == 0;
}

static const struct cgroup_dir *dir_of(const struct cgroup_paths *p, const char *controllers)
{
  for (size_t i = 0; i < p->n_dirs; i++)
    if (strcmp(p->dirs[i].controllers, controllers) == 0)
      return &p->dirs[i];
  fail_msg("no %s hierarchy", controllers);
  return NULL;
}

static pid_t spawn_sleeper(void)
{
  pid_t pid = fork();

  while (pid == 0)
    pause();
  assert_true(pid > 0);
  return pid;
}

static int wait_exit(pid_t pid)
{
  int status;

  assert_true(pid > 0);
  assert_int_equal(waitpid(pid, &status, 0), pid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Evaluates expr in a child: its exit code (or 128 + signal). */
#define IN_CHILD(expr)                                                                        \
  ({                                                                                          \
    pid_t pid_ = fork();                                                                      \
    if (pid_ == 0)                                                                            \
      _exit(expr);                                                                            \
    wait_exit(pid_);                                                                          \
  })

/* ---- fixture ------------------------------------------------------------- */

struct fx {
  struct cgroup_paths p;
  char name[64];
  char path[80]; /* "/<name>" */
  pid_t child;
};

static int counter;

static int fx_setup(void **state)
{
  struct fx *f = calloc(1, sizeof(*f));

  snprintf(f->name, sizeof(f->name), "hrun-unit-%d-%d", (int)getpid(), ++counter);
  snprintf(f->path, sizeof(f->path), "/%s", f->name);
  f->child = -1;
  *state = f;
  return 0;
}

static int fx_teardown(void **state)
{
  FX;

  if (f->child > 0 && waitpid(f->child, NULL, WNOHANG) == 0) { /* not reaped yet */
    cgroup_freeze(&f->p, false, &err);
    kill(f->child, SIGKILL);
    waitpid(f->child, NULL, 0);
  }
  if (f->p.n_dirs && cgroup_destroy(&f->p, &err) < 0)
    fprintf(stderr, "# teardown: %s\n", err.msg);
  cgroup_paths_free(&f->p);
  free(f);
  return 0;
}

static void resolve(struct fx *f, const char *path)
{
  hrun_error err;

  OK(cgroup_resolve(path, f->name, &f->p, &err));
}

static void assert_gone(const struct cgroup_paths *p)
{
  for (size_t i = 0; i < p->n_dirs; i++)
    if (exists(p->dirs[i].path))
      fail_msg("%s still exists", p->dirs[i].path);
}

/* In a child that entered the cgroup: 0 or the errno of open(path). */
static int enter_and_open(const struct cgroup_paths *p, const char *path, int flags)
{
  hrun_error err;
  int fd;

  if (cgroup_enter(p, getpid(), &err) < 0)
    return 100;
  fd = open(path, flags | O_CLOEXEC);
  return fd < 0 ? errno : 0;
}
#define try_open(p, path, flags) IN_CHILD(enter_and_open((p), (path), (flags)))

/* Creating cgroup2 cgroups with hugetlb limits enables hugetlb in the
 * host's cgroup2 root: main() puts its subtree_control back. */
static char host_subtree[256];

static void restore_subtree(void)
{
  const char *root = "/sys/fs/cgroup/unified";
  hrun_error err;

  if (!cg_list_has(host_subtree, "hugetlb", " ") &&
      file_has(root, "cgroup.subtree_control", "hugetlb"))
    cg_write(root, "cgroup.subtree_control", "-hugetlb", "restore", &err);
}

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
  assert_non_null(strstr(err.msg, "memory.memsw.limit_in_bytes: Invalid argument"));
  assert_gone(&f->p);
  assert_false(exists(PATH("/sys/fs/cgroup/pids%s", f->path)));
  /* mkdir failing half-way removes the levels already made. */
  cgroup_paths_free(&f->p);
  resolve(f, PATH("%s/cgroup.procs/x", f->path));
  FAILS(cgroup_create(&f->p, NULL, &err), "/cgroup.procs/x: Not a directory");
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

/* ---- processes ------------------------------------------------------------ */

static void assert_pids(const struct cgroup_paths *p, pid_t only)
{
  pid_t *pids;
  size_t n;
  hrun_error err;

  OK(cgroup_pids(p, &pids, &n, &err));
  assert_int_equal(n, 1);
  assert_int_equal(pids[0], only);
  free(pids);
}

static void freeze_and_thaw(struct fx *f)
{
  hrun_error err;

  assert_int_equal(cgroup_is_frozen(&f->p), 0);
  OK(cgroup_freeze(&f->p, true, &err));
  assert_int_equal(cgroup_is_frozen(&f->p), 1);
  OK(cgroup_freeze(&f->p, false, &err));
  assert_int_equal(cgroup_is_frozen(&f->p), 0);
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

/* ---- mounts in a container -------------------------------------------------- */

/* What the container sees: its own limits, every hierarchy, read-only. */
static int check_mounted(const struct cgroup_paths *p, const char *target, bool cgroupns)
{
  static const char *const want[4][3] = {{"memory", "memory.limit_in_bytes", "67108864"},
                                         {"pids", "pids.max", "42"},
                                         {"systemd", "cgroup.procs", ""},
                                         {"unified", "cgroup.procs", ""}};
  char buf[512], self[32];
  struct statvfs sv;

  snprintf(self, sizeof(self), "%d", (int)getpid());
  if (p->mode == CGROUP_MODE_V2)
    return !file_has(target, "cgroup.max.depth", "max") ? 20
           : cgroupns && !file_has(target, "cgroup.procs", self) ? 21
                                                                        : 0;
  for (int i = 0; i < 4; i++)
    if (!file_has(PATH("%s/%s", target, want[i][0]), want[i][1], want[i][2]))
      return 22 + i;
  if (mkdir(PATH("%s/x", target), 0755) == 0 || errno != EROFS)
    return 26;
  if (statvfs(PATH("%s/memory", target), &sv) < 0 || !(sv.f_flag & ST_RDONLY))
    return 27;
  return 0;
}

static int mount_and_check(struct cgroup_paths *p, const char *target, bool cgroupns)
{
  hrun_error err;
  int fd;

  if (cgroupns && (cgroup_enter(p, getpid(), &err) < 0 || unshare(CLONE_NEWCGROUP) < 0))
    return 10;
  if (unshare(CLONE_NEWNS) < 0 || mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) < 0)
    return 11;
  fd = open(target, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (cgroup_mount_in_container(p, fd, MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY,
                                cgroupns, &err) < 0) {
    fprintf(stderr, "# mount: %s\n", err.msg);
    return err.errnum == ENOSYS ? 77 : 12;
  }
  return check_mounted(p, target, cgroupns);
}

static void run_mount(void **state, bool cgroupns)
{
  FX;
  struct spec_resources r = {.has_memory = true, .has_pids = true};
  char target[] = "/tmp/hrun-unit-mnt-XXXXXX";
  int rc;

  SET(r.memory.limit, 64 * MB);
  SET(r.pids.limit, 42);
  resolve(f, f->path);
  OK(cgroup_create(&f->p, f->p.mode == CGROUP_MODE_V1 ? &r : NULL, &err));
  assert_non_null(mkdtemp(target));
  rc = IN_CHILD(mount_and_check(&f->p, target, cgroupns));
  rmdir(target);
  if (rc == 77)
    skip(); /* valgrind does not know the new mount API */
  assert_int_equal(rc, 0);
}

static void test_mount_bind(void **state)
{
  run_mount(state, false);
}

static void test_mount_cgroupns(void **state)
{
  run_mount(state, true);
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

/* ---- v2: cgroup2 on /sys/fs/cgroup in a private mount namespace ------------ */

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
  fd = cgroup_open_v2_fd(&f->p, &err);
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

static void test_v2_devices_bpf(void **state)
{
  FX;
  struct spec_device_rule rules[] = {
      {.allow = false, .type = 'a', .major = -1, .minor = -1},
      {.allow = true, .type = 'c', .major = 1, .minor = 5, .access = "rwm"},
      /* [2..3]: all of major 1 but no writes to /dev/null */
      {.allow = true, .type = 'c', .major = 1, .minor = -1, .access = "rw"},
      {.allow = false, .type = 'c', .major = 1, .minor = 3, .access = "w"},
      {.allow = true, .type = 'c', .major = 1, .minor = 3},
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
  assert_int_equal(try_open(&f->p, "/dev/null", O_RDWR), EPERM);
  assert_int_equal(try_open(&f->p, "/dev/zero", O_RDWR), 0);
  /* Last match wins: a later allow undoes the deny. */
  r.n_devices = 3;
  OK(cgroup_apply_resources(&f->p, &r, &err));
  assert_int_equal(try_open(&f->p, "/dev/null", O_RDWR), 0);
  r.devices = &rules[3];
  r.n_devices = 1;
  OK(cgroup_apply_resources(&f->p, &r, &err));
  assert_int_equal(try_open(&f->p, "/dev/zero", O_RDONLY), EPERM);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

int main(void)
{
  const struct CMUnitTest v1[] = {
      T(test_resolve_relative), T(test_resolve_absolute_and_errors), T(test_create_v1_limits),
      T(test_memory_v1),        T(test_cpu_blkio_hugetlb_v1),        T(test_create_failures),
      T(test_lifecycle_v1),     T(test_destroy_parents),
      T(test_mount_bind),       T(test_mount_cgroupns),              T(test_mount_comount_links),
  };
  const struct CMUnitTest v2[] = {
      T(test_v2_resolve),  T(test_v2_lifecycle),     T(test_v2_resources),
      T(test_v2_devices_bpf), T(test_mount_bind), T(test_mount_cgroupns),
  };
  char *s;
  int r;

  if (geteuid() != 0) {
    printf("1..0 # SKIP the cgroup tests need root\n");
    return 0;
  }
  s = slurp("/sys/fs/cgroup/unified", "cgroup.subtree_control");
  snprintf(host_subtree, sizeof(host_subtree), "%s", s ? s : "");
  free(s);
  r = cmocka_run_group_tests_name("cgroup v1 (host)", v1, NULL, NULL);
  r |= cmocka_run_group_tests_name("cgroup v2 (private mount ns)", v2, v2_group_setup,
                                   v2_group_teardown);
  restore_subtree();
  return r;
}
