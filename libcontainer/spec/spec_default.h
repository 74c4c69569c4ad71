/* The starter config.json of `hrun spec`: the one `runc spec` writes (same
 * members, values and order), with hrun's spec version and hostname, so that
 * tutorials written for runc work unchanged. */
#ifndef HRUN_SPEC_DEFAULT_H
#define HRUN_SPEC_DEFAULT_H

#include <stdbool.h>

#include "libcontainer/util/json.h"

/* rootless: as `runc spec --rootless`: a user namespace mapping root to the
 * caller's euid/egid, no network namespace, /sys bind-mounted, no uid=/gid=
 * mount options and no resources. */
void spec_default_write(json_writer *w, bool rootless);

#endif
