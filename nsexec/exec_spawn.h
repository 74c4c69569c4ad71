/* Starting a new process in a running container (`exec`): a clone of the
 * runtime, born in the container's pid namespace and cgroup, joins the
 * container's other namespaces, takes the process's identity and execs.
 * The exec channel (nsexec/sync.h) tells the runtime when execve happened. */
#ifndef HRUN_EXEC_SPAWN_H
#define HRUN_EXEC_SPAWN_H

#include <sys/types.h>

#include "libcontainer/util/error.h"

struct oci_spec;
struct spec_process;
struct cgroup_paths;
struct seccomp_program;

struct exec_request {
  pid_t init_pid;  /* the container's init */
  int init_pidfd;
  const struct cgroup_paths *cgroup;
  const struct oci_spec *spec; /* the container's config (personality) */
  const struct spec_process *proc;
  const struct seccomp_program *seccomp; /* compiled linux.seccomp, or NULL */
  const char *id;     /* for the seccomp agent */
  const char *bundle;
  int console_fd;   /* connected --console-socket, -1 without a terminal */
  int preserve_fds; /* fds 3 .. 3+n-1 are passed on */
};

struct exec_result {
  pid_t pid; /* host pid of the new process */
  int pidfd;
};

/* Returns once the process has been executed; on failure it is reaped. */
int nsexec_exec(const struct exec_request *req, struct exec_result *res, hrun_error *err);

#endif
