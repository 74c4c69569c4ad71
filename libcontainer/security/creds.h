/* The process's identity, applied in the order that keeps the needed
 * privileges until the last step: rlimits and the bounding set while still
 * privileged, then groups and ids (keeping capabilities across the switch),
 * then the capability sets, no_new_privs and the umask. */
#ifndef HRUN_CREDS_H
#define HRUN_CREDS_H

#include <stdbool.h>

#include "libcontainer/util/error.h"

struct spec_process;

int creds_apply(const struct spec_process *proc, bool setgroups_allowed, hrun_error *err);

#endif
