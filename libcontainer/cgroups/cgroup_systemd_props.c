/* linux.resources as the properties of a systemd scope unit, as runc sets
 * them on cgroup v2 (libcontainer/cgroups/systemd/v2.go): what `systemctl
 * show` reports for the container. The same limits are written into the
 * scope's cgroup files afterwards (cgroup_v2.c), which also covers what no
 * property expresses. Built apart from the D-Bus call, so that tests read
 * the list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/cgroups/cgroup_internal.h"
#include "libcontainer/cgroups/cgroup_systemd.h"
#include "libcontainer/util/cleanup.h"
#include "libcontainer/spec/spec.h"

/* systemd's default when only a quota is given (and the kernel's). */
#define DEFAULT_CPU_PERIOD 100000ULL
/* systemd keeps CPUQuota= in percent: round up to whole 10 ms per second,
 * so that the container may still set its own cpu.max below. */
#define CPU_QUOTA_STEP 10000ULL
#define MAX_CPUS (1 << 16)

static void add_u64(struct sd_props *p, const char *name, uint64_t v)
{
  sd_props_add(p, name, SD_PROP_U64)->u64 = v;
}

static void add_bool(struct sd_props *p, const char *name, bool v)
{
  sd_props_add(p, name, SD_PROP_BOOL)->b = v;
}

static void add_str(struct sd_props *p, const char *name, const char *v)
{
  sd_props_add(p, name, SD_PROP_STRING)->str = xstrdup(v);
}

/* A limit of -1 (or "max") is no limit: systemd's infinity. */
static uint64_t limit_u64(int64_t v)
{
  return v < 0 ? SD_INFINITY : (uint64_t)v;
}

static int memory_props(const struct spec_memory *m, struct sd_props *p, hrun_error *err)
{
  int64_t limit = m->limit.set ? m->limit.value : 0, swap = m->swap.set ? m->swap.value : 0;

  if (limit != 0)
    add_u64(p, "MemoryMax", limit_u64(limit));
  if (m->reservation.set && m->reservation.value != 0)
    add_u64(p, "MemoryLow", limit_u64(m->reservation.value));
  if (cg_v2_swap(limit, swap, &swap, err) < 0)
    return -1;
  if (swap != 0)
    add_u64(p, "MemorySwapMax", limit_u64(swap));
  return 0;
}

static void cpu_quota_props(const struct spec_cpu *c, struct sd_props *p)
{
  uint64_t period = c->period.set ? c->period.value : 0;
  int64_t quota = c->quota.set ? c->quota.value : 0;
  uint64_t per_sec = SD_INFINITY;

  if (period != 0)
    add_u64(p, "CPUQuotaPeriodUSec", period);
  if (quota == 0 && period == 0)
    return;
  if (quota > 0) {
    per_sec = (uint64_t)quota * 1000000ULL / (period ? period : DEFAULT_CPU_PERIOD);
    if (per_sec % CPU_QUOTA_STEP)
      per_sec = (per_sec / CPU_QUOTA_STEP + 1) * CPU_QUOTA_STEP;
  }
  add_u64(p, "CPUQuotaPerSecUSec", per_sec);
}

/* Sets bit n of the mask, growing it. */
static void mask_set(uint8_t **mask, size_t *n, unsigned long bit)
{
  size_t need = bit / 8 + 1;

  if (need > *n) {
    *mask = xrealloc(*mask, need);
    memset(*mask + *n, 0, need - *n);
    *n = need;
  }
  (*mask)[bit / 8] |= (uint8_t)(1u << (bit % 8));
}

int sd_cpu_mask(const char *list, uint8_t **mask, size_t *n, const char *field,
                hrun_error *err)
{
  const char *s = list;

  *mask = NULL;
  *n = 0;
  while (*s) {
    char *end;
    unsigned long lo = strtoul(s, &end, 10), hi = lo;
    if (end == s || lo >= MAX_CPUS)
      goto bad;
    if (*end == '-') {
      s = end + 1;
      hi = strtoul(s, &end, 10);
      if (end == s || hi < lo || hi >= MAX_CPUS)
        goto bad;
    }
    for (unsigned long b = lo; b <= hi; b++)
      mask_set(mask, n, b);
    if (*end != ',' && *end != '\0')
      goto bad;
    s = *end ? end + 1 : end;
  }
  return 0;
bad:
  free(*mask);
  *mask = NULL;
  *n = 0;
  return err_set(err, 0, "%s: \"%s\" is no list of numbers and ranges (\"0-3,5\")", field, list);
}

static int cpuset_prop(struct sd_props *p, const char *name, const char *list,
                       const char *field, hrun_error *err)
{
  uint8_t *mask;
  size_t n;
  struct sd_prop *e;

  if (!list || !*list)
    return 0;
  if (sd_cpu_mask(list, &mask, &n, field, err) < 0)
    return -1;
  e = sd_props_add(p, name, SD_PROP_BYTES);
  e->bytes = mask;
  e->n = n;
  return 0;
}

static int cpu_props(const struct spec_cpu *c, struct sd_props *p, hrun_error *err)
{
  if (c->shares.set && c->shares.value != 0)
    add_u64(p, "CPUWeight", cg_v2_cpu_weight(c->shares.value));
  cpu_quota_props(c, p);
  if (cpuset_prop(p, "AllowedCPUs", c->cpus, "linux.resources.cpu.cpus", err) < 0)
    return -1;
  return cpuset_prop(p, "AllowedMemoryNodes", c->mems, "linux.resources.cpu.mems", err);
}

/* linux.resources.unified keys systemd has a property for. */
static int unified_props(const struct spec_resources *r, struct sd_props *p, hrun_error *err)
{
  static const struct { const char *key, *prop; } map[] = {
      {"memory.high", "MemoryHigh"}, {"memory.max", "MemoryMax"}, {"memory.low", "MemoryLow"},
      {"memory.swap.max", "MemorySwapMax"}, {"pids.max", "TasksMax"},
  };

  for (size_t i = 0; i < r->n_unified; i++) {
    for (size_t k = 0; k < sizeof(map) / sizeof(map[0]); k++) {
      const char *v = r->unified[i].value;
      char *end;
      unsigned long long n;
      if (strcmp(r->unified[i].key, map[k].key) != 0)
        continue;
      n = strcmp(v, "max") == 0 ? SD_INFINITY : strtoull(v, &end, 10);
      if (strcmp(v, "max") != 0 && (end == v || *end || v[0] == '-'))
        return err_set(err, 0, "linux.resources.unified.%s: \"%s\" is no number nor \"max\"",
                       map[k].key, v);
      add_u64(p, map[k].prop, n);
    }
  }
  return 0;
}

int sd_props_from_resources(const struct spec_resources *r, struct sd_props *out,
                            hrun_error *err)
{
  if (!r)
    return 0;
  if (r->has_memory && memory_props(&r->memory, out, err) < 0)
    return -1;
  if (r->has_cpu && cpu_props(&r->cpu, out, err) < 0)
    return -1;
  if (r->has_pids && r->pids.limit.set && r->pids.limit.value != 0)
    add_u64(out, "TasksMax", limit_u64(r->pids.limit.value));
  if (r->has_block_io && r->block_io.weight.set && r->block_io.weight.value != 0)
    add_u64(out, "IOWeight", cg_v2_io_weight(r->block_io.weight.value, false));
  sd_devices_props(r, out);
  return unified_props(r, out, err);
}

int sd_props_for_start(const struct systemd_scope *s, const char *id, pid_t pid,
                       const struct spec_resources *res, struct sd_props *out, hrun_error *err)
{
  cleanup_free char *desc = xasprintf("hrun container %s", id);
  static const char *const accounting[] = {"MemoryAccounting", "CPUAccounting",
                                           "IOAccounting", "TasksAccounting"};
  struct sd_prop *pids;
  uint32_t v = (uint32_t)pid;

  memset(out, 0, sizeof(*out));
  add_str(out, "Description", desc);
  add_str(out, "Slice", s->slice);
  /* The scope is the container's: hrun writes its files, the container may
   * make cgroups below it. */
  add_bool(out, "Delegate", true);
  /* No ordering against shutdown.target and the like: a container is
   * stopped by its engine, not by systemd's default dependencies. */
  add_bool(out, "DefaultDependencies", false);
  for (size_t i = 0; i < sizeof(accounting) / sizeof(accounting[0]); i++)
    add_bool(out, accounting[i], true);
  pids = sd_props_add(out, "PIDs", SD_PROP_PIDS);
  pids->bytes = xmalloc0(sizeof(v));
  memcpy(pids->bytes, &v, sizeof(v));
  pids->n = 1;
  if (sd_props_from_resources(res, out, err) < 0) {
    sd_props_free(out);
    return -1;
  }
  return 0;
}
