/* config.json process.ioPriority, process.scheduler and linux.memoryPolicy:
 * checked here as the kernel would check them, so that a mistake is named
 * at create rather than surfacing as EINVAL from the container's init. */
#include "libcontainer/spec/spec.h"

#include <ctype.h>
#include <stdlib.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/spec/spec_read.h"

/* Kernel ABI numbers, spelled out: Debian 12's headers predate some. */
#define POLICY_OTHER 0
#define POLICY_FIFO 1
#define POLICY_RR 2
#define POLICY_BATCH 3
#define POLICY_IDLE 5
#define POLICY_DEADLINE 6
#define DL_MIN_RUNTIME 1024 /* the kernel truncates the low 10 bits */

#define MPOL_MODE_DEFAULT 0
#define MPOL_MODE_PREFERRED 1
#define MPOL_MODE_LOCAL 4
#define MPOL_FLAG_STATIC (1 << 15)
#define MPOL_FLAG_RELATIVE (1 << 14)

static const struct rd_name ioprio_classes[] = {
    {"IOPRIO_CLASS_RT", 1}, {"IOPRIO_CLASS_BE", 2}, {"IOPRIO_CLASS_IDLE", 3}, {NULL, 0},
};

static const struct rd_name sched_policies[] = {
    {"SCHED_OTHER", POLICY_OTHER}, {"SCHED_FIFO", POLICY_FIFO},
    {"SCHED_RR", POLICY_RR},       {"SCHED_BATCH", POLICY_BATCH},
    {"SCHED_ISO", 4},              {"SCHED_IDLE", POLICY_IDLE},
    {"SCHED_DEADLINE", POLICY_DEADLINE}, {NULL, 0},
};

static const struct rd_name sched_flags[] = {
    {"SCHED_FLAG_RESET_ON_FORK", 0x01}, {"SCHED_FLAG_RECLAIM", 0x02},
    {"SCHED_FLAG_DL_OVERRUN", 0x04},    {"SCHED_FLAG_KEEP_POLICY", 0x08},
    {"SCHED_FLAG_KEEP_PARAMS", 0x10},   {"SCHED_FLAG_UTIL_CLAMP_MIN", 0x20},
    {"SCHED_FLAG_UTIL_CLAMP_MAX", 0x40}, {NULL, 0},
};

static const struct rd_name mpol_modes[] = {
    {"MPOL_DEFAULT", MPOL_MODE_DEFAULT},   {"MPOL_PREFERRED", MPOL_MODE_PREFERRED},
    {"MPOL_BIND", 2},                      {"MPOL_INTERLEAVE", 3},
    {"MPOL_LOCAL", MPOL_MODE_LOCAL},       {"MPOL_PREFERRED_MANY", 5},
    {"MPOL_WEIGHTED_INTERLEAVE", 6},       {NULL, 0},
};

static const struct rd_name mpol_flags[] = {
    {"MPOL_F_STATIC_NODES", MPOL_FLAG_STATIC},
    {"MPOL_F_RELATIVE_NODES", MPOL_FLAG_RELATIVE},
    {"MPOL_F_NUMA_BALANCING", 1 << 13},
    {NULL, 0},
};

/* ---- process.ioPriority ------------------------------------------------ */

int spec_read_io_priority(struct spec_reader *r, const json_value *obj,
                          const struct jpath *at, struct spec_io_priority *io)
{
  const struct jpath *here = JPATH_KEY(at, "ioPriority");
  const json_value *v;
  long klass;
  opt_i64 prio;

  if (rd_object(r, obj, at, "ioPriority", &v) < 0)
    return -1;
  if (!v)
    return 0;
  if (rd_enum_req(r, v, here, "class", ioprio_classes, "I/O priority class", &klass) < 0 ||
      rd_int(r, v, here, "priority", 32, &prio) < 0)
    return -1;
  if (prio.value < 0 || prio.value > 7)
    return rd_must(r, JPATH_KEY(here, "priority"), "be between 0 and 7, not %lld",
                   (long long)prio.value);
  io->set = true;
  io->klass = (int)klass;
  io->priority = (int)prio.value;
  return 0;
}

/* ---- process.scheduler ------------------------------------------------- */

static int read_sched_flags(struct spec_reader *r, const json_value *v,
                            const struct jpath *here, struct spec_scheduler *s)
{
  struct spec_strv flags;
  size_t i;
  long bit;

  if (rd_strv_enum(r, v, here, "flags", sched_flags, "scheduler flag", &flags) < 0)
    return -1;
  for (i = 0; i < flags.len; i++)
    if (rd_lookup(sched_flags, flags.items[i], &bit))
      s->flags |= (uint64_t)bit;
  return 0;
}

/* runtime <= deadline <= period (period 0: the deadline), as
 * sched_setattr(2) checks them. */
static int check_deadline(struct spec_reader *r, const struct jpath *here,
                          const struct spec_scheduler *s)
{
  if (s->runtime < DL_MIN_RUNTIME)
    return rd_must(r, JPATH_KEY(here, "runtime"),
                   "be at least %d (nanoseconds) with SCHED_DEADLINE", DL_MIN_RUNTIME);
  if (s->deadline < s->runtime)
    return rd_must(r, JPATH_KEY(here, "deadline"), "be at least the runtime (%llu)",
                   (unsigned long long)s->runtime);
  if (s->period && s->period < s->deadline)
    return rd_must(r, JPATH_KEY(here, "period"), "be 0 or at least the deadline (%llu)",
                   (unsigned long long)s->deadline);
  if ((s->deadline | s->period) >> 63)
    return rd_must(r, JPATH_KEY(here, "deadline"), "be below 2^63");
  return 0;
}

/* Which fields a policy takes, as runc checks them, and the ranges the
 * kernel enforces. */
static int check_sched(struct spec_reader *r, const struct jpath *here,
                       const struct spec_scheduler *s)
{
  bool fair = s->policy == POLICY_OTHER || s->policy == POLICY_BATCH ||
              s->policy == POLICY_IDLE;
  bool rt = s->policy == POLICY_FIFO || s->policy == POLICY_RR;

  if (fair && (s->nice < -20 || s->nice > 19))
    return rd_must(r, JPATH_KEY(here, "nice"), "be between -20 and 19, not %d", s->nice);
  if (rt && (s->priority < 1 || s->priority > 99))
    return rd_must(r, JPATH_KEY(here, "priority"),
                   "be between 1 and 99 with SCHED_FIFO and SCHED_RR, not %u", s->priority);
  if (!rt && s->priority)
    return rd_error(r, JPATH_KEY(here, "priority"),
                    "can only be set with SCHED_FIFO or SCHED_RR");
  if (s->policy == POLICY_DEADLINE)
    return check_deadline(r, here, s);
  if (s->runtime || s->deadline || s->period)
    return rd_error(r, here, "runtime, deadline and period can only be set with SCHED_DEADLINE");
  return 0;
}

int spec_read_scheduler(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                        struct spec_scheduler *s)
{
  const struct jpath *here = JPATH_KEY(at, "scheduler");
  const json_value *v;
  opt_i64 nice, prio;
  opt_u64 runtime, deadline, period;
  long policy;

  if (rd_object(r, obj, at, "scheduler", &v) < 0)
    return -1;
  if (!v)
    return 0;
  if (rd_enum_req(r, v, here, "policy", sched_policies, "scheduler policy", &policy) < 0 ||
      rd_int(r, v, here, "nice", 32, &nice) < 0 ||
      rd_int(r, v, here, "priority", 32, &prio) < 0 || read_sched_flags(r, v, here, s) < 0 ||
      rd_uint(r, v, here, "runtime", 64, &runtime) < 0 ||
      rd_uint(r, v, here, "deadline", 64, &deadline) < 0 ||
      rd_uint(r, v, here, "period", 64, &period) < 0)
    return -1;
  if (prio.value < 0)
    return rd_must(r, JPATH_KEY(here, "priority"), "not be negative");
  s->policy = (uint32_t)policy;
  s->nice = (int32_t)nice.value;
  s->priority = (uint32_t)prio.value;
  s->runtime = runtime.value;
  s->deadline = deadline.value;
  s->period = period.value;
  if (check_sched(r, here, s) < 0)
    return -1;
  s->set = true;
  return 0;
}

/* ---- linux.memoryPolicy ------------------------------------------------ */

static int parse_node(const char *p, char **end, long *out)
{
  if (!isdigit((unsigned char)*p))
    return -1;
  *out = strtol(p, end, 10);
  return *out >= 0 && *out < SPEC_MAX_NUMA_NODES ? 0 : -1;
}

/* "0-3,7" into the mask; an empty string is no node. */
static int parse_nodes(struct spec_reader *r, const struct jpath *here,
                       struct spec_memory_policy *mp)
{
  const char *p = mp->nodes;
  char *end;
  long lo, hi;

  mp->max_node = -1;
  while (*p) {
    if (parse_node(p, &end, &lo) < 0)
      goto bad;
    hi = lo;
    if (*end == '-' && parse_node(end + 1, &end, &hi) < 0)
      goto bad;
    if (hi < lo || (*end && *end != ','))
      goto bad;
    for (long n = lo; n <= hi; n++)
      mp->mask[n / 64] |= UINT64_C(1) << (n % 64);
    if (hi > mp->max_node)
      mp->max_node = (int)hi;
    p = *end ? end + 1 : end;
    if (*end && !*p)
      goto bad;
  }
  return 0;
bad:
  return rd_error(r, here, "\"%s\" is not a node list like \"0-3,7\" (nodes 0 to %d)",
                  mp->nodes, SPEC_MAX_NUMA_NODES - 1);
}

/* Which modes take nodes, as runc checks them; the two node-numbering
 * flags exclude each other (the kernel refuses both). */
static int check_mempolicy(struct spec_reader *r, const struct jpath *here,
                           const struct spec_memory_policy *mp)
{
  bool none = mp->max_node < 0;

  if ((mp->mode == MPOL_MODE_DEFAULT || mp->mode == MPOL_MODE_LOCAL) && !none)
    return rd_must(r, JPATH_KEY(here, "nodes"), "be empty with MPOL_DEFAULT and MPOL_LOCAL");
  if (mp->mode != MPOL_MODE_DEFAULT && mp->mode != MPOL_MODE_LOCAL &&
      mp->mode != MPOL_MODE_PREFERRED && none)
    return rd_must(r, JPATH_KEY(here, "nodes"), "name at least one node with this mode");
  if ((mp->flags & MPOL_FLAG_STATIC) && (mp->flags & MPOL_FLAG_RELATIVE))
    return rd_error(r, JPATH_KEY(here, "flags"),
                    "MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES exclude each other");
  return 0;
}

int spec_read_memory_policy(struct spec_reader *r, const json_value *obj,
                            const struct jpath *at, struct spec_memory_policy **out)
{
  const struct jpath *here = JPATH_KEY(at, "memoryPolicy");
  struct spec_memory_policy *mp;
  const json_value *v;
  struct spec_strv flags;
  long mode, bit;

  if (rd_object(r, obj, at, "memoryPolicy", &v) < 0)
    return -1;
  if (!v)
    return 0;
  mp = arena_alloc(r->arena, sizeof(*mp));
  if (rd_enum_req(r, v, here, "mode", mpol_modes, "memory policy mode", &mode) < 0 ||
      rd_string(r, v, here, "nodes", &mp->nodes) < 0 ||
      rd_strv_enum(r, v, here, "flags", mpol_flags, "memory policy flag", &flags) < 0)
    return -1;
  mp->mode = (int)mode;
  for (size_t i = 0; i < flags.len; i++)
    if (rd_lookup(mpol_flags, flags.items[i], &bit))
      mp->flags |= (unsigned)bit;
  if (!mp->nodes)
    mp->nodes = arena_strdup(r->arena, "");
  if (parse_nodes(r, JPATH_KEY(here, "nodes"), mp) < 0 || check_mempolicy(r, here, mp) < 0)
    return -1;
  mp->set = true;
  *out = mp;
  return 0;
}
