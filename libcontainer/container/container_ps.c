#include <errno.h>

#include "libcontainer/cgroups/cgroup.h"
#include "libcontainer/container/container.h"

/* A stopped container is listed too, as runc lists it: whatever is left
 * in its cgroup (usually nothing), none when the cgroup is gone or was
 * never made (--cgroup-manager disabled). */
int container_pids(const struct hrun_context *ctx, const char *id, pid_t **pids, size_t *n,
                   hrun_error *err)
{
  struct container_handle h;
  bool stopped;
  int r;

  *pids = NULL;
  *n = 0;
  if (container_open(ctx, id, false, &h, err) < 0)
    return -1;
  stopped = state_status(h.dir_fd, &h.state) == STATUS_STOPPED;
  if (stopped && h.state.cgroup.n_dirs == 0)
    r = 0;
  else
    r = cgroup_pids(&h.state.cgroup, pids, n, err);
  if (r < 0 && stopped && err->errnum == ENOENT)
    r = 0;
  container_close(&h);
  return r;
}
