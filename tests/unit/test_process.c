/* Waiting for children (process_reap): EINTR is retried, a failed wait is
 * an error naming the pid, never a status read from nowhere. */
#include <errno.h>
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

#include "libcontainer/state/process.h"

static void on_alarm(int sig)
{
  (void)sig;
}

static void test_reap_status(void **state)
{
  struct sigaction sa = {.sa_handler = on_alarm}; /* no SA_RESTART: waitpid gets EINTR */
  hrun_error err;
  int status = -1;
  pid_t pid;

  (void)state;
  sigaction(SIGALRM, &sa, NULL);
  pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    usleep(300000); /* outlives the alarm: the reap sees EINTR first */
    _exit(5);
  }
  ualarm(50000, 0);
  assert_int_equal(process_reap(pid, &status, &err), 0);
  assert_true(WIFEXITED(status));
  assert_int_equal(WEXITSTATUS(status), 5);
  signal(SIGALRM, SIG_DFL);
}

static void test_reap_not_a_child(void **state)
{
  char want[64];
  hrun_error err;
  int status = 12345;
  pid_t pid = fork();

  (void)state;
  assert_true(pid >= 0);
  if (pid == 0)
    _exit(0);
  assert_int_equal(process_reap(pid, NULL, &err), 0);
  /* Reaped already: ECHILD, reported, and status left alone. */
  assert_int_equal(process_reap(pid, &status, &err), -1);
  assert_int_equal(err.errnum, ECHILD);
  snprintf(want, sizeof(want), "wait for process %d: no child processes", (int)pid);
  assert_string_equal(err.msg, want);
  assert_int_equal(status, 12345);
}

/* With SIGCHLD ignored the kernel reaps the child itself. */
static void test_reap_sigchld_ignored(void **state)
{
  hrun_error err;
  int status = 12345;
  pid_t pid;

  (void)state;
  signal(SIGCHLD, SIG_IGN);
  pid = fork();
  assert_true(pid >= 0);
  if (pid == 0)
    _exit(7);
  assert_int_equal(process_reap(pid, &status, &err), -1);
  signal(SIGCHLD, SIG_DFL);
  assert_int_equal(err.errnum, ECHILD);
  assert_int_equal(status, 12345);
  assert_int_equal(process_wait_exit_code(pid, &err), -1);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_reap_status),
      cmocka_unit_test(test_reap_not_a_child),
      cmocka_unit_test(test_reap_sigchld_ignored),
  };

  return cmocka_run_group_tests_name("process", tests, NULL, NULL);
}
