/* Error texts: system errors as runc spells them, error kinds, and the
 * texts engines match (libcontainer/util/engine_errors.c, docs/engine-errors.md). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "libcontainer/util/engine_errors.h"
#include "libcontainer/util/error.h"

static void test_errno_texts_are_lower_case(void **state)
{
  static const struct {
    int errnum;
    const char *text;
  } go_texts[] = {
      {ENOENT, "no such file or directory"}, {EACCES, "permission denied"},
      {ENOTDIR, "not a directory"},          {EPERM, "operation not permitted"},
      {ESRCH, "no such process"},            {EISDIR, "is a directory"},
      {ENOEXEC, "exec format error"},        {EMFILE, "too many open files"},
  };
  char buf[128];
  size_t i;

  (void)state;
  for (i = 0; i < sizeof(go_texts) / sizeof(go_texts[0]); i++)
    assert_string_equal(err_errno_text(go_texts[i].errnum, buf, sizeof(buf)), go_texts[i].text);
  /* An acronym keeps its capitals. */
  snprintf(buf, sizeof(buf), "%s", strerror(EDOTDOT));
  assert_string_equal(err_errno_text(EDOTDOT, buf, sizeof(buf)), strerror(EDOTDOT));
}

static void test_err_set_appends_the_lower_case_text(void **state)
{
  hrun_error err;

  (void)state;
  assert_int_equal(err_set(&err, ENOENT, "open %s", "/x"), -1);
  assert_string_equal(err.msg, "open /x: no such file or directory");
  assert_int_equal(err.errnum, ENOENT);
  assert_int_equal(err.kind, HRUN_ERR_OTHER);
}

static void test_kinds_survive_wrapping(void **state)
{
  hrun_error err;

  (void)state;
  err_no_container(&err, "c1");
  err_wrap(&err, "delete");
  assert_int_equal(err.kind, HRUN_ERR_NOT_FOUND);
  assert_string_equal(err.msg, "delete: container c1 does not exist");
  err_not_running(&err, "c1");
  assert_int_equal(err.kind, HRUN_ERR_NOT_RUNNING);
  err_container_exists(&err, "c1");
  assert_int_equal(err.kind, HRUN_ERR_EXISTS);
  err_set(&err, 0, "other");
  assert_int_equal(err.kind, HRUN_ERR_OTHER);
  /* err_kind on a fresh error; every later context keeps it. */
  err_set(&err, 0, "process.args must not be empty");
  assert_int_equal(err_kind(&err, HRUN_ERR_INVALID_CONFIG), -1);
  err_wrap(&err, "config.json");
  err_wrap(&err, "create");
  assert_int_equal(err.kind, HRUN_ERR_INVALID_CONFIG);
  assert_string_equal(err.msg, "create: config.json: process.args must not be empty");
  assert_int_equal(err_set_kind(&err, HRUN_ERR_WRONG_STATE, EBUSY, "pause %s", "c1"), -1);
  err_wrap(&err, "pause");
  assert_int_equal(err.kind, HRUN_ERR_WRONG_STATE);
  assert_int_equal(err.errnum, EBUSY);
  assert_string_equal(err.msg, "pause: pause c1: device or resource busy");
}

/* One assertion per row of docs/engine-errors.md that hrun produces. */
static void test_engine_texts(void **state)
{
  hrun_error err;

  (void)state;
  err_not_running(&err, "c1");
  assert_non_null(strstr(err.msg, "container not running"));
  err_no_container(&err, "c1");
  assert_non_null(strstr(err.msg, "does not exist"));
  err_exec_not_found_in_path(&err, "nosuch");
  assert_string_equal(err.msg, "exec: \"nosuch\": executable file not found in $PATH");
  err_exec_lookup(&err, "/nope", ENOENT, 1);
  assert_string_equal(err.msg, "exec: \"/nope\": stat /nope: no such file or directory");
  err_exec_lookup(&err, "/etc/passwd", EACCES, 0);
  assert_string_equal(err.msg, "exec: \"/etc/passwd\": permission denied");
}

static void test_err_quote(void **state)
{
  char small[12], buf[64];

  (void)state;
  assert_string_equal(err_quote("plain-id_1.x", buf, sizeof(buf)), "plain-id_1.x");
  assert_string_equal(err_quote("a\n\x1b\x7f\x01", buf, sizeof(buf)), "a\\x0a\\x1b\\x7f\\x01");
  assert_string_equal(err_quote("q\"b\\", buf, sizeof(buf)), "q\\\"b\\\\");
  assert_string_equal(err_quote("", buf, sizeof(buf)), "");
  /* Cut on a whole escape, never in the middle of one. */
  assert_string_equal(err_quote("abcdef\n", small, sizeof(small)), "abcdef...");
  assert_string_equal(err_quote("abcdefgh", small, sizeof(small)), "abcdefgh");
  assert_string_equal(err_quote("abcdefghi", small, sizeof(small)), "abcdefgh...");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_errno_texts_are_lower_case),
      cmocka_unit_test(test_err_set_appends_the_lower_case_text),
      cmocka_unit_test(test_kinds_survive_wrapping),
      cmocka_unit_test(test_engine_texts),
      cmocka_unit_test(test_err_quote),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
