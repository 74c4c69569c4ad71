/* precreate: trusted filters of the config, run by create before anything
 * exists (no state dir, no lock, no cgroup). Each gets the config JSON on
 * its stdin and prints the config to use on its stdout; they run in order,
 * each on the previous one's output, each with its own timeout. An output
 * is checked as config.json is, and an error names the hook. */
#ifndef HRUN_HOOKS_PRECREATE_H
#define HRUN_HOOKS_PRECREATE_H

#include <stddef.h>

#include "libcontainer/util/error.h"
#include "libcontainer/spec/spec.h"

struct precreate_hook {
  const struct spec_hook *hook;
  const char *origin; /* where it was configured, for errors: a file, a flag */
};

/* On success *text and *len are the last hook's output (malloc'ed; the old
 * text freed) and *spec its parsed config (the old one freed). Errors:
 * "precreate hook /x (from /etc/hrun/hooks.d/10.json): output: process:
 * ...". */
int precreate_run(const struct precreate_hook *hooks, size_t n, char **text, size_t *len,
                  struct oci_spec **spec, hrun_error *err);

#endif
