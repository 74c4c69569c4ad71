/* How processes get into a container's cgroup: the cgroup2 part at clone
 * time (the fd cgroup_open_v2_fd gives), the v1 hierarchies by the process
 * itself (cgroup_enter_self). Real cgroups of this machine; root needed. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "libcontainer/cgroups/cgroup.h"
#include "libcontainer/cgroups/cgroup_internal.h"

struct fx {
  struct cgroup_paths p;
  pid_t child;
};

static int setup(void **state)
{
  struct fx *f = calloc(1, sizeof(*f));
  char path[64];
  hrun_error err;

  snprintf(path, sizeof(path), "/hrun-unit-enter-%d", (int)getpid());
  if (cgroup_resolve(path, "x", &f->p, &err) < 0 || cgroup_create(&f->p, NULL, &err) < 0) {
    fprintf(stderr, "# setup: %s\n", err.msg);
    return -1;
  }
  f->child = -1;
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  struct fx *f = *state;
  hrun_error err;

  if (f->child > 0) {
    kill(f->child, SIGKILL);
    waitpid(f->child, NULL, 0);
  }
  if (cgroup_destroy(&f->p, &err) < 0)
    fprintf(stderr, "# teardown: %s\n", err.msg);
  cgroup_paths_free(&f->p);
  free(f);
  return 0;
}

static const char *v2_dir(const struct cgroup_paths *p)
{
  for (size_t i = 0; i < p->n_dirs; i++)
    if (!p->dirs[i].controllers[0])
      return p->dirs[i].path;
  return NULL;
}

/* The clone3(CLONE_INTO_CGROUP) fd is the cgroup2 dir, on v1 the hybrid
 * "unified" one; without one, -1 and no error. */
static void test_v2_fd(void **state)
{
  struct fx *f = *state;
  const char *v2 = v2_dir(&f->p);
  char link[64], target[4096];
  hrun_error err;
  ssize_t n;
  int fd;

  assert_int_equal(cgroup_open_v2_fd(&f->p, &fd, &err), 0);
  if (!v2) {
    assert_int_equal(fd, -1);
    return;
  }
  assert_true(fd >= 0);
  snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
  n = readlink(link, target, sizeof(target) - 1);
  assert_true(n > 0);
  target[n] = '\0';
  assert_string_equal(target, v2);
  close(fd);
}

/* A forked (single-threaded) child moves itself into every v1 dir, and
 * with with_v2 (a clone without clone3) into the cgroup2 one too. */
static void enter_self(struct fx *f, bool with_v2)
{
  hrun_error err;
  int p[2];
  char c;

  assert_int_equal(pipe(p), 0);
  f->child = fork();
  if (f->child == 0) {
    c = cgroup_enter_self(&f->p, with_v2, &err) == 0 ? 'y' : 'n';
    if (write(p[1], &c, 1) != 1)
      _exit(1);
    for (;;)
      pause();
  }
  assert_int_equal(read(p[0], &c, 1), 1);
  assert_int_equal(c, 'y');
  close(p[0]);
  close(p[1]);
  for (size_t i = 0; i < f->p.n_dirs; i++) {
    char *procs = NULL, want[16];
    bool v2 = !f->p.dirs[i].controllers[0];

    assert_int_equal(cg_read(f->p.dirs[i].path, "cgroup.procs", &procs, &err), 0);
    snprintf(want, sizeof(want), "%d", f->child);
    /* Without with_v2 the cgroup2 dir is joined at clone time, not here. */
    assert_string_equal(procs, v2 && !with_v2 ? "" : want);
    free(procs);
  }
}

static void test_enter_self(void **state)
{
  enter_self(*state, false);
}

static void test_enter_self_with_v2(void **state)
{
  struct fx *f = *state;

  if (!v2_dir(&f->p))
    skip();
  enter_self(f, true);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_v2_fd, setup, teardown),
      cmocka_unit_test_setup_teardown(test_enter_self, setup, teardown),
      cmocka_unit_test_setup_teardown(test_enter_self_with_v2, setup, teardown),
  };

  return cmocka_run_group_tests_name("cgroup enter", tests, NULL, NULL);
}
