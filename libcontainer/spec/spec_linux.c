/* config.json "linux", except "resources" (spec_resources.c) and "seccomp"
 * (spec_seccomp.c). */
#include "libcontainer/spec/spec.h"

#include <string.h>
#include <sys/personality.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/util/json.h"
#include "libcontainer/spec/mountopts.h"
#include "libcontainer/spec/spec_read.h"

static const struct rd_name device_types[] = {
    {"c", 'c'}, {"b", 'b'}, {"u", 'u'}, {"p", 'p'}, {NULL, 0},
};

static const struct rd_name personality_domains[] = {
    {"LINUX", PER_LINUX}, {"LINUX32", PER_LINUX32}, {NULL, 0},
};

/* runtime-spec 1.3 defines no personality flag yet. */
static const struct rd_name personality_flags[] = {{NULL, 0}};

static int read_namespace(struct spec_reader *r, const json_value *obj,
                          const struct jpath *at, void *item)
{
  struct spec_namespace *ns = item;
  long type;

  if (rd_enum_req(r, obj, at, "type", spec_namespace_names, "namespace type", &type) < 0 ||
      rd_abs_path(r, obj, at, "path", &ns->path) < 0)
    return -1;
  ns->type = (int)type;
  return 0;
}

static int read_namespaces(struct spec_reader *r, const json_value *obj,
                           const struct jpath *at, struct spec_linux *lx)
{
  const struct jpath *here = JPATH_KEY(at, "namespaces");
  int seen = 0;
  size_t i;

  if (rd_objects(r, obj, at, "namespaces", sizeof(struct spec_namespace), read_namespace,
                 (void **)&lx->namespaces, &lx->n_namespaces) < 0)
    return -1;
  for (i = 0; i < lx->n_namespaces; i++) {
    int type = lx->namespaces[i].type;

    if (seen & type)
      return rd_error(r, JPATH_KEY(JPATH_INDEX(here, i), "type"),
                      "duplicate namespace \"%s\"", spec_namespace_name(type));
    seen |= type;
  }
  return 0;
}

static int read_id_mapping(struct spec_reader *r, const json_value *obj,
                           const struct jpath *at, void *item)
{
  struct spec_id_mapping *m = item;

  if (rd_u32_req(r, obj, at, "containerID", &m->container_id) < 0 ||
      rd_u32_req(r, obj, at, "hostID", &m->host_id) < 0 ||
      rd_u32_req(r, obj, at, "size", &m->size) < 0)
    return -1;
  return 0;
}

int spec_read_id_mappings(struct spec_reader *r, const json_value *obj,
                          const struct jpath *at, const char *key,
                          struct spec_id_mapping **out, size_t *n)
{
  return rd_objects(r, obj, at, key, sizeof(struct spec_id_mapping), read_id_mapping,
                    (void **)out, n);
}

static int read_device(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                       void *item)
{
  struct spec_device *d = item;
  opt_i64 major, minor;
  long type;

  if (rd_enum_req(r, obj, at, "type", device_types, "device type", &type) < 0 ||
      rd_abs_path_req(r, obj, at, "path", &d->path) < 0 ||
      rd_int(r, obj, at, "major", 64, &major) < 0 ||
      rd_int(r, obj, at, "minor", 64, &minor) < 0)
    return -1;
  d->type = (char)type;
  /* A fifo has no device number. */
  if (d->type != 'p' && !major.set)
    return rd_required(r, JPATH_KEY(at, "major"));
  if (d->type != 'p' && !minor.set)
    return rd_required(r, JPATH_KEY(at, "minor"));
  d->major = major.value;
  d->minor = minor.value;
  if (rd_uint(r, obj, at, "fileMode", 32, &d->file_mode) < 0 ||
      rd_uint(r, obj, at, "uid", 32, &d->uid) < 0 ||
      rd_uint(r, obj, at, "gid", 32, &d->gid) < 0)
    return -1;
  return 0;
}

static int read_resources(struct spec_reader *r, const json_value *obj,
                          const struct jpath *at, struct spec_linux *lx)
{
  const json_value *res;

  if (rd_object(r, obj, at, "resources", &res) < 0)
    return -1;
  lx->has_resources = res != NULL;
  if (!res)
    return 0;
  return spec_read_resources(r, res, JPATH_KEY(at, "resources"), &lx->resources);
}

static int read_propagation(struct spec_reader *r, const json_value *obj,
                            const struct jpath *at, struct spec_linux *lx)
{
  char *name;

  if (rd_string(r, obj, at, "rootfsPropagation", &name) < 0)
    return -1;
  if (!name)
    return 0;
  lx->rootfs_propagation = mountopts_propagation(name);
  if (!lx->rootfs_propagation)
    return rd_error(r, JPATH_KEY(at, "rootfsPropagation"), "unknown propagation \"%s\"",
                    name);
  return 0;
}

static int read_seccomp(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                        struct spec_linux *lx)
{
  const json_value *seccomp;

  if (rd_object(r, obj, at, "seccomp", &seccomp) < 0)
    return -1;
  if (!seccomp)
    return 0;
  lx->seccomp = arena_alloc(r->arena, sizeof(*lx->seccomp));
  return spec_read_seccomp(r, seccomp, JPATH_KEY(at, "seccomp"), lx->seccomp);
}

static int read_time_offset(struct spec_reader *r, const json_value *obj,
                            const struct jpath *at, struct spec_time_offset *t)
{
  opt_i64 secs;
  opt_u64 nanosecs;

  if (rd_int(r, obj, at, "secs", 64, &secs) < 0 ||
      rd_uint(r, obj, at, "nanosecs", 32, &nanosecs) < 0)
    return -1;
  if (nanosecs.value >= 1000000000)
    return rd_must(r, JPATH_KEY(at, "nanosecs"), "be less than 1000000000");
  t->set = true;
  t->secs = secs.value;
  t->nanosecs = (uint32_t)nanosecs.value;
  return 0;
}

static int read_time_offsets(struct spec_reader *r, const json_value *obj,
                             const struct jpath *at, struct spec_linux *lx)
{
  const struct jpath *here = JPATH_KEY(at, "timeOffsets");
  const json_value *offsets, *v;
  size_t i;

  if (rd_object(r, obj, at, "timeOffsets", &offsets) < 0)
    return -1;
  for (i = 0; offsets && i < json_object_size(offsets); i++) {
    const char *clock = json_object_key(offsets, i);
    struct spec_time_offset *t = strcmp(clock, "monotonic") == 0  ? &lx->time_monotonic
                                 : strcmp(clock, "boottime") == 0 ? &lx->time_boottime
                                                                  : NULL;

    if (!t)
      return rd_error(r, here, "unknown clock \"%s\"", clock);
    if (rd_object(r, offsets, here, clock, &v) < 0)
      return -1;
    if (v && read_time_offset(r, v, JPATH_KEY(here, clock), t) < 0)
      return -1;
  }
  return 0;
}

static int read_personality(struct spec_reader *r, const json_value *obj,
                            const struct jpath *at, struct spec_linux *lx)
{
  const struct jpath *here = JPATH_KEY(at, "personality");
  const json_value *p;
  struct spec_strv flags;
  long domain;

  if (rd_object(r, obj, at, "personality", &p) < 0)
    return -1;
  if (!p)
    return 0;
  if (rd_enum_req(r, p, here, "domain", personality_domains, "personality domain",
                  &domain) < 0 ||
      rd_strv_enum(r, p, here, "flags", personality_flags, "personality flag", &flags) < 0)
    return -1;
  lx->personality.set = true;
  lx->personality.value = (uint64_t)domain;
  return 0;
}

int spec_read_linux(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                    struct spec_linux *lx)
{
  if (read_namespaces(r, obj, at, lx) < 0 ||
      spec_read_id_mappings(r, obj, at, "uidMappings", &lx->uid_mappings,
                            &lx->n_uid_mappings) < 0 ||
      spec_read_id_mappings(r, obj, at, "gidMappings", &lx->gid_mappings,
                            &lx->n_gid_mappings) < 0 ||
      rd_objects(r, obj, at, "devices", sizeof(struct spec_device), read_device,
                 (void **)&lx->devices, &lx->n_devices) < 0 ||
      rd_string(r, obj, at, "cgroupsPath", &lx->cgroups_path) < 0 ||
      read_resources(r, obj, at, lx) < 0 ||
      rd_string_map(r, obj, at, "sysctl", &lx->sysctl, &lx->n_sysctl) < 0 ||
      rd_strv_abs(r, obj, at, "maskedPaths", &lx->masked_paths) < 0 ||
      rd_strv_abs(r, obj, at, "readonlyPaths", &lx->readonly_paths) < 0 ||
      read_propagation(r, obj, at, lx) < 0 ||
      rd_string(r, obj, at, "mountLabel", &lx->mount_label) < 0 ||
      read_seccomp(r, obj, at, lx) < 0 || read_time_offsets(r, obj, at, lx) < 0 ||
      read_personality(r, obj, at, lx) < 0 || spec_read_net_devices(r, obj, at, lx) < 0 ||
      spec_read_intel_rdt(r, obj, at, lx) < 0 ||
      spec_read_memory_policy(r, obj, at, &lx->memory_policy) < 0)
    return -1;
  return 0;
}
