/* What hooks leave behind. While a stage's hooks run, the process running
 * them is a child subreaper (PR_SET_CHILD_SUBREAPER): whatever a hook
 * starts and abandons, even in a session of its own (setsid, a double
 * fork), becomes its child instead of init's, and can be killed. The
 * children it had before the stage are kept; everything else is a hook's.
 * See man/hrun-hooks.5 for why neither a cgroup nor a pid namespace per
 * hook. */
#ifndef HRUN_HOOK_REAPER_H
#define HRUN_HOOK_REAPER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct hook_reaper {
  bool active;         /* our children can be listed (procfs shows our pids) */
  bool was_subreaper;  /* restored at the end: the init execs the process */
  pid_t *keep;         /* children that are not a hook's */
  size_t n_keep;
};

/* Becomes a subreaper and notes the children there already are. Never
 * fails: without a procfs of our own pid namespace (the init before
 * pivot_root sees the host's), the reaper is inactive and kills nothing;
 * there the container's own pid namespace or cgroup goes with it. */
void hook_reaper_begin(struct hook_reaper *r);

/* The children there are now are kept from here on (poststop: what a hook
 * that succeeded left is its business). */
void hook_reaper_keep_current(struct hook_reaper *r);

/* SIGKILLs every child not kept and reaps it, then what that one left
 * (now ours too), until nothing is left. */
void hook_reaper_kill(struct hook_reaper *r);

/* Restores the subreaper setting; what was adopted stays our child. */
void hook_reaper_end(struct hook_reaper *r);

#endif
