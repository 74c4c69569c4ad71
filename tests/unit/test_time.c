/* format_rfc3339: the civil date computed without a time zone must match
 * glibc's gmtime_r over past, present and far-future instants. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "libcontainer/util/fsutil.h"

static void expect(time_t sec, long nsec)
{
  struct timespec ts = {sec, nsec};
  char got[64], want[64], base[32];
  struct tm tm;

  format_rfc3339(&ts, got, sizeof(got));
  gmtime_r(&sec, &tm);
  strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(want, sizeof(want), "%s.%09ldZ", base, nsec);
  if (strcmp(got, want) != 0)
    fail_msg("%lld: \"%s\" != \"%s\"", (long long)sec, got, want);
}

static void test_known_instants(void **state)
{
  struct timespec ts = {1136214245, 7}; /* Go's reference time, 2006-01-02T15:04:05Z */
  char buf[64];

  (void)state;
  format_rfc3339(&ts, buf, sizeof(buf));
  assert_string_equal(buf, "2006-01-02T15:04:05.000000007Z");
  expect(0, 0);
  expect(951782400, 1);          /* 2000-02-29 */
  expect(4107542399, 999999999); /* 2100-02-28T23:59:59 */
  expect(4107542400, 0);         /* 2100-03-01: 2100 is no leap year */
  expect(-1, 0);                 /* 1969-12-31T23:59:59 */
}

static void test_every_day_for_a_long_while(void **state)
{
  (void)state;
  for (time_t t = -86400LL * 366 * 3; t < 86400LL * 366 * 200; t += 86400 - 7)
    expect(t, 123456789);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_known_instants),
      cmocka_unit_test(test_every_day_for_a_long_while),
  };

  return cmocka_run_group_tests_name("time", tests, NULL, NULL);
}
