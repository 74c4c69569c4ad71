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
  struct oci_spec *spec = NULL;
  int r = 0;

  if (container_open_alive(ctx, id, false, &h, err) < 0)
    return -1;
  /* The RDT group is the config's (its closID, or none). */
  if (u->l3_cache_schema || u->mem_bw_schema)
    r = container_load_config(&h, &spec, err);
  if (r == 0)
    r = intelrdt_update(&h.state, spec ? spec->linux_cfg.intel_rdt : NULL, u->l3_cache_schema,
                        u->mem_bw_schema, err);
  spec_free(spec);
  if (r == 0)
    r = cgroup_apply_resources(&h.state.cgroup, u->res, err);
  container_close(&h);
  return r;
}
