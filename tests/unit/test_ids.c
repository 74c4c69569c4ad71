/* Container id validation and signal names. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "libcontainer/util/signals.h"
#include "libcontainer/state/state.h"

static void test_valid_ids(void **state)
{
  static const char *const ids[] = {"a", "A1", "web_1", "x-y", "a+b", "a.b", "_x", "-x",
                                    "0123456789abcdef0123456789abcdef"};
  hrun_error err;
  size_t i;

  (void)state;
  for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
    assert_int_equal(container_id_validate(ids[i], &err), 0);
}

static void test_invalid_ids(void **state)
{
  static const char *const ids[] = {"../x", "a/b", ".hidden", "..", ".", "a b", "a;b",
                                    "a:b", "a*b", "a$b"};
  /* Bytes a terminal or a log reader would act on are never echoed. */
  static const struct {
    const char *id, *shown;
  } escaped[] = {
      {"a\nb", "a\\x0ab"},        {"a\tb", "a\\x09b"},   {"\x1b[2Jx", "\\x1b[2Jx"},
      {"a\x7f", "a\\x7f"},        {"\xc3\xa9", "\\xc3\\xa9"}, {"a\"b", "a\\\"b"},
      {"a\\b", "a\\\\b"},
  };
  hrun_error err;
  char expected[128];
  size_t i;

  (void)state;
  for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
    assert_int_equal(container_id_validate(ids[i], &err), -1);
    snprintf(expected, sizeof(expected), "invalid container id \"%s\"", ids[i]);
    assert_memory_equal(err.msg, expected, strlen(expected));
  }
  for (i = 0; i < sizeof(escaped) / sizeof(escaped[0]); i++) {
    assert_int_equal(container_id_validate(escaped[i].id, &err), -1);
    snprintf(expected, sizeof(expected), "invalid container id \"%s\": use", escaped[i].shown);
    assert_memory_equal(err.msg, expected, strlen(expected));
  }
}

static void test_empty_and_long_ids(void **state)
{
  char long_id[1100];
  hrun_error err;

  (void)state;
  assert_int_equal(container_id_validate("", &err), -1);
  assert_string_equal(err.msg, "container id must not be empty");
  memset(long_id, 'a', sizeof(long_id) - 1);
  long_id[sizeof(long_id) - 1] = '\0';
  assert_int_equal(container_id_validate(long_id, &err), -1);
  assert_string_equal(err.msg, "invalid container id: longer than 1024 characters");
  long_id[1024] = '\0';
  assert_int_equal(container_id_validate(long_id, &err), 0);
}

static void test_signal_names(void **state)
{
  hrun_error err;

  (void)state;
  assert_int_equal(signal_parse("TERM", &err), SIGTERM);
  assert_int_equal(signal_parse("SIGTERM", &err), SIGTERM);
  assert_int_equal(signal_parse("sigkill", &err), SIGKILL);
  assert_int_equal(signal_parse("9", &err), SIGKILL);
  assert_int_equal(signal_parse("0", &err), 0);
  assert_int_equal(signal_parse("WINCH", &err), SIGWINCH);
  assert_int_equal(signal_parse("RTMIN+2", &err), SIGRTMIN + 2);
  assert_int_equal(signal_parse("SIGRTMAX", &err), SIGRTMAX);
}

static void test_bad_signals(void **state)
{
  hrun_error err;

  (void)state;
  assert_int_equal(signal_parse("NOPE", &err), -1);
  assert_string_equal(err.msg, "unknown signal \"NOPE\"");
  assert_int_equal(signal_parse("-1", &err), -1);
  assert_string_equal(err.msg, "unknown signal \"-1\"");
  assert_int_equal(signal_parse("99", &err), -1);
  assert_string_equal(err.msg, "invalid signal \"99\"");
  assert_int_equal(signal_parse("9x", &err), -1);
  assert_int_equal(signal_parse("RTMIN+99", &err), -1);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_valid_ids),         cmocka_unit_test(test_invalid_ids),
      cmocka_unit_test(test_empty_and_long_ids), cmocka_unit_test(test_signal_names),
      cmocka_unit_test(test_bad_signals),
  };
  return cmocka_run_group_tests_name("ids", tests, NULL, NULL);
}
