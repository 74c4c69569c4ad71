/* update: new resource limits for a running (or created, or paused)
 * container, written to its cgroup. */
#include "libcontainer/cgroups/cgroup.h"
#include "libcontainer/cgroups/cgroup_systemd.h"
#include "libcontainer/container/container.h"
#include "libcontainer/cgroups/device_rules.h"
#include "libcontainer/cgroups/intelrdt.h"
#include "libcontainer/spec/spec.h"

/* New device rules replace the old ones whole, so they get runc's default
 * list after them as at create, less the defaults the container's
 * linux.devices listed again (from the config copy). *spec keeps the
 * composed list alive until the caller frees it. */
static int compose_devices(const struct container_handle *h, struct spec_resources *res,
                           struct oci_spec **spec, hrun_error *err)
{
  const struct spec_linux *lx;

  if (!res || res->n_devices == 0)
    return 0;
  if (container_load_config(h, spec, err) < 0)
    return -1;
  lx = &(*spec)->linux_cfg;
  res->devices = device_rules_compose(res->devices, res->n_devices, lx->devices, lx->n_devices,
                                      (*spec)->arena, &res->n_devices);
  return 0;
}

int container_update(const struct hrun_context *ctx, const char *id,
                     const struct update_request *u, hrun_error *err)
{
  struct container_handle h;
  struct oci_spec *spec = NULL;
  int r;

  if (container_open_alive(ctx, id, false, &h, err) < 0)
    return -1;
  r = compose_devices(&h, u->res, &spec, err);
  /* The RDT group is the config's (its closID, or none). */
  if (r == 0 && !spec && (u->l3_cache_schema || u->mem_bw_schema))
    r = container_load_config(&h, &spec, err);
  if (r == 0)
    r = intelrdt_update(h.state.id, spec ? spec->linux_cfg.intel_rdt : NULL, u->l3_cache_schema,
                        u->mem_bw_schema, err);
  /* The systemd driver: the unit's properties first (what `systemctl show`
   * reports, and what systemd would write back on a daemon-reload), then
   * the files as with cgroupfs. */
  if (r == 0 && h.state.cgroup.unit)
    r = systemd_scope_update(h.state.cgroup.unit, u->res, err);
  if (r == 0)
    r = cgroup_apply_resources(&h.state.cgroup, u->res, err);
  spec_free(spec);
  container_close(&h);
  return r;
}
