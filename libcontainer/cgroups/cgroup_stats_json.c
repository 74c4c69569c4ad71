/* The stats as runc's `events` prints them: its types.Stats (runc
 * types/events.go) encoded by Go's encoding/json. Go's rules decide the
 * shape: a struct member is always there even when tagged omitempty, a
 * number or list tagged omitempty is left out when zero or empty, map keys
 * are sorted. Callers compare these keys with runc's, so each omission
 * here follows one tag there. */
#include "libcontainer/cgroups/cgroup_stats.h"

#include "libcontainer/util/json.h"

/* A member tagged omitempty. */
static void opt_uint(json_writer *w, const char *key, uint64_t v)
{
  if (v) {
    jw_key(w, key);
    jw_uint(w, v);
  }
}

static void req_uint(json_writer *w, const char *key, uint64_t v)
{
  jw_key(w, key);
  jw_uint(w, v);
}

static void opt_list(json_writer *w, const char *key, const struct cgroup_u64_list *l)
{
  if (l->n == 0)
    return;
  jw_key(w, key);
  jw_array_begin(w);
  for (size_t i = 0; i < l->n; i++)
    jw_uint(w, l->v[i]);
  jw_array_end(w);
}

static void write_cpu(json_writer *w, const struct cgroup_stats *s)
{
  jw_key(w, "cpu");
  jw_object_begin(w);
  jw_key(w, "usage");
  jw_object_begin(w);
  opt_uint(w, "total", s->cpu.total);
  opt_list(w, "percpu", &s->cpu.percpu);
  opt_list(w, "percpu_kernel", &s->cpu.percpu_kernel);
  opt_list(w, "percpu_user", &s->cpu.percpu_user);
  req_uint(w, "kernel", s->cpu.kernel);
  req_uint(w, "user", s->cpu.user);
  jw_object_end(w);
  jw_key(w, "throttling");
  jw_object_begin(w);
  opt_uint(w, "periods", s->cpu.periods);
  opt_uint(w, "throttledPeriods", s->cpu.throttled_periods);
  opt_uint(w, "throttledTime", s->cpu.throttled_time);
  jw_object_end(w);
  jw_object_end(w);
}

static void write_cpuset(json_writer *w, const struct cgroup_stats *s)
{
  jw_key(w, "cpuset");
  jw_object_begin(w);
  opt_list(w, "cpus", &s->cpuset.cpus);
  req_uint(w, "cpu_exclusive", s->cpuset.cpu_exclusive);
  opt_list(w, "mems", &s->cpuset.mems);
  req_uint(w, "mem_hardwall", s->cpuset.mem_hardwall);
  req_uint(w, "mem_exclusive", s->cpuset.mem_exclusive);
  req_uint(w, "memory_migrate", s->cpuset.memory_migrate);
  req_uint(w, "memory_spread_page", s->cpuset.memory_spread_page);
  req_uint(w, "memory_spread_slab", s->cpuset.memory_spread_slab);
  req_uint(w, "memory_pressure", s->cpuset.memory_pressure);
  req_uint(w, "sched_load_balance", s->cpuset.sched_load_balance);
  jw_key(w, "sched_relax_domain_level");
  jw_int(w, s->cpuset.sched_relax_domain_level);
  jw_object_end(w);
}

static void write_mem_entry(json_writer *w, const char *key, const struct cgroup_mem_data *m)
{
  jw_key(w, key);
  jw_object_begin(w);
  req_uint(w, "limit", m->limit);
  opt_uint(w, "usage", m->usage);
  opt_uint(w, "max", m->max);
  req_uint(w, "failcnt", m->failcnt);
  jw_object_end(w);
}

static void write_memory(json_writer *w, const struct cgroup_stats *s)
{
  jw_key(w, "memory");
  jw_object_begin(w);
  opt_uint(w, "cache", s->memory.cache);
  write_mem_entry(w, "usage", &s->memory.usage);
  write_mem_entry(w, "swap", &s->memory.swap);
  write_mem_entry(w, "kernel", &s->memory.kernel);
  write_mem_entry(w, "kernelTCP", &s->memory.kernel_tcp);
  if (s->memory.n_raw > 0) {
    jw_key(w, "raw");
    jw_object_begin(w);
    for (size_t i = 0; i < s->memory.n_raw; i++)
      req_uint(w, s->memory.raw[i].key, s->memory.raw[i].value);
    jw_object_end(w);
  }
  jw_object_end(w);
}

static void write_blkio(json_writer *w, const struct cgroup_stats *s)
{
  static const char *const keys[BLKIO_N_TABLES] = {
      [BLKIO_SERVICE_BYTES] = "ioServiceBytesRecursive",
      [BLKIO_SERVICED] = "ioServicedRecursive",
      [BLKIO_QUEUED] = "ioQueueRecursive",
      [BLKIO_SERVICE_TIME] = "ioServiceTimeRecursive",
      [BLKIO_WAIT_TIME] = "ioWaitTimeRecursive",
      [BLKIO_MERGED] = "ioMergedRecursive",
      [BLKIO_TIME] = "ioTimeRecursive",
      [BLKIO_SECTORS] = "sectorsRecursive",
  };

  jw_key(w, "blkio");
  jw_object_begin(w);
  for (int t = 0; t < BLKIO_N_TABLES; t++) {
    if (s->blkio[t].n == 0)
      continue;
    jw_key(w, keys[t]);
    jw_array_begin(w);
    for (size_t i = 0; i < s->blkio[t].n; i++) {
      const struct cgroup_blkio_entry *e = &s->blkio[t].e[i];
      jw_object_begin(w);
      opt_uint(w, "major", e->major);
      opt_uint(w, "minor", e->minor);
      if (e->op[0]) {
        jw_key(w, "op");
        jw_string(w, e->op);
      }
      opt_uint(w, "value", e->value);
      jw_object_end(w);
    }
    jw_array_end(w);
  }
  jw_object_end(w);
}

static void write_hugetlb(json_writer *w, const struct cgroup_stats *s)
{
  jw_key(w, "hugetlb");
  jw_object_begin(w);
  for (size_t i = 0; i < s->n_hugetlb; i++) {
    jw_key(w, s->hugetlb[i].size);
    jw_object_begin(w);
    opt_uint(w, "usage", s->hugetlb[i].usage);
    opt_uint(w, "max", s->hugetlb[i].max);
    req_uint(w, "failcnt", s->hugetlb[i].failcnt);
    jw_object_end(w);
  }
  jw_object_end(w);
}

void cgroup_stats_to_json(json_writer *w, const struct cgroup_stats *s)
{
  jw_object_begin(w);
  write_cpu(w, s);
  write_cpuset(w, s);
  write_memory(w, s);
  jw_key(w, "pids");
  jw_object_begin(w);
  opt_uint(w, "current", s->pids.current);
  opt_uint(w, "limit", s->pids.limit);
  jw_object_end(w);
  write_blkio(w, s);
  write_hugetlb(w, s);
  /* runc fills intel_rdt only for a container with an intelRdt config on
   * a resctrl host, and network_interfaces only for veth interfaces it
   * made itself (never for an OCI config): {} and null otherwise. */
  jw_key(w, "intel_rdt");
  jw_object_begin(w);
  jw_object_end(w);
  jw_key(w, "network_interfaces");
  jw_null(w);
  jw_object_end(w);
}
