/* The process groups of runtime hooks, recorded in the state dir while
 * they run. A hook is its own process group leader and gets SIGKILL when
 * the runtime dies (hook_exec.c); what the hook started itself stays in
 * its group, and the group's record, hook-<pgid> holding the leader's
 * start time, lets a later delete find and kill it after a runtime was
 * killed mid-hook. A hook that ends normally takes its record with it:
 * what it leaves running then was its own choice. */
#ifndef HRUN_HOOK_GROUPS_H
#define HRUN_HOOK_GROUPS_H

#include <sys/types.h>

/* Best effort: a hook whose record cannot be written still runs. */
void hook_group_record(int dir_fd, pid_t pgid);
void hook_group_forget(int dir_fd, pid_t pgid);

/* SIGKILL to every process of each recorded group (each checked through a
 * pidfd: still in the group, started no earlier than its leader), then
 * the records go. The caller's own group is spared: a hook that runs
 * `hrun delete` on its own container. Returns how many were killed. */
int hook_groups_kill(int dir_fd);

#endif
