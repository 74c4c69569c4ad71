/* config.json linux.netDevices and linux.intelRdt. */
#include "libcontainer/spec/spec.h"

#include <net/if.h>
#include <sched.h>
#include <string.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/util/json.h"
#include "libcontainer/spec/spec_read.h"

/* What the kernel takes as an interface name (dev_valid_name): 1 to 15
 * bytes, not "." or "..", no '/', ':' or white space. */
static bool valid_ifname(const char *name)
{
  size_t len = strlen(name);

  if (len == 0 || len >= IFNAMSIZ || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
    return false;
  return strpbrk(name, "/: \t\n\v\f\r") == NULL;
}

static bool has_netns(const struct spec_linux *lx)
{
  size_t i;

  for (i = 0; i < lx->n_namespaces; i++)
    if (lx->namespaces[i].type == CLONE_NEWNET)
      return true;
  return false;
}

static int read_net_device(struct spec_reader *r, const json_value *dev,
                           const struct jpath *at, struct spec_net_device *out)
{
  if (!valid_ifname(out->host_name))
    return rd_error(r, at, "\"%s\" is not a valid interface name", out->host_name);
  if (json_type_of(dev) != JSON_OBJECT)
    return rd_error(r, at, "expected an object");
  if (rd_string(r, dev, at, "name", &out->name) < 0)
    return -1;
  if (out->name && !out->name[0])
    out->name = NULL; /* "": keep the host's name, as runc */
  if (out->name && !valid_ifname(out->name))
    return rd_error(r, JPATH_KEY(at, "name"), "\"%s\" is not a valid interface name",
                    out->name);
  return 0;
}

int spec_read_net_devices(struct spec_reader *r, const json_value *obj,
                          const struct jpath *at, struct spec_linux *lx)
{
  const struct jpath *here = JPATH_KEY(at, "netDevices");
  const json_value *devs;
  size_t i, n;

  if (rd_object(r, obj, at, "netDevices", &devs) < 0)
    return -1;
  n = devs ? json_object_size(devs) : 0;
  if (n == 0)
    return 0;
  /* Moving a host interface into the runtime's own namespace is no move. */
  if (!has_netns(lx))
    return rd_error(r, here, "requires a network namespace in linux.namespaces");
  lx->net_devices = arena_calloc(r->arena, n, sizeof(*lx->net_devices));
  for (i = 0; i < n; i++) {
    const char *key = json_object_key(devs, i);

    lx->net_devices[i].host_name = arena_strdup(r->arena, key);
    if (read_net_device(r, json_object_value(devs, i), JPATH_KEY(here, key),
                        &lx->net_devices[i]) < 0)
      return -1;
  }
  lx->n_net_devices = n;
  return 0;
}

int spec_read_intel_rdt(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                        struct spec_linux *lx)
{
  const struct jpath *here = JPATH_KEY(at, "intelRdt");
  struct spec_intel_rdt *rdt;
  const json_value *v;
  bool cmt = false, mbm = false;

  if (rd_object(r, obj, at, "intelRdt", &v) < 0)
    return -1;
  if (!v)
    return 0;
  rdt = arena_calloc(r->arena, 1, sizeof(*rdt));
  if (rd_string(r, v, here, "closID", &rdt->clos_id) < 0 ||
      rd_string(r, v, here, "l3CacheSchema", &rdt->l3_cache_schema) < 0 ||
      rd_string(r, v, here, "memBwSchema", &rdt->mem_bw_schema) < 0 ||
      rd_strv(r, v, here, "schemata", &rdt->schemata) < 0 ||
      rd_bool(r, v, here, "enableMonitoring", &rdt->enable_monitoring) < 0 ||
      rd_bool(r, v, here, "enableCMT", &cmt) < 0 || rd_bool(r, v, here, "enableMBM", &mbm) < 0)
    return -1;
  rdt->enable_monitoring |= cmt || mbm;
  if (rdt->clos_id && !rdt->clos_id[0])
    rdt->clos_id = NULL;
  /* It names a directory under the resctrl root. */
  if (rdt->clos_id && (strcmp(rdt->clos_id, ".") == 0 || strcmp(rdt->clos_id, "..") == 0 ||
                       strchr(rdt->clos_id, '/') || strchr(rdt->clos_id, '\n')))
    return rd_error(r, JPATH_KEY(here, "closID"), "\"%s\" is not a valid group name",
                    rdt->clos_id);
  lx->intel_rdt = rdt;
  return 0;
}
