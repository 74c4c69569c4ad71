/* process.scheduler and process.ioPriority, applied to the calling process
 * (the container's init or an exec'd process) before it drops its
 * privileges: raising a priority needs CAP_SYS_NICE or CAP_SYS_ADMIN, which
 * the container's own capabilities may lack. */
#ifndef HRUN_SCHED_H
#define HRUN_SCHED_H

#include "libcontainer/util/error.h"

struct spec_process;

/* sched_setattr(2) with process.scheduler; nothing when absent. */
int sched_apply(const struct spec_process *proc, hrun_error *err);

/* ioprio_set(2) of this process with process.ioPriority; nothing when
 * absent. */
int ioprio_apply(const struct spec_process *proc, hrun_error *err);

#endif
