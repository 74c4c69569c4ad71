/* linux.memoryPolicy: set_mempolicy(2) of the container's init and of every
 * process exec'd into it (as runc does), with the raw system call: no
 * libnuma. */
#ifndef HRUN_MEMPOLICY_H
#define HRUN_MEMPOLICY_H

#include "libcontainer/util/error.h"

struct spec_memory_policy;

/* Nothing when mp is NULL. A node the process may not use is an error
 * naming linux.memoryPolicy.nodes. */
int mempolicy_apply(const struct spec_memory_policy *mp, hrun_error *err);

#endif
