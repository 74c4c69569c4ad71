/* state.json and the state dir: what create records, how a status is
 * derived from it, the lock, and a removal that leaves state.json last. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <fcntl.h>

#include "libcontainer/util/fsutil.h"
#include "libcontainer/state/state.h"

static char root[] = "/tmp/hrun-test-state-XXXXXX";
static int root_fd = -1;

static int setup(void **state)
{
  hrun_error err;

  (void)state;
  if (!mkdtemp(root))
    return -1;
  root_fd = state_root_open(root, false, &err);
  return root_fd < 0 ? -1 : 0;
}

static int teardown(void **state)
{
  hrun_error err;

  (void)state;
  close(root_fd);
  return remove_tree_at(AT_FDCWD, root, &err);
}

/* A state as create writes it at its first step: no init yet. */
static struct container_state intent(const char *id)
{
  static char *none[] = {NULL};
  struct container_state st = {
      .id = (char *)id, .bundle = "/b", .rootfs = "/b/rootfs", .created = "now",
      .owner = "", .annotation_keys = none, .annotation_values = none,
      .creator_pid = getpid(), .init_exe_dev = 1, .init_exe_ino = 2, .recorded = true,
  };

  assert_int_equal(proc_stat(getpid(), &st.creator_start_time, NULL), 0);
  return st;
}

static void test_roundtrip_with_creator(void **state)
{
  struct container_state st = intent("rt"), back;
  hrun_error err;
  int fd;

  (void)state;
  fd = state_dir_create(root_fd, "rt", &err);
  assert_true(fd >= 0);
  assert_int_equal(state_write(fd, &st, &err), 0);
  assert_int_equal(state_read(fd, "rt", &back, &err), 0);
  assert_true(back.recorded);
  assert_int_equal(back.pid, 0);
  assert_int_equal(back.creator_pid, getpid());
  assert_true(back.creator_start_time == st.creator_start_time);
  assert_true(back.init_exe_dev == 1 && back.init_exe_ino == 2);
  /* Its creator (us) is at work. */
  state_dir_unlock(fd);
  assert_int_equal(state_status(fd, &back), STATUS_CREATING);
  /* A creator whose start time does not match is not ours: dead. */
  back.creator_start_time++;
  assert_int_equal(state_status(fd, &back), STATUS_STOPPED);
  state_free(&back);
  assert_int_equal(state_dir_remove(root_fd, "rt", &err), 0);
  close(fd);
}

static void test_dir_without_state(void **state)
{
  struct container_state st;
  hrun_error err;
  int fd, other;

  (void)state;
  fd = state_dir_create(root_fd, "bare", &err);
  assert_true(fd >= 0);
  other = state_dir_open(root_fd, "bare", false, &err);
  assert_true(other >= 0);
  assert_int_equal(state_read(other, "bare", &st, &err), 0);
  assert_false(st.recorded);
  assert_string_equal(st.id, "bare");
  /* Held: a create at its first step; released: one that was killed. */
  assert_true(state_dir_lock_busy(other));
  assert_int_equal(state_status(other, &st), STATUS_CREATING);
  state_dir_unlock(fd);
  assert_false(state_dir_lock_busy(other));
  assert_int_equal(state_status(other, &st), STATUS_STOPPED);
  /* Taken: the second create says so. */
  assert_int_equal(state_dir_create(root_fd, "bare", &err), -1);
  assert_int_equal(err.kind, HRUN_ERR_EXISTS);
  state_free(&st);
  close(other);
  close(fd);
  assert_int_equal(state_dir_remove(root_fd, "bare", &err), 0);
}

/* A child that sleeps as "the init": created while it runs our binary
 * (initExe is ours), running once initExe names another one. */
static void test_created_until_exec(void **state)
{
  struct container_state st = intent("ex");
  struct stat exe;
  hrun_error err;
  pid_t child;
  int fd;

  (void)state;
  child = fork();
  if (child == 0) {
    pause();
    _exit(0);
  }
  assert_true(child > 0);
  fd = state_dir_create(root_fd, "ex", &err);
  assert_true(fd >= 0);
  assert_int_equal(stat("/proc/self/exe", &exe), 0);
  st.creator_pid = 0;
  st.pid = child;
  while (proc_stat(child, &st.start_time, NULL) < 0)
    ;
  st.init_exe_dev = exe.st_dev;
  st.init_exe_ino = exe.st_ino;
  assert_int_equal(state_status(fd, &st), STATUS_CREATED);
  st.init_exe_ino++;
  assert_int_equal(state_status(fd, &st), STATUS_RUNNING);
  /* Another process under the recorded pid (other start time): stopped. */
  st.start_time++;
  assert_int_equal(state_status(fd, &st), STATUS_STOPPED);
  kill(child, SIGKILL);
  waitpid(child, NULL, 0);
  close(fd);
  assert_int_equal(state_dir_remove(root_fd, "ex", &err), 0);
}

static void test_remove_everything(void **state)
{
  struct container_state st = intent("rm");
  struct stat sb;
  hrun_error err;
  int fd;

  (void)state;
  fd = state_dir_create(root_fd, "rm", &err);
  assert_true(fd >= 0);
  assert_int_equal(state_write(fd, &st, &err), 0);
  assert_int_equal(write_file_atomic_at(fd, "config.json", "{}", 2, 0600, &err), 0);
  assert_int_equal(write_file_atomic_at(fd, STATE_HOOK_PREFIX "1", "1\n", 2, 0600, &err), 0);
  assert_int_equal(state_dir_remove(root_fd, "rm", &err), 0);
  assert_int_equal(fstatat(root_fd, "rm", &sb, 0), -1);
  /* Gone already: no error. */
  assert_int_equal(state_dir_remove(root_fd, "rm", &err), 0);
  close(fd);
}

/* The systemd driver's scope goes through state.json: delete stops it. */
static void test_systemd_unit(void **state)
{
  struct container_state st = intent("sd"), back;
  struct cgroup_dir dir = {.controllers = "", .path = "/sys/fs/cgroup/system.slice/x-sd.scope",
                           .created_depth = 1};
  hrun_error err;
  int fd;

  (void)state;
  st.cgroup = (struct cgroup_paths){.mode = CGROUP_MODE_V2, .rel_path = "/system.slice/x-sd.scope",
                                    .dirs = &dir, .n_dirs = 1, .unit = "x-sd.scope"};
  fd = state_dir_create(root_fd, "sd", &err);
  assert_true(fd >= 0);
  assert_int_equal(state_write(fd, &st, &err), 0);
  assert_int_equal(state_read(fd, "sd", &back, &err), 0);
  assert_non_null(back.cgroup.unit);
  assert_string_equal(back.cgroup.unit, "x-sd.scope");
  assert_string_equal(back.cgroup.dirs[0].path, dir.path);
  state_free(&back);
  close(fd);
  assert_int_equal(state_dir_remove(root_fd, "sd", &err), 0);
}

/* Only a scope's name is taken: delete would stop whatever unit it names. */
static void test_systemd_unit_strict(void **state)
{
  static const char *const bad[] = {"\"ssh.service\"", "\"../x.scope\"", "\".scope\"", "5",
                                    "\"a b.scope\""};
  struct container_state st;
  hrun_error err;

  (void)state;
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    char text[256];
    snprintf(text, sizeof(text), "{\"id\": \"x\", \"cgroup\": {\"mode\": \"v2\", "
             "\"systemdUnit\": %s}}", bad[i]);
    assert_int_equal(state_parse(text, strlen(text), &st, &err), -1);
    assert_string_equal(err.msg, "cgroup.systemdUnit: expected the name of a scope unit");
  }
  assert_int_equal(state_parse("{\"id\": \"x\", \"cgroup\": {\"mode\": \"v2\"}}", 37,
                               &st, &err), 0);
  assert_null(st.cgroup.unit);
  state_free(&st);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_roundtrip_with_creator),
      cmocka_unit_test(test_dir_without_state),
      cmocka_unit_test(test_created_until_exec),
      cmocka_unit_test(test_remove_everything),
      cmocka_unit_test(test_systemd_unit),
      cmocka_unit_test(test_systemd_unit_strict),
  };

  return cmocka_run_group_tests_name("state", tests, setup, teardown);
}
