/* config.json "linux.resources" (cgroup settings). */
#include "libcontainer/spec/spec.h"

#include <string.h>

#include "libcontainer/util/json.h"
#include "libcontainer/util/arena.h"
#include "libcontainer/spec/spec_read.h"

static const struct rd_name rule_types[] = {
    {"a", 'a'}, {"c", 'c'}, {"b", 'b'}, {NULL, 0},
};

static const char *const throttle_keys[THROTTLE_KIND_COUNT] = {
    [THROTTLE_READ_BPS] = "throttleReadBpsDevice",
    [THROTTLE_WRITE_BPS] = "throttleWriteBpsDevice",
    [THROTTLE_READ_IOPS] = "throttleReadIOPSDevice",
    [THROTTLE_WRITE_IOPS] = "throttleWriteIOPSDevice",
};

/* "access": any of r, w, m, stored in that order ("" = all). */
static int read_access(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                       char access[4])
{
  static const char letters[] = "rwm";
  bool want[3] = {false, false, false};
  const char *p;
  char *s;
  int i, n = 0;

  if (rd_string(r, obj, at, "access", &s) < 0)
    return -1;
  for (p = s; p && *p; p++) {
    const char *l = strchr(letters, *p);

    if (!l)
      return rd_error(r, JPATH_KEY(at, "access"),
                      "invalid access \"%s\" (expected a combination of r, w and m)", s);
    want[l - letters] = true;
  }
  for (i = 0; i < 3; i++)
    if (want[i])
      access[n++] = letters[i];
  access[n] = '\0';
  return 0;
}

static int read_device_rule(struct spec_reader *r, const json_value *obj,
                            const struct jpath *at, void *item)
{
  struct spec_device_rule *d = item;
  opt_i64 major, minor;
  long type = 'a';

  if (rd_bool_req(r, obj, at, "allow", &d->allow) < 0 ||
      rd_enum(r, obj, at, "type", rule_types, "device type", &type) < 0 ||
      rd_int(r, obj, at, "major", 64, &major) < 0 ||
      rd_int(r, obj, at, "minor", 64, &minor) < 0 || read_access(r, obj, at, d->access) < 0)
    return -1;
  d->type = (char)type;
  d->major = major.set ? major.value : -1;
  d->minor = minor.set ? minor.value : -1;
  return 0;
}

static int read_memory(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                       struct spec_resources *res)
{
  const struct jpath *here = JPATH_KEY(at, "memory");
  struct spec_memory *m = &res->memory;
  const json_value *mem;

  if (rd_object(r, obj, at, "memory", &mem) < 0)
    return -1;
  res->has_memory = mem != NULL;
  if (!mem)
    return 0;
  if (rd_int(r, mem, here, "limit", 64, &m->limit) < 0 ||
      rd_int(r, mem, here, "reservation", 64, &m->reservation) < 0 ||
      rd_int(r, mem, here, "swap", 64, &m->swap) < 0 ||
      rd_int(r, mem, here, "kernel", 64, &m->kernel) < 0 ||
      rd_int(r, mem, here, "kernelTCP", 64, &m->kernel_tcp) < 0 ||
      rd_uint(r, mem, here, "swappiness", 64, &m->swappiness) < 0 ||
      rd_opt_bool(r, mem, here, "disableOOMKiller", &m->disable_oom_killer) < 0 ||
      rd_opt_bool(r, mem, here, "useHierarchy", &m->use_hierarchy) < 0 ||
      rd_opt_bool(r, mem, here, "checkBeforeUpdate", &m->check_before_update) < 0)
    return -1;
  if (m->swappiness.value > 100)
    return rd_must(r, JPATH_KEY(here, "swappiness"), "be at most 100");
  return 0;
}

static int read_cpu(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                    struct spec_resources *res)
{
  const struct jpath *here = JPATH_KEY(at, "cpu");
  struct spec_cpu *c = &res->cpu;
  const json_value *cpu;

  if (rd_object(r, obj, at, "cpu", &cpu) < 0)
    return -1;
  res->has_cpu = cpu != NULL;
  if (!cpu)
    return 0;
  if (rd_uint(r, cpu, here, "shares", 64, &c->shares) < 0 ||
      rd_int(r, cpu, here, "quota", 64, &c->quota) < 0 ||
      rd_uint(r, cpu, here, "burst", 64, &c->burst) < 0 ||
      rd_uint(r, cpu, here, "period", 64, &c->period) < 0 ||
      rd_int(r, cpu, here, "realtimeRuntime", 64, &c->realtime_runtime) < 0 ||
      rd_uint(r, cpu, here, "realtimePeriod", 64, &c->realtime_period) < 0 ||
      rd_string(r, cpu, here, "cpus", &c->cpus) < 0 ||
      rd_string(r, cpu, here, "mems", &c->mems) < 0 ||
      rd_int(r, cpu, here, "idle", 64, &c->idle) < 0)
    return -1;
  return 0;
}

static int read_pids(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                     struct spec_resources *res)
{
  const json_value *pids;

  if (rd_object(r, obj, at, "pids", &pids) < 0)
    return -1;
  res->has_pids = pids != NULL;
  /* Optional since runtime-spec 1.3: absent = leave pids.max alone. */
  return rd_int(r, pids, JPATH_KEY(at, "pids"), "limit", 64, &res->pids.limit);
}

static int read_weight_device(struct spec_reader *r, const json_value *obj,
                              const struct jpath *at, void *item)
{
  struct spec_weight_device *d = item;

  if (rd_int_req(r, obj, at, "major", &d->major) < 0 ||
      rd_int_req(r, obj, at, "minor", &d->minor) < 0 ||
      rd_uint(r, obj, at, "weight", 16, &d->weight) < 0 ||
      rd_uint(r, obj, at, "leafWeight", 16, &d->leaf_weight) < 0)
    return -1;
  if (!d->weight.set && !d->leaf_weight.set)
    return rd_must(r, at, "set weight or leafWeight");
  return 0;
}

static int read_throttle_device(struct spec_reader *r, const json_value *obj,
                                const struct jpath *at, void *item)
{
  struct spec_throttle_device *d = item;

  if (rd_int_req(r, obj, at, "major", &d->major) < 0 ||
      rd_int_req(r, obj, at, "minor", &d->minor) < 0 ||
      rd_uint_req(r, obj, at, "rate", 64, &d->rate) < 0)
    return -1;
  return 0;
}

static int read_block_io(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                         struct spec_resources *res)
{
  const struct jpath *here = JPATH_KEY(at, "blockIO");
  struct spec_blkio *b = &res->block_io;
  const json_value *io;
  int k;

  if (rd_object(r, obj, at, "blockIO", &io) < 0)
    return -1;
  res->has_block_io = io != NULL;
  if (!io)
    return 0;
  if (rd_uint(r, io, here, "weight", 16, &b->weight) < 0 ||
      rd_uint(r, io, here, "leafWeight", 16, &b->leaf_weight) < 0 ||
      rd_objects(r, io, here, "weightDevice", sizeof(struct spec_weight_device),
                 read_weight_device, (void **)&b->weight_devices, &b->n_weight_devices) < 0)
    return -1;
  for (k = 0; k < THROTTLE_KIND_COUNT; k++)
    if (rd_objects(r, io, here, throttle_keys[k], sizeof(struct spec_throttle_device),
                   read_throttle_device, (void **)&b->throttle[k], &b->n_throttle[k]) < 0)
      return -1;
  return 0;
}

static int read_hugepage_limit(struct spec_reader *r, const json_value *obj,
                               const struct jpath *at, void *item)
{
  struct spec_hugepage_limit *h = item;

  if (rd_string_req(r, obj, at, "pageSize", &h->page_size) < 0 ||
      rd_uint_req(r, obj, at, "limit", 64, &h->limit) < 0)
    return -1;
  return 0;
}

static int read_net_priority(struct spec_reader *r, const json_value *obj,
                             const struct jpath *at, void *item)
{
  struct spec_net_priority *p = item;

  if (rd_string_req(r, obj, at, "name", &p->name) < 0 ||
      rd_u32_req(r, obj, at, "priority", &p->priority) < 0)
    return -1;
  return 0;
}

static int read_network(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                        struct spec_resources *res)
{
  const struct jpath *here = JPATH_KEY(at, "network");
  struct spec_network *n = &res->network;
  const json_value *net;

  if (rd_object(r, obj, at, "network", &net) < 0)
    return -1;
  res->has_network = net != NULL;
  if (!net)
    return 0;
  if (rd_uint(r, net, here, "classID", 32, &n->class_id) < 0 ||
      rd_objects(r, net, here, "priorities", sizeof(struct spec_net_priority),
                 read_net_priority, (void **)&n->priorities, &n->n_priorities) < 0)
    return -1;
  return 0;
}

int spec_read_resources(struct spec_reader *r, const json_value *obj,
                        const struct jpath *at, struct spec_resources *res)
{
  if (rd_objects(r, obj, at, "devices", sizeof(struct spec_device_rule), read_device_rule,
                 (void **)&res->devices, &res->n_devices) < 0 ||
      read_memory(r, obj, at, res) < 0 || read_cpu(r, obj, at, res) < 0 ||
      read_pids(r, obj, at, res) < 0 || read_block_io(r, obj, at, res) < 0 ||
      rd_objects(r, obj, at, "hugepageLimits", sizeof(struct spec_hugepage_limit),
                 read_hugepage_limit, (void **)&res->hugepage_limits,
                 &res->n_hugepage_limits) < 0 ||
      read_network(r, obj, at, res) < 0 ||
      rd_string_map(r, obj, at, "unified", &res->unified, &res->n_unified) < 0)
    return -1;
  return 0;
}

int spec_parse_resources(const char *text, size_t len, struct arena *arena,
                         struct spec_resources **out, hrun_error *err)
{
  struct spec_reader r = {.arena = arena, .err = err};
  struct spec_resources *res;
  json_value *doc;
  int ret;

  /* A file of its own (`update --resources`): paths start at its top. */
  doc = rd_parse(&r, text, len, NULL);
  if (!doc)
    return err_kind(err, HRUN_ERR_INVALID_CONFIG);
  res = arena_alloc(arena, sizeof(*res));
  ret = spec_read_resources(&r, doc, NULL, res);
  json_free(doc);
  if (ret < 0)
    return err_kind(err, HRUN_ERR_INVALID_CONFIG);
  *out = res;
  return 0;
}
