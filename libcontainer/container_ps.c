#include "libcontainer/cgroup.h"
#include "libcontainer/container.h"

int container_pids(const struct hrun_context *ctx, const char *id, pid_t **pids, size_t *n,
                   hrun_error *err)
{
  struct container_handle h;
  int r;

  *pids = NULL;
  *n = 0;
  if (container_open_alive(ctx, id, false, &h, err) < 0)
    return -1;
  r = cgroup_pids(&h.state.cgroup, pids, n, err);
  container_close(&h);
  return r;
}
