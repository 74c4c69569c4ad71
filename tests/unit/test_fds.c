/* Closing the runtime's fds before the container runs, and marking the
 * caller's close-on-exec, with close_range and without it (Linux < 5.9, or
 * a seccomp filter answering ENOSYS, as the tests' failsys helper does). */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "libcontainer/util/fsutil.h"
#include "nsexec/process_setup.h"

/* close_range answers ENOSYS from now on, in this process. */
static void filter_close_range(void)
{
  struct sock_filter code[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_close_range, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = {.len = sizeof(code) / sizeof(code[0]), .filter = code};

  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
      prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0)
    _exit(90);
  if (syscall(SYS_close_range, 1000, 1000, 0) == 0 || errno != ENOSYS)
    _exit(91);
}

static bool is_open(int fd)
{
  return fcntl(fd, F_GETFD) >= 0;
}

/* In a child: fds 3 (preserved), 20, 21 (kept), 22, 30, 31 open; after
 * process_close_fds only stdio, 3, 20 and 21 are. Exit 0 on success. */
static int close_fds_child(bool without_close_range)
{
  int kept[] = {21, -1, 20};
  hrun_error err;

  for (int fd = 3; fd < 40; fd++)
    close(fd);
  for (int fd = 3; fd < 32; fd++)
    if (dup2(0, fd) < 0)
      return 92;
  if (without_close_range)
    filter_close_range();
  if (process_close_fds(1, kept, 3, &err) < 0)
    return 93;
  for (int fd = 0; fd < 40; fd++)
    if (is_open(fd) != (fd <= 3 || fd == 20 || fd == 21))
      return 100 + fd;
  return 0;
}

static int run_in_child(int (*fn)(bool), bool arg)
{
  int status = -1;
  pid_t pid = fork();

  if (pid == 0)
    _exit(fn(arg));
  assert_true(pid > 0);
  assert_int_equal(waitpid(pid, &status, 0), pid);
  assert_true(WIFEXITED(status));
  return WEXITSTATUS(status);
}

static void test_close_fds(void **state)
{
  (void)state;
  assert_int_equal(run_in_child(close_fds_child, false), 0);
}

static void test_close_fds_without_close_range(void **state)
{
  (void)state;
  assert_int_equal(run_in_child(close_fds_child, true), 0);
}

static int cloexec_child(bool without_close_range)
{
  hrun_error err;

  for (int fd = 3; fd < 40; fd++)
    close(fd);
  for (int fd = 3; fd < 12; fd++)
    if (dup2(0, fd) < 0)
      return 92;
  if (without_close_range)
    filter_close_range();
  if (mark_fds_cloexec_from(5, &err) < 0)
    return 93;
  for (int fd = 3; fd < 12; fd++)
    if (((fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0) != (fd >= 5))
      return 100 + fd;
  return 0;
}

static void test_mark_cloexec(void **state)
{
  (void)state;
  assert_int_equal(run_in_child(cloexec_child, false), 0);
  assert_int_equal(run_in_child(cloexec_child, true), 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_close_fds),
      cmocka_unit_test(test_close_fds_without_close_range),
      cmocka_unit_test(test_mark_cloexec),
  };

  return cmocka_run_group_tests_name("fds", tests, NULL, NULL);
}
