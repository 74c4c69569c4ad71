#include "libcontainer/security/sched.h"

#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libcontainer/spec/spec.h"

#define IOPRIO_WHO_PROCESS 1
#define IOPRIO_CLASS_SHIFT 13

/* sched_setattr(2)'s argument (SCHED_ATTR_SIZE_VER1: with the utilization
 * clamps, which the spec has no values for and leaves 0, as runc does). */
struct hrun_sched_attr {
  uint32_t size;
  uint32_t sched_policy;
  uint64_t sched_flags;
  int32_t sched_nice;
  uint32_t sched_priority;
  uint64_t sched_runtime;
  uint64_t sched_deadline;
  uint64_t sched_period;
  uint32_t sched_util_min;
  uint32_t sched_util_max;
};

int sched_apply(const struct spec_process *proc, hrun_error *err)
{
  const struct spec_scheduler *s = &proc->scheduler;
  struct hrun_sched_attr attr;

  if (!s->set)
    return 0;
  memset(&attr, 0, sizeof(attr));
  attr.size = sizeof(attr);
  attr.sched_policy = s->policy;
  attr.sched_flags = s->flags;
  attr.sched_nice = s->nice;
  attr.sched_priority = s->priority;
  attr.sched_runtime = s->runtime;
  attr.sched_deadline = s->deadline;
  attr.sched_period = s->period;
  if (syscall(SYS_sched_setattr, 0, &attr, 0) == 0)
    return 0;
  /* With RT group scheduling (cgroup v1), a new cgroup has no real-time
   * budget: the kernel says only EPERM, however privileged the caller. */
  if (errno == EPERM && (s->policy == SCHED_FIFO || s->policy == SCHED_RR))
    return err_set(err, errno,
                   "process.scheduler: sched_setattr (a real-time policy needs a "
                   "real-time budget in the container's cgroup where the kernel groups "
                   "them: linux.resources.cpu.realtimeRuntime)");
  return err_set(err, errno, "process.scheduler: sched_setattr");
}

int ioprio_apply(const struct spec_process *proc, hrun_error *err)
{
  const struct spec_io_priority *io = &proc->io_priority;
  int value;

  if (!io->set)
    return 0;
  value = io->klass << IOPRIO_CLASS_SHIFT | io->priority;
  if (syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, value) < 0)
    return err_set(err, errno, "process.ioPriority: ioprio_set");
  return 0;
}
