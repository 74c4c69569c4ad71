/* update: new resource limits for a running (or created, or paused)
 * container, written to its cgroup. */
#include "libcontainer/cgroup.h"
#include "libcontainer/container.h"
#include "libcontainer/intelrdt.h"
#include "libcontainer/spec.h"

int container_update(const struct hrun_context *ctx, const char *id,
                     const struct update_request *u, hrun_error *err)
{
  struct container_handle h;
  int r;

  if (container_open_alive(ctx, id, false, &h, err) < 0)
    return -1;
  r = intelrdt_update(&h.state, u->l3_cache_schema, u->mem_bw_schema, err);
  if (r == 0)
    r = cgroup_apply_resources(&h.state.cgroup, u->res, err);
  container_close(&h);
  return r;
}
