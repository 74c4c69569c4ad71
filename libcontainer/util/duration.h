/* Go's time.ParseDuration, for the options runc takes as durations
 * (`events --interval 500ms`): callers pass what they passed to runc. */
#ifndef HRUN_DURATION_H
#define HRUN_DURATION_H

#include <stdint.h>

/* "300ms", "1.5h", "2h45m", "-1s", "0": a signed sequence of decimal
 * numbers, each with an optional fraction and a unit (ns, us, µs, ms, s,
 * m, h). 0 and the nanoseconds, or -1 (errno EINVAL, or ERANGE beyond
 * about 292 years). */
int duration_parse(const char *s, int64_t *ns);

#endif
