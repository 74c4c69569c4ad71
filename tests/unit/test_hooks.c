/* The hook runner on its own: argv, env, stdin, capture, timeouts, the
 * stage semantics. Hooks here are /bin/sh one-liners. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/util/fsutil.h"
#include "libcontainer/hooks/hook_exec.h"
#include "libcontainer/hooks/hooks.h"
#include "libcontainer/spec/spec.h"

extern char **environ;

static char tmpdir[64];

static int make_tmpdir(void **state)
{
  (void)state;
  snprintf(tmpdir, sizeof(tmpdir), "/tmp/hrun-unit-hooks-XXXXXX");
  return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
  char cmd[128];

  (void)state;
  snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
  return system(cmd) == 0 ? 0 : -1;
}

static char *slurp(const char *name)
{
  char path[256], *text = NULL;
  hrun_error err;

  snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
  if (read_file_at(AT_FDCWD, path, &text, NULL, &err) < 0)
    return xstrdup("<missing>");
  return text;
}

/* A config whose hooks are `sh -c SCRIPT` for each script given (no '"' or
 * '\\' in them), each with that timeout unless 0. */
static struct oci_spec *spec_timed(enum hook_stage stage, const char *const *scripts, size_t n,
                                   int timeout)
{
  static const char *const stage_keys[] = {"prestart", "createRuntime", "createContainer",
                                           "startContainer", "poststart", "poststop"};
  char *json = xasprintf("{\"ociVersion\":\"1.3.0\",\"root\":{\"path\":\"r\"},"
                         "\"annotations\":{\"a\":\"b\"},\"hooks\":{\"%s\":[", stage_keys[stage]);
  struct oci_spec *spec;
  hrun_error err;

  char limit[32] = "";

  if (timeout)
    snprintf(limit, sizeof(limit), ",\"timeout\":%d", timeout);
  for (size_t i = 0; i < n; i++) {
    char *next = xasprintf("%s%s{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"%s\"]%s}", json,
                           i ? "," : "", scripts[i], limit);
    free(json);
    json = next;
  }
  char *full = xasprintf("%s]}}", json);
  free(json);
  if (spec_parse(full, strlen(full), &spec, &err) < 0)
    fail_msg("spec: %s", err.msg);
  free(full);
  return spec;
}

static struct oci_spec *spec_with(enum hook_stage stage, const char *const *scripts, size_t n)
{
  return spec_timed(stage, scripts, n, 0);
}

static const struct hook_run run_info = {
    .id = "c1", .bundle = "/b", .pid = 42, .default_env = NULL};

static void test_state_on_stdin_per_stage(void **state)
{
  char script[256];
  hrun_error err;
  struct hook_run run = run_info;

  (void)state;
  run.default_env = environ;
  snprintf(script, sizeof(script), "cat >%s/state", tmpdir);
  const char *scripts[] = {script};
  struct oci_spec *spec = spec_with(HOOK_POSTSTART, scripts, 1);
  assert_int_equal(hooks_run_stage(spec, HOOK_POSTSTART, &run, &err), 0);
  char *got = slurp("state");
  assert_string_equal(got, "{\"ociVersion\":\"1.3.0\",\"id\":\"c1\",\"status\":\"running\","
                           "\"pid\":42,\"bundle\":\"/b\",\"annotations\":{\"a\":\"b\"}}");
  free(got);
  spec_free(spec);

  spec = spec_with(HOOK_POSTSTOP, scripts, 1);
  assert_int_equal(hooks_run_stage(spec, HOOK_POSTSTOP, &run, &err), 0);
  got = slurp("state");
  assert_string_equal(got, "{\"ociVersion\":\"1.3.0\",\"id\":\"c1\",\"status\":\"stopped\","
                           "\"bundle\":\"/b\",\"annotations\":{\"a\":\"b\"}}");
  free(got);
  spec_free(spec);
}

static void test_every_hook_reads_the_whole_state(void **state)
{
  char a[128], b[128];
  hrun_error err;
  struct hook_run run = run_info;

  (void)state;
  run.default_env = environ;
  snprintf(a, sizeof(a), "head -c 5 >%s/first", tmpdir);
  snprintf(b, sizeof(b), "head -c 5 >%s/second", tmpdir);
  const char *scripts[] = {a, b};
  struct oci_spec *spec = spec_with(HOOK_PRESTART, scripts, 2);
  assert_int_equal(hooks_run_stage(spec, HOOK_PRESTART, &run, &err), 0);
  char *first = slurp("first"), *second = slurp("second");
  assert_string_equal(first, "{\"oci");
  assert_string_equal(second, "{\"oci");
  free(first);
  free(second);
  spec_free(spec);
}

static void test_failure_names_hook_status_and_stderr_tail(void **state)
{
  const char *scripts[] = {"true", "echo one >&2; echo two >&2; exit 4", "touch /never"};
  struct oci_spec *spec = spec_with(HOOK_CREATE_RUNTIME, scripts, 3);
  struct hook_run run = run_info;
  hrun_error err;

  (void)state;
  run.default_env = environ;
  assert_int_equal(hooks_run_stage(spec, HOOK_CREATE_RUNTIME, &run, &err), -1);
  assert_string_equal(err.msg,
                      "hooks.createRuntime[1] (/bin/sh) failed: exit status 4: one; two");
  assert_int_equal(access("/never", F_OK), -1); /* the stage stopped there */
  spec_free(spec);
}

static void test_poststop_failures_are_warnings(void **state)
{
  char last[128];
  hrun_error err;
  struct hook_run run = run_info;

  (void)state;
  run.default_env = environ;
  snprintf(last, sizeof(last), "touch %s/last-ran", tmpdir);
  const char *scripts[] = {"exit 1", "kill -9 $$", last};
  struct oci_spec *spec = spec_with(HOOK_POSTSTOP, scripts, 3);
  assert_int_equal(hooks_run_stage(spec, HOOK_POSTSTOP, &run, &err), 0);
  char *ran = slurp("last-ran");
  assert_string_equal(ran, "");
  free(ran);
  spec_free(spec);
}

static void test_exec_argv_env_and_capture(void **state)
{
  char *argv[] = {"custom-name", "-c", "echo \"$0 $1 $X\"; echo err >&2", "first", NULL};
  char *envp[] = {"X=only", NULL};
  struct hook_outcome o;
  hrun_error err;
  struct hook_io io;

  (void)state;
  assert_int_equal(hook_io_open(&io, "", 0, &err), 0);
  assert_int_equal(hook_exec("/bin/sh", argv, envp, &io, 0, &o, &err), 0);
  assert_int_equal(o.exit_code, 0);
  assert_string_equal(o.out.tail, "first  only\n");
  assert_string_equal(o.err.tail, "err\n");
  hook_io_close(&io);
}

static void test_capture_keeps_the_tail(void **state)
{
  char *argv[] = {"sh", "-c", "i=0; while [ $i -lt 1000 ]; do echo line$i >&2; i=$((i+1)); done", NULL};
  struct hook_outcome o;
  hrun_error err;
  struct hook_io io;

  (void)state;
  assert_int_equal(hook_io_open(&io, "", 0, &err), 0);
  assert_int_equal(hook_exec("/bin/sh", argv, environ, &io, 0, &o, &err), 0);
  assert_true(o.err.len == HOOK_CAPTURE_MAX - 1);
  assert_non_null(strstr(o.err.tail, "line999\n"));
  assert_null(strstr(o.err.tail, "line1\n"));
  hook_io_close(&io);
}

/* The pid a leaver script wrote to NAME, and whether it is alive. */
static pid_t leaver_pid(const char *name)
{
  char *text = slurp(name);
  pid_t pid = (pid_t)atoi(text);

  free(text);
  assert_true(pid > 0);
  return pid;
}

static bool alive(pid_t pid)
{
  return kill(pid, 0) == 0;
}

/* Whether PID ends (or is a zombie: an orphan init has yet to reap) within
 * MS milliseconds. */
static bool ends_within(pid_t pid, int ms)
{
  char path[64], stat[256] = "";
  FILE *f;

  snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
  for (; ms > 0; ms -= 10) {
    f = fopen(path, "r");
    if (!f)
      return true;
    if (!fgets(stat, sizeof(stat), f))
      stat[0] = '\0';
    fclose(f);
    if (strstr(stat, ") Z "))
      return true;
    usleep(10000);
  }
  return false;
}

static void test_timeout_kills_the_process_group(void **state)
{
  char script[256];
  struct hook_outcome o;
  hrun_error err;
  struct hook_io io;
  time_t start = time(NULL);

  (void)state;
  /* a child in the hook's group, its pid in tmpdir/child */
  snprintf(script, sizeof(script), "sh -c 'echo $$ >%s/child; exec sleep 30' & sleep 30", tmpdir);
  char *argv[] = {"sh", "-c", script, NULL};
  assert_int_equal(hook_io_open(&io, "", 0, &err), 0);
  assert_int_equal(hook_exec("/bin/sh", argv, environ, &io, 1, &o, &err), 0);
  assert_true(o.timed_out);
  assert_int_equal(o.signal, 9);
  assert_true(time(NULL) - start < 3);
  assert_true(ends_within(leaver_pid("child"), 2000));
  hook_io_close(&io);
}

static void test_exec_failure(void **state)
{
  char *argv[] = {"x", NULL};
  struct hook_outcome o;
  hrun_error err;
  struct hook_io io;

  (void)state;
  assert_int_equal(hook_io_open(&io, "", 0, &err), 0);
  assert_int_equal(hook_exec("/no/such/hook", argv, environ, &io, 0, &o, &err), -1);
  assert_string_equal(err.msg, "exec /no/such/hook: no such file or directory");
  hook_io_close(&io);
}

static void test_stdin_is_each_hooks_own_and_sealed(void **state)
{
  char a[512], b[128];
  hrun_error err;
  struct hook_run run = run_info;

  (void)state;
  run.default_env = environ;
  /* the first tries to write, truncate and rewrite its stdin, and notes
   * what failed */
  snprintf(a, sizeof(a),
           "cat >/dev/null; printf x >&0 || echo write >>%1$s/refused;"
           " truncate -s 0 /proc/self/fd/0 || echo truncate >>%1$s/refused;"
           " printf y 1<>/proc/self/fd/0 || echo rewrite >>%1$s/refused; true",
           tmpdir);
  snprintf(b, sizeof(b), "cat >%s/second", tmpdir);
  const char *scripts[] = {a, b};
  struct oci_spec *spec = spec_with(HOOK_PRESTART, scripts, 2);
  assert_int_equal(hooks_run_stage(spec, HOOK_PRESTART, &run, &err), 0);
  char *refused = slurp("refused"), *second = slurp("second");
  assert_string_equal(refused, "write\ntruncate\nrewrite\n");
  assert_string_equal(second, "{\"ociVersion\":\"1.3.0\",\"id\":\"c1\",\"status\":\"created\","
                              "\"pid\":42,\"bundle\":\"/b\",\"annotations\":{\"a\":\"b\"}}");
  free(refused);
  free(second);
  spec_free(spec);
}

static void test_capture_is_bounded_and_counted(void **state)
{
  char *argv[] = {"sh", "-c", "head -c 20000000 /dev/zero | tr '\\0' o; "
                              "head -c 30000000 /dev/zero | tr '\\0' e >&2", NULL};
  struct hook_outcome o;
  hrun_error err;
  struct hook_io io;

  (void)state;
  assert_int_equal(hook_io_open(&io, "", 0, &err), 0);
  assert_int_equal(hook_exec("/bin/sh", argv, environ, &io, 0, &o, &err), 0);
  assert_int_equal(o.exit_code, 0);
  assert_true(o.out.total == 20000000 && o.out.len == HOOK_CAPTURE_MAX - 1);
  assert_true(o.err.total == 30000000 && o.err.len == HOOK_CAPTURE_MAX - 1);
  assert_int_equal(o.err.tail[0], 'e');
  hook_io_close(&io);
}

static void test_failure_says_its_stderr_was_truncated(void **state)
{
  const char *scripts[] = {"yes a-long-complaint | head -n 5000 >&2; echo the end >&2; exit 2"};
  struct oci_spec *spec = spec_with(HOOK_CREATE_RUNTIME, scripts, 1);
  struct hook_run run = run_info;
  const char *head = "hooks.createRuntime[0] (/bin/sh) failed: exit status 2: (output truncated) "
                     "a-long-complaint; ";
  hrun_error err;

  (void)state;
  run.default_env = environ;
  assert_int_equal(hooks_run_stage(spec, HOOK_CREATE_RUNTIME, &run, &err), -1);
  assert_int_equal(strncmp(err.msg, head, strlen(head)), 0);
  assert_non_null(strstr(err.msg, "a-long-complaint; the end"));
  assert_string_equal(err.msg + strlen(err.msg) - 7, "the end");
  spec_free(spec);
}

/* "setsid ... &": a sleeper out of the hook's process group and session,
 * its pid in tmpdir/NAME. */
#define LEAVE "setsid sh -c 'sleep 100; true' & echo $! >%s/%s; "

static void test_failed_stage_kills_what_its_hooks_left(void **state)
{
  char a[256], b[256];
  hrun_error err;
  struct hook_run run = run_info;

  (void)state;
  run.default_env = environ;
  snprintf(a, sizeof(a), LEAVE "exit 0", tmpdir, "first");
  snprintf(b, sizeof(b), LEAVE "exit 1", tmpdir, "second");
  const char *scripts[] = {a, b};
  struct oci_spec *spec = spec_with(HOOK_PRESTART, scripts, 2);
  assert_int_equal(hooks_run_stage(spec, HOOK_PRESTART, &run, &err), -1);
  assert_false(alive(leaver_pid("first")));
  assert_false(alive(leaver_pid("second")));
  spec_free(spec);
}

static void test_timeout_kills_what_left_the_group(void **state)
{
  char a[256];
  hrun_error err;
  struct hook_run run = run_info;
  time_t start = time(NULL);

  (void)state;
  run.default_env = environ;
  snprintf(a, sizeof(a), LEAVE "sleep 30", tmpdir, "timed");
  const char *scripts[] = {a};
  struct oci_spec *spec = spec_timed(HOOK_CREATE_RUNTIME, scripts, 1, 1);
  assert_int_equal(hooks_run_stage(spec, HOOK_CREATE_RUNTIME, &run, &err), -1);
  assert_true(time(NULL) - start < 3);
  assert_false(alive(leaver_pid("timed")));
  spec_free(spec);
}

/* poststop: a failing hook's leftovers go, a succeeding one's stay. */
static void test_poststop_kills_only_what_a_failing_hook_left(void **state)
{
  char a[256], b[256];
  hrun_error err;
  struct hook_run run = run_info;
  pid_t kept;

  (void)state;
  run.default_env = environ;
  snprintf(a, sizeof(a), LEAVE "exit 0", tmpdir, "kept");
  snprintf(b, sizeof(b), LEAVE "exit 1", tmpdir, "killed");
  const char *scripts[] = {a, b};
  struct oci_spec *spec = spec_with(HOOK_POSTSTOP, scripts, 2);
  assert_int_equal(hooks_run_stage(spec, HOOK_POSTSTOP, &run, &err), 0);
  kept = leaver_pid("kept");
  assert_true(alive(kept));
  assert_false(alive(leaver_pid("killed")));
  /* adopted while the stage ran: ours to reap */
  kill(kept, SIGKILL);
  assert_int_equal(waitpid(kept, NULL, 0), kept);
  spec_free(spec);
}

static void test_stage_status_names(void **state)
{
  (void)state;
  assert_string_equal(hooks_stage_status(HOOK_PRESTART), "created");
  assert_string_equal(hooks_stage_status(HOOK_CREATE_RUNTIME), "created");
  assert_string_equal(hooks_stage_status(HOOK_CREATE_CONTAINER), "created");
  assert_string_equal(hooks_stage_status(HOOK_START_CONTAINER), "created");
  assert_string_equal(hooks_stage_status(HOOK_POSTSTART), "running");
  assert_string_equal(hooks_stage_status(HOOK_POSTSTOP), "stopped");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_state_on_stdin_per_stage),
      cmocka_unit_test(test_every_hook_reads_the_whole_state),
      cmocka_unit_test(test_failure_names_hook_status_and_stderr_tail),
      cmocka_unit_test(test_poststop_failures_are_warnings),
      cmocka_unit_test(test_exec_argv_env_and_capture),
      cmocka_unit_test(test_capture_keeps_the_tail),
      cmocka_unit_test(test_timeout_kills_the_process_group),
      cmocka_unit_test(test_exec_failure),
      cmocka_unit_test(test_stdin_is_each_hooks_own_and_sealed),
      cmocka_unit_test(test_capture_is_bounded_and_counted),
      cmocka_unit_test(test_failure_says_its_stderr_was_truncated),
      cmocka_unit_test(test_failed_stage_kills_what_its_hooks_left),
      cmocka_unit_test(test_timeout_kills_what_left_the_group),
      cmocka_unit_test(test_poststop_kills_only_what_a_failing_hook_left),
      cmocka_unit_test(test_stage_status_names),
  };
  return cmocka_run_group_tests_name("hooks", tests, make_tmpdir, remove_tmpdir);
}
