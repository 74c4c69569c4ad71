/* Shared by the cgroup unit tests (test_cgroup.c: cgroup v1 on the host's
 * hierarchies; test_cgroup_v2.c: cgroup2 mounted on /sys/fs/cgroup in a
 * private mount namespace). Real cgroups; root needed. Every cgroup is
 * named hrun-unit-<pid>-<n> and removed by the fixture's teardown. */
#ifndef HRUN_TEST_CGROUP_H
#define HRUN_TEST_CGROUP_H

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

#include "libcontainer/cgroups/cgroup.h"
#include "libcontainer/cgroups/cgroup_internal.h"
#include "libcontainer/cgroups/device_policy.h"
#include "libcontainer/spec/spec.h"

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
static inline char *slurp(const char *dir, const char *file)
{
  hrun_error err;
  char *s = NULL;

  return cg_read(dir, file, &s, &err) == 0 ? s : NULL;
}

static inline void assert_file(const char *dir, const char *file, const char *expect)
{
  char *got = slurp(dir, file);

  if (!got || strcmp(got, expect) != 0)
    fail_msg("%s/%s: \"%s\" != \"%s\"", dir, file, got ? got : "(unreadable)", expect);
  free(got);
}

static inline bool file_has(const char *dir, const char *file, const char *needle)
{
  char *got = slurp(dir, file);
  bool r = got && strstr(got, needle);

  free(got);
  return r;
}

static inline bool exists(const char *path)
{
  return access(path, F_OK) == 0;
}

static inline const struct cgroup_dir *dir_of(const struct cgroup_paths *p, const char *controllers)
{
  for (size_t i = 0; i < p->n_dirs; i++)
    if (strcmp(p->dirs[i].controllers, controllers) == 0)
      return &p->dirs[i];
  fail_msg("no %s hierarchy", controllers);
  return NULL;
}

static inline pid_t spawn_sleeper(void)
{
  pid_t pid = fork();

  while (pid == 0)
    pause();
  assert_true(pid > 0);
  return pid;
}

static inline int wait_exit(pid_t pid)
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

static inline int fx_setup(void **state)
{
  struct fx *f = calloc(1, sizeof(*f));

  snprintf(f->name, sizeof(f->name), "hrun-unit-%d-%d", (int)getpid(), ++counter);
  snprintf(f->path, sizeof(f->path), "/%s", f->name);
  f->child = -1;
  *state = f;
  return 0;
}

static inline int fx_teardown(void **state)
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

static inline void resolve(struct fx *f, const char *path)
{
  hrun_error err;

  OK(cgroup_resolve(path, f->name, &f->p, &err));
}

static inline void assert_gone(const struct cgroup_paths *p)
{
  for (size_t i = 0; i < p->n_dirs; i++)
    if (exists(p->dirs[i].path))
      fail_msg("%s still exists", p->dirs[i].path);
}

/* In a child that entered the cgroup: 0 or the errno of open(path). */
static inline int enter_and_open(const struct cgroup_paths *p, const char *path, int flags)
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

static inline void restore_subtree(void)
{
  const char *root = "/sys/fs/cgroup/unified";
  hrun_error err;

  if (!cg_list_has(host_subtree, "hugetlb", " ") &&
      file_has(root, "cgroup.subtree_control", "hugetlb"))
    cg_write(root, "cgroup.subtree_control", "-hugetlb", "restore", &err);
}

/* ---- processes ------------------------------------------------------------ */

static inline void assert_pids(const struct cgroup_paths *p, pid_t only)
{
  pid_t *pids;
  size_t n;
  hrun_error err;

  OK(cgroup_pids(p, &pids, &n, &err));
  assert_int_equal(n, 1);
  assert_int_equal(pids[0], only);
  free(pids);
}

static inline void freeze_and_thaw(struct fx *f)
{
  hrun_error err;

  assert_int_equal(cgroup_is_frozen(&f->p), 0);
  OK(cgroup_freeze(&f->p, true, &err));
  assert_int_equal(cgroup_is_frozen(&f->p), 1);
  OK(cgroup_freeze(&f->p, false, &err));
  assert_int_equal(cgroup_is_frozen(&f->p), 0);
}

/* ---- mounts in a container -------------------------------------------------- */

/* What the container sees: its own limits, every hierarchy, read-only. */
static inline int check_mounted(const struct cgroup_paths *p, const char *target, bool cgroupns)
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

static inline int mount_and_check(struct cgroup_paths *p, const char *target, bool cgroupns)
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

static inline void run_mount(void **state, bool cgroupns)
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

static inline void test_mount_bind(void **state)
{
  run_mount(state, false);
}

static inline void test_mount_cgroupns(void **state)
{
  run_mount(state, true);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

/* Remembers the host's cgroup2 subtree_control (see restore_subtree). */
static inline void save_subtree(void)
{
  char *s = slurp("/sys/fs/cgroup/unified", "cgroup.subtree_control");

  snprintf(host_subtree, sizeof(host_subtree), "%s", s ? s : "");
  free(s);
}

/* ---- device rules: the kernel against device_policy --------------------- */

#define DEV_RULE(al, t, ma, mi, acc) {.allow = (al), .type = (t), .major = (ma), .minor = (mi), .access = acc}

/* Rule lists v1 and v2 take (no deny inside a wildcard allow), in both
 * modes; each applied to the fixture's cgroup, whose kernel must then let
 * through exactly the opens of /dev/null and /dev/zero that
 * device_policy_allows() allows. */
static inline void check_kernel_agrees(struct fx *f)
{
  static const struct spec_device_rule lists[][5] = {
      {DEV_RULE(false, 'a', -1, -1, ""), DEV_RULE(true, 'c', 1, -1, "r"), DEV_RULE(true, 'c', 1, 5, "w")},
      {DEV_RULE(false, 'a', -1, -1, ""), DEV_RULE(true, 'c', 1, 3, "r"), DEV_RULE(true, 'c', 1, 3, "w"),
       DEV_RULE(true, 'c', 1, 5, "rwm"), DEV_RULE(false, 'c', 1, 5, "w")},
      {DEV_RULE(true, 'a', -1, -1, ""), DEV_RULE(false, 'c', 1, 3, "w"), DEV_RULE(false, 'c', 1, -1, "r")},
      {DEV_RULE(true, 'a', -1, -1, ""), DEV_RULE(false, 'c', 1, 5, "rw"), DEV_RULE(true, 'c', 1, 5, "w")},
      {DEV_RULE(false, 'a', -1, -1, ""), DEV_RULE(true, 'c', 1, 3, "rw"), DEV_RULE(false, 'c', 1, -1, "w")},
      {DEV_RULE(false, 'a', -1, -1, ""), DEV_RULE(true, 'c', -1, 3, "rw"), DEV_RULE(true, 'c', 1, 5, "r")},
  };
  static const struct { const char *path; uint32_t minor; } devs[] = {{"/dev/null", 3}, {"/dev/zero", 5}};
  static const struct { int flags; unsigned access; } opens[] = {
      {O_RDONLY, DEV_ACC_R}, {O_WRONLY, DEV_ACC_W}, {O_RDWR, DEV_ACC_R | DEV_ACC_W}};
  hrun_error err;

  for (size_t l = 0; l < sizeof(lists) / sizeof(lists[0]); l++) {
    size_t n = 0;
    struct spec_resources r = {.devices = (struct spec_device_rule *)lists[l]};
    struct device_policy pol;
    while (n < 5 && lists[l][n].type)
      n++;
    r.n_devices = n;
    OK(cgroup_apply_resources(&f->p, &r, &err));
    OK(device_policy_build(lists[l], n, &pol, &err));
    for (size_t d = 0; d < 2; d++)
      for (size_t o = 0; o < 3; o++) {
        int got = try_open(&f->p, devs[d].path, opens[o].flags);
        bool want = device_policy_allows(&pol, 'c', 1, devs[d].minor, opens[o].access);
        if (got != (want ? 0 : EPERM))
          fail_msg("list %zu: open %s flags %d: errno %d, the policy %s", l, devs[d].path,
                   opens[o].flags, got, want ? "allows" : "denies");
      }
    device_policy_free(&pol);
  }
}

#endif
