/* The property list of a systemd unit, as the D-Bus call sends it: both
 * the resource properties (cgroup_systemd_props.c) and the device ones
 * (cgroup_systemd_devices.c) add to it. */
#include <stdlib.h>
#include <string.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/cgroups/cgroup_systemd.h"
#include "libcontainer/util/cleanup.h"

struct sd_prop *sd_props_add(struct sd_props *p, const char *name, enum sd_prop_type type)
{
  struct sd_prop *e;

  p->v = xrealloc(p->v, (p->n + 1) * sizeof(*p->v));
  e = &p->v[p->n++];
  memset(e, 0, sizeof(*e));
  e->name = name;
  e->type = type;
  return e;
}

const struct sd_prop *sd_props_find(const struct sd_props *p, const char *name)
{
  const struct sd_prop *found = NULL;

  /* The last one: systemd applies them in order. */
  for (size_t i = 0; i < p->n; i++)
    if (strcmp(p->v[i].name, name) == 0)
      found = &p->v[i];
  return found;
}

void sd_props_free(struct sd_props *p)
{
  for (size_t i = 0; i < p->n; i++) {
    free(p->v[i].str);
    free(p->v[i].bytes);
    for (size_t k = 0; p->v[i].devices && k < p->v[i].n; k++)
      free(p->v[i].devices[k].path);
    free(p->v[i].devices);
  }
  free(p->v);
  memset(p, 0, sizeof(*p));
}
