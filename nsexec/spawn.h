/* Creating the container init: one clone of the runtime process becomes the
 * init (no helper binary is executed), and the parent drives it through the
 * create channel of nsexec/sync.h until it waits for `start`. */
#ifndef HRUN_SPAWN_H
#define HRUN_SPAWN_H

#include <stdbool.h>
#include <sys/types.h>

#include "libcontainer/util/error.h"

struct oci_spec;
struct cgroup_paths;
struct seccomp_program;

struct spawn_request {
  const struct oci_spec *spec;
  const char *id;
  const char *bundle;  /* absolute */
  const char *rootfs;  /* absolute */
  const struct cgroup_paths *cgroup;
  int start_listen_fd; /* the start channel; the init inherits it */
  int console_fd;      /* connected --console-socket, or -1 */
  const struct seccomp_program *seccomp; /* compiled linux.seccomp, or NULL */
  int preserve_fds;    /* fds 3 .. 3+n-1 are passed to the container */
  bool no_pivot;
  bool no_new_keyring;
  /* Runs in the parent as soon as the init exists, before GO: the caller
   * records it (until GO the init only waits, and dies of EOF if the
   * parent does). A failure kills the init. May be NULL. */
  int (*on_cloned)(void *data, pid_t init_pid, hrun_error *err);
  /* Runs in the parent between MOUNTS_READY and HOOKS_DONE (the prestart and
   * createRuntime hooks); may be NULL. */
  int (*runtime_hooks)(void *data, pid_t init_pid, hrun_error *err);
  void *data; /* for on_cloned and runtime_hooks */
};

struct spawn_result {
  pid_t pid;  /* host pid of the init */
  int pidfd;  /* pidfd of the init (close-on-exec) */
};

/* clone3, straight into the cgroup2 directory cgroup_fd (when >= 0) and
 * with a pidfd in *pidfd. Where clone3 is missing or cannot take a cgroup,
 * clone() and pidfd_open: then *join_v2 is true (when there is a cgroup2
 * directory), in the child too, which must join that directory itself
 * (cgroup_enter_self). Returns as clone does: the pid, 0 in the child, -1. */
pid_t nsexec_clone(int flags, int cgroup_fd, int *pidfd, bool *join_v2);

/* Returns once the init is ready and waits on the start channel. On failure
 * the init is killed and reaped before returning -1. */
int nsexec_spawn(const struct spawn_request *req, struct spawn_result *res,
                 hrun_error *err);

#endif
