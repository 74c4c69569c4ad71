#include "libcontainer/util/duration.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>

static const struct {
  const char *name;
  uint64_t ns;
} units[] = {
    {"ns", 1},
    {"us", 1000},
    {"\xc2\xb5s", 1000}, /* U+00B5 micro sign */
    {"\xce\xbcs", 1000}, /* U+03BC Greek mu */
    {"ms", 1000000},
    {"s", 1000000000},
    {"m", 60ULL * 1000000000},
    {"h", 3600ULL * 1000000000},
};

/* The unit at *s (the longest name that matches: "ms" before "m"). */
static uint64_t parse_unit(const char **s)
{
  size_t best = 0, len;
  uint64_t ns = 0;

  for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
    len = strlen(units[i].name);
    if (len > best && strncmp(*s, units[i].name, len) == 0) {
      best = len;
      ns = units[i].ns;
    }
  }
  *s += best;
  return ns;
}

static int fail(int e)
{
  errno = e;
  return -1;
}

/* One "12.5ms" term added to *total; as Go, the fraction is exact to the
 * nanosecond (digits past what can matter are dropped). */
static int parse_term(const char **s, uint64_t *total)
{
  uint64_t whole = 0, frac = 0, scale = 1, unit;
  bool digits = false;

  for (; isdigit((unsigned char)**s); (*s)++, digits = true) {
    if (whole > (UINT64_MAX - 9) / 10)
      return fail(ERANGE);
    whole = whole * 10 + (uint64_t)(**s - '0');
  }
  if (**s == '.')
    for ((*s)++; isdigit((unsigned char)**s); (*s)++, digits = true)
      if (scale <= UINT64_MAX / 100) {
        frac = frac * 10 + (uint64_t)(**s - '0');
        scale *= 10;
      }
  if (!digits)
    return fail(EINVAL);
  unit = parse_unit(s);
  if (!unit)
    return fail(EINVAL); /* Go: "missing unit" or "unknown unit" */
  if (whole > (uint64_t)INT64_MAX / unit)
    return fail(ERANGE);
  whole *= unit;
  /* frac/scale of a unit: at most unit ns, so no overflow below. */
  whole += (uint64_t)((long double)frac * (long double)unit / (long double)scale);
  if (whole > (uint64_t)INT64_MAX - *total)
    return fail(ERANGE);
  *total += whole;
  return 0;
}

int duration_parse(const char *s, int64_t *ns)
{
  bool neg = false;
  uint64_t total = 0;

  if (*s == '-' || *s == '+')
    neg = *s++ == '-';
  if (strcmp(s, "0") == 0) { /* the one number without a unit */
    *ns = 0;
    return 0;
  }
  if (!*s)
    return fail(EINVAL);
  while (*s)
    if (parse_term(&s, &total) < 0)
      return -1;
  *ns = neg ? -(int64_t)total : (int64_t)total;
  return 0;
}
