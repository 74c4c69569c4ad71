/* The container init: the cloned child's whole life, from the first sync
 * message to the execve of process.args (see the table in nsexec/sync.h). */
#ifndef HRUN_INIT_H
#define HRUN_INIT_H

struct spawn_request;
struct ns_plan;

#include <stdbool.h>

/* join_v2: the clone could not put the init in its cgroup2 directory; it
 * joins it itself, with its v1 cgroups. */
_Noreturn void init_main(const struct spawn_request *req, const struct ns_plan *plan,
                         int sync_fd, bool join_v2);

#endif
