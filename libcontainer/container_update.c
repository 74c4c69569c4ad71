/* update: new resource limits for a running (or created, or paused)
 * container, written to its cgroup. */
#include "libcontainer/cgroup.h"
#include "libcontainer/container.h"
#include "libcontainer/spec.h"

int container_update(const struct hrun_context *ctx, const char *id,
                     const struct spec_resources *res, hrun_error *err)
{
  struct container_handle h;
  int r;

  if (container_open_alive(ctx, id, true, &h, err) < 0)
    return -1;
  r = cgroup_apply_resources(&h.state.cgroup, res, err);
  container_close(&h);
  return r;
}
