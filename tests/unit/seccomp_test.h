/* Helpers shared by the seccomp unit tests (test_seccomp.c and
 * test_seccomp_notify.c): each test compiles a linux.seccomp object parsed by
 * spec_parse, loads it in a forked child (no_new_privs first: the privilege
 * order is not what is tested here) and checks what the child's syscalls do.
 * A child reports a failed check on stderr and exits 1. */
/* static inline: each test binary uses only some of the helpers. */
#ifndef HRUN_TEST_SECCOMP_H
#define HRUN_TEST_SECCOMP_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/util/fsutil.h"
#include "libcontainer/util/json.h"
#include "libcontainer/security/seccomp.h"
#include "libcontainer/spec/spec.h"

static char tmpdir[64];

static inline int make_tmpdir(void **state)
{
  (void)state;
  snprintf(tmpdir, sizeof(tmpdir), "/tmp/hrun-unit-seccomp-XXXXXX");
  return mkdtemp(tmpdir) ? 0 : -1;
}

static inline int remove_tmpdir(void **state)
{
  char cmd[128];

  (void)state;
  snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
  return system(cmd) == 0 ? 0 : -1;
}

/* ---- helpers --------------------------------------------------------- */

#define CHILD_CHECK(c)                                                                    \
  do {                                                                                    \
    if (!(c)) {                                                                           \
      dprintf(2, "child check failed at line %d: %s (errno %d)\n", __LINE__, #c, errno); \
      _exit(1);                                                                           \
    }                                                                                     \
  } while (0)

/* config.json around a linux.seccomp object. */
static inline struct oci_spec *parse_seccomp(const char *seccomp)
{
  char *json = xasprintf("{\"ociVersion\":\"1.3.0\",\"root\":{\"path\":\"r\"},"
                         "\"linux\":{\"seccomp\":%s}}", seccomp);
  struct oci_spec *spec;
  hrun_error err;

  if (spec_parse(json, strlen(json), &spec, &err) < 0)
    fail_msg("spec: %s", err.msg);
  free(json);
  assert_non_null(spec->linux_cfg.seccomp);
  return spec;
}

static inline void compile(const char *seccomp, struct seccomp_program *p)
{
  struct oci_spec *spec = parse_seccomp(seccomp);
  hrun_error err;

  if (seccomp_compile(spec->linux_cfg.seccomp, p, &err) < 0)
    fail_msg("compile: %s", err.msg);
  assert_non_null(p->filter);
  assert_true(p->len > 0);
  spec_free(spec);
}

/* Compiling must fail with a message containing want. */
static inline void compile_fails(const char *seccomp, const char *want)
{
  struct oci_spec *spec = parse_seccomp(seccomp);
  struct seccomp_program p;
  hrun_error err;

  assert_int_equal(seccomp_compile(spec->linux_cfg.seccomp, &p, &err), -1);
  if (!strstr(err.msg, want))
    fail_msg("error \"%s\" does not contain \"%s\"", err.msg, want);
  assert_null(p.filter);
  spec_free(spec);
}

typedef int (*child_fn)(int listener, void *arg);

/* Forks, loads p in the child and runs fn there (its return value is the
 * exit status). */
static inline pid_t start_child(const struct seccomp_program *p, child_fn fn, void *arg)
{
  pid_t pid = fork();

  assert_true(pid >= 0);
  if (pid == 0) {
    struct rlimit no_core = {0, 0};
    hrun_error err;
    int fd;

    setrlimit(RLIMIT_CORE, &no_core); /* TRAP/KILL tests die of SIGSYS */
    /* cmocka's handlers would turn a crash of the child into a return
     * into the test runner, which would go on under the filter. */
    for (int sig = 1; sig < NSIG; sig++)
      if (sig != SIGKILL && sig != SIGSTOP)
        signal(sig, SIG_DFL);
    CHILD_CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0);
    fd = seccomp_program_load(p, &err);
    if (fd < 0) {
      dprintf(2, "child: %s\n", err.msg);
      _exit(2);
    }
    _exit(fn(fd, arg));
  }
  return pid;
}

static inline int wait_child(pid_t pid)
{
  int status;

  assert_int_equal(waitpid(pid, &status, 0), pid);
  return status;
}

static inline int run_child(const struct seccomp_program *p, child_fn fn, void *arg)
{
  return wait_child(start_child(p, fn, arg));
}

static inline void assert_exited_ok(int status)
{
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    fail_msg("child: status %#x (exit %d, signal %d)", status,
             WIFEXITED(status) ? WEXITSTATUS(status) : -1,
             WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

static inline char *tmp_path(const char *name)
{
  return xasprintf("%s/%s", tmpdir, name);
}

/* -errno of a raw syscall, 0 on success. */
#define SYS_ERR(...) (syscall(__VA_ARGS__) < 0 ? errno : 0)


#endif
