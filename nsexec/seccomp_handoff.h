/* The seccomp filter at the moment it is loaded (messages 9 and 10 of
 * nsexec/sync.h). The child loads it; with SCMP_ACT_NOTIFY the listener fd
 * goes to the agent at linux.seccomp.listenerPath through the runtime, which
 * takes it from the child with pidfd_getfd: the child makes no syscall the
 * filter could hold before the agent has the listener. */
#ifndef HRUN_SECCOMP_HANDOFF_H
#define HRUN_SECCOMP_HANDOFF_H

#include <sys/types.h>

#include "libcontainer/util/error.h"
#include "nsexec/sync.h"

struct oci_spec;
struct seccomp_program;

/* Child: loads p; with a listener, announces its fd number on sync_fd first
 * and waits until the parent says the agent has it. */
int seccomp_child_load(const struct seccomp_program *p, int sync_fd, hrun_error *err);

struct seccomp_handoff {
  int sync_fd;   /* the parent's end of the channel */
  int pidfd;     /* the child's */
  pid_t pid;
  const struct oci_spec *spec;
  const char *id;
  const char *bundle;
  const char *status; /* the container's status in the state sent to the agent */
};

/* Parent, on SYNC_SECCOMP_FD(fdnum): waits for the listener to exist in the
 * child, gives it to the agent, says SYNC_SECCOMP_DONE. */
int seccomp_parent_handoff(const struct seccomp_handoff *h, int fdnum, hrun_error *err);

/* Parent: waits for message `expect`, doing the hand-off for every
 * SYNC_SECCOMP_FD met on the way. */
int seccomp_wait_for(const struct seccomp_handoff *h, enum sync_type expect, const char *peer,
                     hrun_error *err);

#endif
