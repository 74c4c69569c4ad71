/* The files both cgroup versions name the same way (cpuset, pids,
 * hugetlb) and the memory check both run before an update. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/cgroups/cgroup_internal.h"
#include "libcontainer/util/cleanup.h"
#include "libcontainer/util/log.h"

int cg_cpuset(const char *dir, const struct spec_resources *r, hrun_error *err)
{
  if (r->cpu.cpus && *r->cpu.cpus && cg_write(dir, "cpuset.cpus", r->cpu.cpus, "cpus", err) < 0)
    return -1;
  if (r->cpu.mems && *r->cpu.mems && cg_write(dir, "cpuset.mems", r->cpu.mems, "mems", err) < 0)
    return -1;
  return 0;
}

/* -1 and 0 both mean no limit. */
int cg_pids_max(const char *dir, const struct spec_resources *r, hrun_error *err)
{
  int64_t v = r->pids.limit.value;
  char buf[24];

  return cg_write(dir, "pids.max", cg_limit_str(v <= 0 ? -1 : v, buf), "pids limit", err);
}

int cg_hugetlb(const char *dir, const struct spec_resources *r, const char *limit_suffix,
               const char *rsvd_suffix, hrun_error *err)
{
  for (size_t i = 0; i < r->n_hugepage_limits; i++) {
    const struct spec_hugepage_limit *h = &r->hugepage_limits[i];
    const char *size = h->page_size ? h->page_size : "";
    cleanup_free char *file = NULL, *rsvd = NULL;

    if (!*size || strchr(size, '/'))
      return err_set(err, 0, "linux.resources.hugepageLimits: invalid pageSize \"%s\"", size);
    file = xasprintf("hugetlb.%s.%s", size, limit_suffix);
    rsvd = xasprintf("hugetlb.%s.%s", size, rsvd_suffix);
    if (!cg_exists(dir, file))
      return err_set(err, 0, "linux.resources.hugepageLimits: page size %s is not supported "
                     "(no %s/%s)", size, dir, file);
    if (cg_writef(dir, file, "hugepage limit", err, "%llu", (unsigned long long)h->limit) < 0)
      return -1;
    if (cg_exists(dir, rsvd) &&
        cg_writef(dir, rsvd, "hugepage limit", err, "%llu", (unsigned long long)h->limit) < 0)
      return -1;
  }
  return 0;
}

/* checkBeforeUpdate: a limit below the current usage would make the kernel
 * reclaim hard or OOM-kill right away; refuse it instead. */
int cg_check_memory(const char *dir, const struct spec_memory *m, const char *usage_file,
                    hrun_error *err)
{
  cleanup_free char *usage = NULL;

  if (!m->check_before_update.value || !m->limit.set || m->limit.value <= 0)
    return 0;
  if (cg_read(dir, usage_file, &usage, err) < 0)
    return -1;
  if ((unsigned long long)m->limit.value < strtoull(usage, NULL, 10))
    return err_set(err, 0, "linux.resources.memory.limit: %lld is below the current usage %s "
                   "(checkBeforeUpdate)", (long long)m->limit.value, usage);
  return 0;
}
