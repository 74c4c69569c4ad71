/* The last steps before execve, shared by the container init and by exec'd
 * processes: working directory, personality, identity, executable. */
#ifndef HRUN_PROCESS_SETUP_H
#define HRUN_PROCESS_SETUP_H

#include <stddef.h>

#include "libcontainer/util/error.h"

struct oci_spec;
struct seccomp_program;
struct spec_process;

struct process_setup {
  const struct spec_process *proc;
  const struct oci_spec *spec;            /* linux.personality, memoryPolicy */
  const struct seccomp_program *seccomp;  /* NULL: no filter */
  int sync_fd;                            /* for the seccomp listener hand-off */
};

/* cwd (which must exist and be inside the root), linux.personality,
 * linux.memoryPolicy, process.ioPriority and process.scheduler, creds
 * (rlimits, bounding set, groups, ids, capability sets, no_new_privs,
 * umask) and the seccomp filter — loaded as runc orders it: before the
 * capabilities go without noNewPrivileges (loading then needs
 * CAP_SYS_ADMIN), as late as possible with it — then finds args[0] as the
 * final user. *exec_path is malloc'ed. */
int process_setup(const struct process_setup *ps, char **exec_path, hrun_error *err);

/* Writes process.oomScoreAdj, while still privileged. */
int process_set_oom_score_adj(const struct spec_process *proc, hrun_error *err);

/* Keeps only stdio, fds 3 .. 3+preserve-1 and the listed fds (at most
 * 16). Where close_range is missing, through /proc/self/fd. */
int process_close_fds(int preserve_fds, const int *keep, size_t n_keep, hrun_error *err);

/* Default dispositions and an empty mask for the container's process. */
void process_reset_signals(void);

/* Clears close-on-exec on the preserved fds, right before execve. */
void process_pass_preserved_fds(int preserve_fds);

#endif
