/* cgroup v2: enabling controllers down the tree, limits in v2 files with
 * the v1 -> v2 conversions runc and crun use, the "unified" map, the
 * freezer. The files v1 names the same way are in cgroup_common.c. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/cgroups/cgroup_internal.h"
#include "libcontainer/util/cleanup.h"
#include "libcontainer/util/log.h"

/* ---- controllers ------------------------------------------------------- */

static int enable_in(const char *dir, const char *const *ctrls, const char *const *fields,
                     size_t n, hrun_error *err)
{
  cleanup_free char *avail = NULL, *enabled = NULL;
  hrun_error tmp;

  if (cg_read(dir, "cgroup.controllers", &avail, err) < 0 ||
      cg_read(dir, "cgroup.subtree_control", &enabled, err) < 0)
    return -1;
  for (size_t i = 0; i < n; i++) {
    cleanup_free char *what = NULL;
    char plus[64];

    if (cg_list_has(enabled, ctrls[i], " "))
      continue;
    if (!cg_list_has(avail, ctrls[i], " ")) {
      if (fields[i])
        return err_set(err, 0, "%s: the %s controller is not available", fields[i], ctrls[i]);
      continue;
    }
    snprintf(plus, sizeof(plus), "+%s", ctrls[i]);
    what = xasprintf("%s: enable the %s controller", fields[i] ? fields[i] : "", ctrls[i]);
    if (cg_write(dir, "cgroup.subtree_control", plus, what, fields[i] ? err : &tmp) < 0 &&
        fields[i])
      return -1;
  }
  return 0;
}

/* Top-down from the hierarchy's root (where the filesystem changes): a
 * controller can be enabled only below a parent that has it enabled. */
static int enable_ancestors(const char *dir, dev_t dev, const char *const *ctrls,
                            const char *const *fields, size_t n, hrun_error *err)
{
  cleanup_free char *parent = xstrdup(dir);
  char *slash = strrchr(parent, '/');
  struct stat st;

  if (!slash || slash == parent)
    return 0;
  *slash = '\0';
  if (stat(parent, &st) < 0 || st.st_dev != dev)
    return 0;
  if (enable_ancestors(parent, dev, ctrls, fields, n, err) < 0)
    return -1;
  return enable_in(parent, ctrls, fields, n, err);
}

int cg_v2_enable(const char *dir, const char *const *ctrls, const char *const *fields,
                 size_t n, hrun_error *err)
{
  struct stat st;

  if (stat(dir, &st) < 0)
    return err_set(err, errno, "cgroup: stat %s", dir);
  return enable_ancestors(dir, st.st_dev, ctrls, fields, n, err);
}

/* ---- memory ------------------------------------------------------------ */

/* v1's swap is memory+swap, v2's swap alone (runc's
 * ConvertMemorySwapToCgroupV2Value). 0 = leave alone, -1 = max. */
int cg_v2_swap(int64_t limit, int64_t swap, int64_t *out, hrun_error *err)
{
  *out = limit == -1 && swap == 0 ? -1 : swap;
  if (swap == -1 || swap == 0)
    return 0;
  if (limit <= 0)
    return err_set(err, 0, "linux.resources.memory.swap: a swap limit needs a memory limit");
  if (swap < limit)
    return err_set(err, 0, "linux.resources.memory.swap: %lld is below the memory limit %lld "
                   "(it counts memory+swap)", (long long)swap, (long long)limit);
  *out = swap - limit;
  return 0;
}

int cg_v2_memory(const char *dir, const struct spec_resources *r, hrun_error *err)
{
  const struct spec_memory *m = &r->memory;
  int64_t limit = m->limit.set ? m->limit.value : 0, swap = m->swap.set ? m->swap.value : 0;
  char buf[24];

  if (cg_check_memory(dir, m, "memory.current", err) < 0 || cg_v2_swap(limit, swap, &swap, err) < 0)
    return -1;
  /* Implied by an unlimited memory limit only: fine without swap accounting. */
  if (swap != 0 && (m->swap.set || cg_exists(dir, "memory.swap.max")) &&
      cg_write(dir, "memory.swap.max", cg_limit_str(swap, buf), "memory swap", err) < 0)
    return -1;
  if (limit != 0 && cg_write(dir, "memory.max", cg_limit_str(limit, buf), "memory limit", err) < 0)
    return -1;
  if (m->reservation.set && m->reservation.value != 0 &&
      cg_write(dir, "memory.low", cg_limit_str(m->reservation.value, buf), "memory reservation",
               err) < 0)
    return -1;
  return 0;
}

/* ---- cpu --------------------------------------------------------------- */

/* The conversion of runc >= 1.3.2 (ConvertCPUSharesToCgroupV2Value in
 * github.com/opencontainers/cgroups >= 0.0.4) and crun >= 1.23
 * (convert_shares_to_weight): weight = ceil(10^((l^2 + 125 l) / 612 - 7/34))
 * with l = log2(shares), a quadratic in log space through v1's min, default
 * and max, so that 2 -> 1, 1024 (v1's default) -> 100 (v2's default) and
 * 262144 -> 10000. The older linear map (runc < 1.3.2, crun < 1.23) turned
 * the default 1024 into 39. Evaluated in double as crun does: over
 * [3, 262143] only 1024 has an exact integer result (100, exact in double
 * too), every other one is more than 1e-9 from an integer, so ceil cannot
 * differ from runc's Go evaluation. */
uint64_t cg_v2_cpu_weight(uint64_t shares)
{
  double l;

  if (shares == 0)
    return 0; /* unset */
  if (shares <= 2)
    return 1;
  if (shares >= 262144)
    return 10000;
  l = log2((double)shares);
  return (uint64_t)ceil(pow(10.0, (l * l + 125.0 * l) / 612.0 - 7.0 / 34.0));
}

/* "quota period"; a period alone keeps the quota already there. */
static int cpu_max(const char *dir, const struct spec_cpu *c, hrun_error *err)
{
  bool has_quota = c->quota.set && c->quota.value != 0;
  bool has_period = c->period.set && c->period.value != 0;
  cleanup_free char *cur = NULL;
  char quota[24] = "max";

  if (!has_quota && !has_period)
    return 0;
  if (has_quota && c->quota.value > 0)
    snprintf(quota, sizeof(quota), "%lld", (long long)c->quota.value);
  if (!has_quota && cg_read(dir, "cpu.max", &cur, err) == 0)
    snprintf(quota, sizeof(quota), "%.*s", (int)strcspn(cur, " "), cur);
  if (!has_period)
    return cg_write(dir, "cpu.max", quota, "cpu quota", err);
  return cg_writef(dir, "cpu.max", "cpu quota", err, "%s %llu", quota,
                   (unsigned long long)c->period.value);
}

int cg_v2_cpu(const char *dir, const struct spec_resources *r, hrun_error *err)
{
  const struct spec_cpu *c = &r->cpu;

  if ((c->realtime_runtime.set && c->realtime_runtime.value != 0) ||
      (c->realtime_period.set && c->realtime_period.value != 0))
    return err_set(err, 0, "linux.resources.cpu.realtimeRuntime/realtimePeriod: not "
                   "supported on cgroup v2");
  if (c->shares.set && c->shares.value != 0 &&
      cg_writef(dir, "cpu.weight", "cpu shares", err, "%llu",
                (unsigned long long)cg_v2_cpu_weight(c->shares.value)) < 0)
    return -1;
  if (cpu_max(dir, c, err) < 0)
    return -1;
  if (c->burst.set && cg_writef(dir, "cpu.max.burst", "cpu burst", err, "%llu",
                                (unsigned long long)c->burst.value) < 0)
    return -1;
  if (c->idle.set &&
      cg_writef(dir, "cpu.idle", "cpu idle", err, "%lld", (long long)c->idle.value) < 0)
    return -1;
  return 0;
}

/* ---- io ---------------------------------------------------------------- */

/* runc's ConvertBlkIOToIOWeightValue: [10, 1000] -> [1, 10000]. BFQ takes
 * the v1 value as it is. */
unsigned long long cg_v2_io_weight(unsigned long long w, bool bfq)
{
  if (bfq)
    return w;
  w = w < 10 ? 10 : w > 1000 ? 1000 : w;
  return 1 + (w - 10) * 9999 / 990;
}

static const char *const io_max_keys[THROTTLE_KIND_COUNT] = {"rbps", "wbps", "riops",
                                                              "wiops"};

/* A v1 rate of 0 removes the limit: "max" in v2. */
static int io_max(const char *dir, const struct spec_blkio *b, hrun_error *err)
{
  for (int k = 0; k < THROTTLE_KIND_COUNT; k++) {
    for (size_t i = 0; i < b->n_throttle[k]; i++) {
      const struct spec_throttle_device *t = &b->throttle[k][i];
      char rate[24];
      if (cg_writef(dir, "io.max", "blockIO throttle", err, "%lld:%lld %s=%s",
                    (long long)t->major, (long long)t->minor, io_max_keys[k],
                    cg_limit_str(t->rate ? (int64_t)t->rate : -1, rate)) < 0)
        return -1;
    }
  }
  return 0;
}

/* leafWeight has no v2 counterpart and is ignored, as runc does. */
int cg_v2_io(const char *dir, const struct spec_resources *r, hrun_error *err)
{
  const struct spec_blkio *b = &r->block_io;
  bool bfq = cg_exists(dir, "io.bfq.weight");
  const char *file = bfq ? "io.bfq.weight" : "io.weight";

  if (b->weight.set && b->weight.value != 0 &&
      cg_writef(dir, file, "blockIO weight", err, "%llu",
                cg_v2_io_weight(b->weight.value, bfq)) < 0)
    return -1;
  for (size_t i = 0; i < b->n_weight_devices; i++) {
    const struct spec_weight_device *w = &b->weight_devices[i];
    if (w->weight.set &&
        cg_writef(dir, file, "blockIO weight device", err, "%lld:%lld %llu", (long long)w->major,
                  (long long)w->minor, cg_v2_io_weight(w->weight.value, bfq)) < 0)
      return -1;
  }
  return io_max(dir, b, err);
}

int cg_v2_hugetlb(const char *dir, const struct spec_resources *r, hrun_error *err)
{
  return cg_hugetlb(dir, r, "max", "rsvd.max", err);
}

/* Written verbatim; the key must name a file of this directory. */
int cg_v2_unified(const char *dir, const struct spec_kv *kv, size_t n, hrun_error *err)
{
  for (size_t i = 0; i < n; i++) {
    cleanup_free char *what = NULL;
    const char *key = kv[i].key ? kv[i].key : "";

    if (!*key || strchr(key, '/') || strcmp(key, ".") == 0 || strcmp(key, "..") == 0)
      return err_set(err, 0, "linux.resources.unified: invalid key \"%s\"", key);
    what = xasprintf("linux.resources.unified[\"%s\"]", key);
    if (cg_write(dir, key, kv[i].value ? kv[i].value : "", what, err) < 0)
      return -1;
  }
  return 0;
}

/* ---- freezer ----------------------------------------------------------- */

long cg_v2_freeze_timeout_ms = 5000;

int cg_v2_events_frozen(const char *dir, hrun_error *err)
{
  cleanup_free char *events = NULL;
  const char *f;

  if (cg_read(dir, "cgroup.events", &events, err) < 0)
    return -1;
  f = strstr(events, "frozen ");
  return f && f[7] == '1';
}

/* The nearest ancestor of dir whose own cgroup.freeze is 1 (malloc'ed), or
 * NULL. The root cgroup has no cgroup.freeze: the walk ends there. */
static char *frozen_ancestor(const char *dir)
{
  cleanup_free char *path = xstrdup(dir);
  char *slash;

  while ((slash = strrchr(path, '/')) && slash != path) {
    cleanup_free char *want = NULL;
    hrun_error tmp;

    *slash = '\0';
    if (cg_read(path, "cgroup.freeze", &want, &tmp) < 0)
      return NULL;
    if (strcmp(want, "1") == 0)
      return take_ptr(path);
  }
  return NULL;
}

/* The kernel freezes asynchronously: wait until cgroup.events agrees. */
static int wait_events(const char *dir, bool frozen, hrun_error *err)
{
  long waited = 0, delay = 1;
  int state;

  while ((state = cg_v2_events_frozen(dir, err)) != (int)frozen) {
    if (state < 0)
      return -1;
    if (waited >= cg_v2_freeze_timeout_ms)
      return err_set(err, 0, "cgroup: %s %s: not %s after %ld ms", frozen ? "freeze" : "thaw",
                     dir, frozen ? "frozen" : "thawed", waited);
    cg_sleep_ms(delay);
    waited += delay;
    delay = delay * 2 > 50 ? 50 : delay * 2;
  }
  return 0;
}

/* A freeze that does not complete is undone: a cgroup left half frozen
 * (some tasks stopped, the rest running) is worse than none. A thaw that
 * stays frozen because an ancestor is frozen has still lifted our freeze,
 * which is all `resume` asks (runc reads cgroup.freeze alone): a warning. */
int cg_v2_freeze(const char *dir, bool frozen, hrun_error *err)
{
  cleanup_free char *ancestor = NULL;
  hrun_error tmp;
  size_t n;

  if (cg_write(dir, "cgroup.freeze", frozen ? "1" : "0", frozen ? "freeze" : "thaw", err) < 0)
    return -1;
  if (!frozen && cg_v2_events_frozen(dir, &tmp) == 1 && (ancestor = frozen_ancestor(dir))) {
    log_warning("cgroup: %s stays frozen: its ancestor %s is frozen", dir, ancestor);
    return 0;
  }
  if (wait_events(dir, frozen, err) == 0)
    return 0;
  if (!frozen)
    return -1;
  n = strlen(err->msg);
  if (cg_write(dir, "cgroup.freeze", "0", "thaw", &tmp) < 0)
    snprintf(err->msg + n, sizeof(err->msg) - n, "; thawing it again failed too: %s", tmp.msg);
  else
    snprintf(err->msg + n, sizeof(err->msg) - n, "; thawed again");
  return -1;
}

int cg_v2_is_frozen(const char *dir)
{
  cleanup_free char *want = NULL;
  hrun_error tmp;

  if (cg_read(dir, "cgroup.freeze", &want, &tmp) < 0)
    return -1;
  return strcmp(want, "0") == 0 ? 0 : cg_v2_events_frozen(dir, &tmp);
}
