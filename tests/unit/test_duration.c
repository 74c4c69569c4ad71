/* duration_parse against what Go's time.ParseDuration answers. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "libcontainer/util/duration.h"

static void ok(const char *s, int64_t want)
{
  int64_t got = 12345;

  if (duration_parse(s, &got) != 0)
    fail_msg("\"%s\": refused", s);
  if (got != want)
    fail_msg("\"%s\": %lld ns, Go says %lld", s, (long long)got, (long long)want);
}

static void refused(const char *s, int e)
{
  int64_t got;

  errno = 0;
  if (duration_parse(s, &got) == 0)
    fail_msg("\"%s\": accepted as %lld ns", s, (long long)got);
  assert_int_equal(errno, e);
}

static void test_valid(void **state)
{
  (void)state;
  ok("0", 0);
  ok("-0", 0);
  ok("5s", 5000000000LL);
  ok("500ms", 500000000LL);
  ok("2m", 120000000000LL);
  ok("1h", 3600000000000LL);
  ok("1m30s", 90000000000LL);
  ok("2h45m0.5s", 9900500000000LL);
  ok("1.5s", 1500000000LL);
  ok(".5s", 500000000LL);
  ok("1.s", 1000000000LL);
  ok("10ns", 10);
  ok("3us", 3000);
  ok("3\xc2\xb5s", 3000); /* micro sign */
  ok("3\xce\xbcs", 3000); /* Greek mu */
  ok("+7ms", 7000000LL);
  ok("-1s", -1000000000LL);
  ok("0.000000001s", 1);
  ok("2562047h", 2562047LL * 3600 * 1000000000LL);
}

static void test_invalid(void **state)
{
  (void)state;
  refused("", EINVAL);
  refused("-", EINVAL);
  refused("5", EINVAL);     /* Go: missing unit */
  refused("5x", EINVAL);    /* unknown unit */
  refused("s", EINVAL);
  refused(".s", EINVAL);
  refused("1s ", EINVAL);
  refused(" 1s", EINVAL);
  refused("1sm", EINVAL);
  refused("9999999999h", ERANGE);
  refused("2562048h", ERANGE);
  refused("99999999999999999999ns", ERANGE);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_valid),
      cmocka_unit_test(test_invalid),
  };

  return cmocka_run_group_tests_name("duration", tests, NULL, NULL);
}
