/* The sync protocol's typed API (nsexec/sync.h) over a real SEQPACKET
 * socketpair: each wait takes only its own message, names the sender the
 * table gives it, and reports a vanished peer as HRUN_ERR_PEER_GONE. */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "libcontainer/hooks/hooks.h"
#include "nsexec/sync.h"

static int wait_seccomp_fd(int fd, hrun_error *err)
{
  int number;

  return sync_wait_seccomp_fd(fd, &number, err);
}

static int wait_mount_source_fd(int fd, hrun_error *err)
{
  int index, passed = -1, r = sync_wait_mount_source_fd(fd, &index, &passed, err);

  assert_int_equal(passed, -1); /* nothing to leak on a failed wait */
  return r;
}

/* Every wait, what it expects, and the sender its errors name. */
static const struct {
  int (*wait)(int fd, hrun_error *err);
  const char *expects;
  const char *sender;
} waits[] = {
    {sync_wait_go, "GO", "the runtime"},
    {sync_wait_mounts_ready, "MOUNTS_READY", "the container init"},
    {sync_wait_hooks_done, "HOOKS_DONE", "the runtime"},
    {sync_wait_ready, "READY", "the container init"},
    {sync_wait_start, "START", "start"},
    {sync_wait_exec, "EXEC", "the container init"},
    {wait_seccomp_fd, "SECCOMP_FD", "the container process"},
    {sync_wait_seccomp_done, "SECCOMP_DONE", "the runtime"},
    {sync_wait_mount_sources, "MOUNT_SOURCES", "the container init"},
    {wait_mount_source_fd, "MOUNT_SOURCE_FD", "the runtime"},
};
#define N_WAITS (sizeof(waits) / sizeof(waits[0]))

static void channel(int sv[2])
{
  assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
}

static void test_each_wait_takes_its_message(void **state)
{
  int sv[2], number = 0, index = 0, passed = -1, devnull;
  struct stat a, b;
  hrun_error err;

  (void)state;
  channel(sv);
  assert_int_equal(sync_send_go(sv[0], &err), 0);
  assert_int_equal(sync_wait_go(sv[1], &err), 0);
  assert_int_equal(sync_send_start(sv[0], &err), 0);
  assert_int_equal(sync_wait_start(sv[1], &err), 0);
  assert_int_equal(sync_send_seccomp_fd(sv[1], 42, &err), 0);
  assert_int_equal(sync_wait_seccomp_fd(sv[0], &number, &err), 0);
  assert_int_equal(number, 42);
  devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
  assert_true(devnull >= 0);
  assert_int_equal(sync_send_mount_source_fd(sv[0], 7, devnull, &err), 0);
  assert_int_equal(sync_wait_mount_source_fd(sv[1], &index, &passed, &err), 0);
  assert_int_equal(index, 7);
  assert_true(passed >= 0 && passed != devnull);
  assert_int_equal(fstat(devnull, &a), 0);
  assert_int_equal(fstat(passed, &b), 0);
  assert_true(a.st_ino == b.st_ino && a.st_dev == b.st_dev);
  assert_true(fcntl(passed, F_GETFD) & FD_CLOEXEC);
  close(passed);
  close(devnull);
  close(sv[0]);
  close(sv[1]);
}

static void test_each_wait_rejects_another_message(void **state)
{
  char want[256];
  hrun_error err;
  size_t i;
  int sv[2];

  (void)state;
  for (i = 0; i < N_WAITS; i++) {
    /* GO is the wrong message for all but GO's wait, which gets START. */
    bool go = i == 0;

    channel(sv);
    assert_int_equal(go ? sync_send_start(sv[0], &err) : sync_send_go(sv[0], &err), 0);
    assert_int_equal(waits[i].wait(sv[1], &err), -1);
    snprintf(want, sizeof(want), "%s sent %s, expected %s%s", waits[i].sender,
             go ? "START" : "GO", waits[i].expects,
             waits[i].wait == wait_mount_source_fd ? " with an fd" : "");
    assert_string_equal(err.msg, want);
    assert_int_equal(err.kind, HRUN_ERR_OTHER);
    close(sv[0]);
    close(sv[1]);
  }
}

static void test_eof_is_peer_gone(void **state)
{
  char want[256];
  hrun_error err;
  size_t i;
  int sv[2], number;

  (void)state;
  for (i = 0; i < N_WAITS; i++) {
    channel(sv);
    close(sv[0]);
    assert_int_equal(waits[i].wait(sv[1], &err), -1);
    snprintf(want, sizeof(want), "%s exited before %s", waits[i].sender, waits[i].expects);
    assert_string_equal(err.msg, want);
    assert_int_equal(err.kind, HRUN_ERR_PEER_GONE);
    close(sv[1]);
  }
  channel(sv);
  close(sv[0]);
  assert_int_equal(sync_wait_any(sv[1], &number, "the exec'd process", &err), -1);
  assert_string_equal(err.msg, "the exec'd process exited before it was ready");
  assert_int_equal(err.kind, HRUN_ERR_PEER_GONE);
  assert_int_equal(sync_wait_eof(sv[1], "the exec'd process", &err), 0);
  close(sv[1]);
}

/* The peer's error arrives as its text and errno, not as a vanished peer;
 * hook reports on the way are logged and skipped. */
static void test_peer_error_and_hook_reports(void **state)
{
  struct hook_report report = {.stage = 0, .index = 0, .path = "/bin/true"};
  hrun_error err, sent;
  int sv[2], number = 0;

  (void)state;
  channel(sv);
  sync_send_hook_report(sv[0], &report);
  assert_int_equal(sync_send_ready(sv[0], &err), 0);
  assert_int_equal(sync_wait_ready(sv[1], &err), 0);
  sync_send_hook_report(sv[0], &report);
  assert_int_equal(sync_send_seccomp_fd(sv[0], 9, &err), 0);
  assert_int_equal(sync_wait_any(sv[1], &number, "the container init", &err), SYNC_SECCOMP_FD);
  assert_int_equal(number, 9);
  err_set(&sent, 2, "mount /proc");
  sync_send_error(sv[0], &sent);
  assert_int_equal(sync_wait_hooks_done(sv[1], &err), -1);
  assert_string_equal(err.msg, sent.msg);
  assert_int_equal(err.errnum, 2);
  assert_int_equal(err.kind, HRUN_ERR_OTHER);
  assert_int_equal(sync_send_exec(sv[0], &err), 0);
  assert_int_equal(sync_wait_eof(sv[1], "the container init", &err), -1);
  assert_string_equal(err.msg, "the container init sent EXEC, expected the channel to close");
  close(sv[0]);
  close(sv[1]);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_each_wait_takes_its_message),
      cmocka_unit_test(test_each_wait_rejects_another_message),
      cmocka_unit_test(test_eof_is_peer_gone),
      cmocka_unit_test(test_peer_error_and_hook_reports),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
