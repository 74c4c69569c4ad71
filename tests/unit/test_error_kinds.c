/* Error kinds made by the real code paths: the kind each library entry
 * point gives a failure, which callers and the CLI's exit status go by
 * instead of the text. Containers here are state dirs with a sleeping
 * child as "the init" (as in test_state.c): no root, no namespaces. */
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

#include "libcontainer/util/arena.h"
#include "libcontainer/container/container.h"
#include "libcontainer/container/exec_process.h"
#include "libcontainer/util/fsutil.h"
#include "libcontainer/spec/spec.h"
#include "libcontainer/state/state.h"
#include "tests/unit/spec_test.h"

static char root[] = "/tmp/hrun-test-kinds-XXXXXX";
static struct hrun_context ctx;
static pid_t child = -1;

static int setup(void **state)
{
  (void)state;
  if (!mkdtemp(root))
    return -1;
  ctx.root = root;
  child = fork();
  if (child == 0) {
    pause();
    _exit(0);
  }
  return child > 0 ? 0 : -1;
}

static int teardown(void **state)
{
  hrun_error err;

  (void)state;
  kill(child, SIGKILL);
  waitpid(child, NULL, 0);
  return remove_tree_at(AT_FDCWD, root, &err);
}

/* A container "id" whose init is our child: running, or stopped when its
 * recorded start time is not the child's. */
static void make_container(const char *id, bool running)
{
  static char *none[] = {NULL};
  char *config = json(CFG(PROC("")));
  struct container_state st = {
      .id = (char *)id, .bundle = "/b", .rootfs = "/b/rootfs", .created = "now",
      .owner = "", .annotation_keys = none, .annotation_values = none,
      .pid = child, .init_exe_dev = 1, .init_exe_ino = 2, .recorded = true,
  };
  hrun_error err;
  int root_fd, fd;

  root_fd = state_root_open(root, true, &err);
  assert_true(root_fd >= 0);
  fd = state_dir_create(root_fd, id, &err);
  assert_true(fd >= 0);
  while (proc_stat(child, &st.start_time, NULL) < 0)
    ;
  if (!running)
    st.start_time++;
  assert_int_equal(state_write(fd, &st, &err), 0);
  assert_int_equal(write_file_atomic_at(fd, STATE_CONFIG_FILE, config, strlen(config), 0600,
                                        &err), 0);
  free(config);
  close(fd);
  close(root_fd);
}

static void expect(int ret, const hrun_error *err, enum hrun_error_kind kind, const char *msg)
{
  assert_int_equal(ret, -1);
  assert_string_equal(err->msg, msg);
  assert_int_equal(err->kind, kind);
}

static void test_not_found(void **state)
{
  struct container_info info;
  hrun_error err;

  (void)state;
  expect(container_info(&ctx, "nosuch", &info, &err), &err, HRUN_ERR_NOT_FOUND,
         "container nosuch does not exist");
  expect(container_delete(&ctx, "nosuch", false, &err), &err, HRUN_ERR_NOT_FOUND,
         "container nosuch does not exist");
  /* What delete --force goes by. */
  assert_int_equal(container_delete(&ctx, "nosuch", true, &err), 0);
}

static void test_invalid_config(void **state)
{
  struct arena *a = arena_new();
  char *empty_args = json(CFG(PROC(",'args':[]"))), *bad_process = json("{'args':'sh'}");
  char *bad_resources = json("{'memory':{'limit':'x'}}");
  struct spec_resources *res;
  struct spec_process *proc;
  struct container_info info;
  struct oci_spec *spec = NULL;
  hrun_error err;

  (void)state;
  expect(spec_parse(empty_args, strlen(empty_args), &spec, &err), &err,
         HRUN_ERR_INVALID_CONFIG, "process.args must not be empty");
  expect(spec_parse_process(bad_process, strlen(bad_process), a, &proc, &err), &err,
         HRUN_ERR_INVALID_CONFIG, "process.args: expected an array of strings");
  expect(spec_parse_resources(bad_resources, strlen(bad_resources), a, &res, &err), &err,
         HRUN_ERR_INVALID_CONFIG, "memory.limit: expected an integer");
  expect(container_info(&ctx, "bad/id", &info, &err), &err, HRUN_ERR_INVALID_CONFIG,
         "invalid container id \"bad/id\": use letters, digits, '_', '+', '-' and (not "
         "first) '.'");
  free(empty_args);
  free(bad_process);
  free(bad_resources);
  arena_free(a);
}

static void test_invalid_exec_options(void **state)
{
  char *config = json(CFG(PROC(""))), *args[] = {"true", NULL}, *gids[] = {"x", NULL};
  struct exec_options opts = {.id = "c", .args = args, .n_args = 1, .cwd = "tmp"};
  struct spec_process *proc;
  struct oci_spec *spec;
  hrun_error err;

  (void)state;
  assert_int_equal(spec_parse(config, strlen(config), &spec, &err), 0);
  expect(exec_process_build(&opts, spec, &proc, &err), &err, HRUN_ERR_INVALID_CONFIG,
         "--cwd: \"tmp\" must be an absolute path");
  opts.cwd = NULL;
  opts.additional_gids = gids;
  opts.n_additional_gids = 1;
  expect(exec_process_build(&opts, spec, &proc, &err), &err, HRUN_ERR_INVALID_CONFIG,
         "--additional-gids: \"x\" is not a group id");
  spec_free(spec);
  free(config);
}

static void test_wrong_state_of_a_running_one(void **state)
{
  hrun_error err;

  (void)state;
  make_container("up", true);
  expect(container_delete(&ctx, "up", false, &err), &err, HRUN_ERR_WRONG_STATE,
         "cannot delete container up that is not stopped: running");
  expect(container_start(&ctx, "up", &err), &err, HRUN_ERR_WRONG_STATE,
         "cannot start container up: it is running, not created");
  expect(container_resume(&ctx, "up", &err), &err, HRUN_ERR_WRONG_STATE,
         "container up is running, not paused");
}

static void test_stopped_one(void **state)
{
  hrun_error err;

  (void)state;
  make_container("down", false);
  expect(container_kill(&ctx, "down", SIGTERM, false, &err), &err, HRUN_ERR_NOT_RUNNING,
         "container down: container not running");
  expect(container_pause(&ctx, "down", &err), &err, HRUN_ERR_WRONG_STATE,
         "container down is stopped, not running");
  expect(container_start(&ctx, "down", &err), &err, HRUN_ERR_WRONG_STATE,
         "cannot start container down: it is stopped, not created");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_not_found),
      cmocka_unit_test(test_invalid_config),
      cmocka_unit_test(test_invalid_exec_options),
      cmocka_unit_test(test_wrong_state_of_a_running_one),
      cmocka_unit_test(test_stopped_one),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
