/* process.rlimits: names and application. */
#ifndef HRUN_RLIMIT_H
#define HRUN_RLIMIT_H

#include <stddef.h>

#include "libcontainer/util/error.h"

struct spec_rlimit;

/* Applies the limits in order; the error names the limit. */
int rlimits_apply(const struct spec_rlimit *limits, size_t n, hrun_error *err);

#endif
