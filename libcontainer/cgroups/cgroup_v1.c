/* cgroup v1: the hierarchies (from /proc/self/mountinfo and
 * /proc/self/cgroup, also the cgroup2 one of hybrid hosts), cpuset setup of
 * new cgroups, limits in v1 files and the freezer. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/cgroups/cgroup_internal.h"
#include "libcontainer/util/cleanup.h"
#include "libcontainer/cgroups/device_policy.h"
#include "libcontainer/util/fsutil.h"

/* ---- hierarchies ----------------------------------------------------- */

void cg_mounts_free(struct cg_mounts *ms)
{
  for (size_t i = 0; i < ms->n; i++) {
    free(ms->m[i].controllers);
    free(ms->m[i].mountpoint);
    free(ms->m[i].root);
  }
  free(ms->m);
}

static bool is_octal(char c)
{
  return c >= '0' && c <= '7';
}

/* mountinfo escapes space, tab, newline and backslash as \ooo (anything
 * else after a backslash is kept as it is). */
static char *unescape(const char *s, size_t len)
{
  char *out = xmalloc0(len + 1), *o = out;

  for (size_t i = 0; i < len; i++) {
    if (s[i] == '\\' && i + 3 < len && s[i + 1] >= '0' && s[i + 1] <= '3' &&
        is_octal(s[i + 2]) && is_octal(s[i + 3])) {
      *o++ = (char)(((s[i + 1] - '0') << 6) | ((s[i + 2] - '0') << 3) | (s[i + 3] - '0'));
      i += 3;
    } else {
      *o++ = s[i];
    }
  }
  return out;
}

/* The controllers of a v1 hierarchy: its super options minus the mount
 * options the kernel shows beside them (cgroup1_show_options). */
static char *v1_controllers(const char *opts)
{
  static const char *const not_ctrl[] = {"rw", "ro", "xattr", "noprefix", "clone_children",
                                         "cpuset_v2_mode", "favordynmods", "none", "all"};
  char *out = xmalloc0(strlen(opts) + 1);
  size_t n = 0;

  for (const char *s = opts; *s;) {
    size_t len = strcspn(s, ",");
    bool skip = (memchr(s, '=', len) && strncmp(s, "name=", 5) != 0) || len == 0;
    for (size_t k = 0; !skip && k < sizeof(not_ctrl) / sizeof(not_ctrl[0]); k++)
      skip = strlen(not_ctrl[k]) == len && strncmp(s, not_ctrl[k], len) == 0;
    if (!skip) {
      if (n)
        out[n++] = ',';
      memcpy(out + n, s, len);
      n += len;
    }
    s += len + (s[len] == ',');
  }
  return out;
}

/* One mountinfo line: "id parent maj:min root mountpoint opts [tags] - type
 * source superopts". Returns false for lines that are not cgroup mounts. */
static bool parse_mount(char *line, struct cg_mount *m)
{
  char *f[6], *sep = strstr(line, " - "), *save = NULL;
  char *type, *super;
  int i;

  if (!sep)
    return false;
  *sep = '\0';
  type = strtok_r(sep + 3, " \n", &save);
  strtok_r(NULL, " \n", &save); /* source */
  super = strtok_r(NULL, " \n", &save);
  if (!type || !super || (strcmp(type, "cgroup") != 0 && strcmp(type, "cgroup2") != 0))
    return false;
  save = NULL;
  for (i = 0; i < 6 && (f[i] = strtok_r(i ? NULL : line, " ", &save)); i++)
    ;
  if (i < 6)
    return false;
  m->root = unescape(f[3], strlen(f[3]));
  m->mountpoint = unescape(f[4], strlen(f[4]));
  m->controllers = strcmp(type, "cgroup2") == 0 ? xstrdup("") : v1_controllers(super);
  return true;
}

const char *cg_proc_self = "/proc/self";

void cg_mountinfo_parse(FILE *f, struct cg_mounts *out)
{
  cleanup_free char *line = NULL;
  size_t cap = 0;

  memset(out, 0, sizeof(*out));
  while (getline(&line, &cap, f) > 0) {
    struct cg_mount m;
    if (!parse_mount(line, &m))
      continue;
    out->m = xrealloc(out->m, (out->n + 1) * sizeof(*out->m));
    out->m[out->n++] = m;
  }
}

static int mounts_read(struct cg_mounts *out, hrun_error *err)
{
  cleanup_free char *path = xasprintf("%s/mountinfo", cg_proc_self);
  cleanup_fclose FILE *f = fopen(path, "re");

  memset(out, 0, sizeof(*out));
  if (!f)
    return err_set(err, errno, "cgroup: open %s", path);
  errno = 0;
  cg_mountinfo_parse(f, out);
  /* A list cut short would name the wrong hierarchies. */
  if (stream_check(f, path, err) < 0) {
    cg_mounts_free(out);
    return err_wrap(err, "cgroup");
  }
  return 0;
}

/* "cpu,cpuacct" and "cpuacct,cpu" are the same hierarchy. */
static bool same_controllers(const char *a, const char *b)
{
  size_t na = 0, nb = 0;

  for (const char *s = a; *s; s += strcspn(s, ","), s += *s == ',') {
    size_t len = strcspn(s, ",");
    char tok[64];
    if (len >= sizeof(tok))
      return false;
    memcpy(tok, s, len);
    tok[len] = '\0';
    if (!cg_list_has(b, tok, ","))
      return false;
    na++;
  }
  for (const char *s = b; *s; s += strcspn(s, ","), s += *s == ',')
    nb++;
  return na == nb;
}

/* /proc/self/cgroup, read once for all hierarchies (malloc'ed). */
static int self_cgroup_read(char **out, hrun_error *err)
{
  cleanup_free char *file = xasprintf("%s/cgroup", cg_proc_self);
  cleanup_fclose FILE *f = fopen(file, "re");
  size_t cap = 0;

  *out = NULL;
  if (!f)
    return err_set(err, errno, "cgroup: open %s", file);
  errno = 0;
  if (getdelim(out, &cap, '\0', f) < 0) {
    /* Nothing read: the buffer, if getdelim made one, holds no text. */
    free(*out);
    *out = xstrdup("");
  }
  if (stream_check(f, file, err) < 0) {
    free(*out);
    *out = NULL;
    return err_wrap(err, "cgroup");
  }
  return 0;
}

/* Our cgroup in the hierarchy with these controllers ("" = cgroup2), from
 * the text of /proc/self/cgroup. */
static int own_cgroup(const char *self_cgroup, const char *controllers, char **out,
                      hrun_error *err)
{
  const char *line = self_cgroup;

  for (; *line; line += strcspn(line, "\n"), line += *line == '\n') {
    size_t len = strcspn(line, "\n");
    const char *c = memchr(line, ':', len);
    const char *path = c ? memchr(c + 1, ':', len - (size_t)(c + 1 - line)) : NULL;
    cleanup_free char *ctrls = NULL;

    if (!path)
      continue;
    ctrls = xasprintf("%.*s", (int)(path - c - 1), c + 1);
    if (same_controllers(ctrls, controllers)) {
      *out = xasprintf("%.*s", (int)(len - (size_t)(path + 1 - line)), path + 1);
      return 0;
    }
  }
  return err_set(err, 0, "cgroup: %s/cgroup has no \"%s\" hierarchy", cg_proc_self,
                 *controllers ? controllers : "cgroup2");
}

/* Our own cgroup in m's hierarchy, relative to what is mounted there. On
 * pure v2 its parent, as runc's fs2 does: our own cgroup has processes
 * (us), so it could not enable controllers for the container's. */
static char *own_relative(const struct cg_mount *m, enum cgroup_mode mode,
                          const char *self_cgroup, hrun_error *err)
{
  cleanup_free char *own = NULL;
  size_t rlen = strlen(m->root);
  const char *rel;

  if (own_cgroup(self_cgroup, m->controllers, &own, err) < 0)
    return NULL;
  if (mode == CGROUP_MODE_V2 && strcmp(own, "/") != 0 && strrchr(own, '/')) {
    char *slash = strrchr(own, '/');
    slash[slash == own ? 1 : 0] = '\0';
  }
  if (strcmp(m->root, "/") == 0)
    rel = own;
  else if (strncmp(own, m->root, rlen) == 0 && (own[rlen] == '/' || own[rlen] == '\0'))
    rel = own + rlen;
  else {
    err_set(err, 0, "cgroup: our cgroup %s is not below %s mounted at %s", own, m->root,
            m->mountpoint);
    return NULL;
  }
  return xstrdup(strcmp(rel, "/") == 0 ? "" : rel);
}

static int add_dir(struct cgroup_paths *out, const struct cg_mount *m, const char *inner,
                   const char *self_cgroup, hrun_error *err)
{
  struct cgroup_dir *d;
  char *path;

  if (inner[0] == '/') {
    path = xasprintf("%s%s", m->mountpoint, inner);
  } else {
    cleanup_free char *rel = own_relative(m, out->mode, self_cgroup, err);
    if (!rel)
      return -1;
    path = xasprintf("%s%s/%s", m->mountpoint, rel, inner);
  }
  out->dirs = xrealloc(out->dirs, (out->n_dirs + 1) * sizeof(*out->dirs));
  d = &out->dirs[out->n_dirs++];
  d->controllers = xstrdup(m->controllers);
  d->path = path;
  d->created_depth = 0;
  if (!out->rel_path)
    out->rel_path = xasprintf("%s%s", strcmp(m->root, "/") == 0 ? "" : m->root,
                              path + strlen(m->mountpoint));
  return 0;
}

static bool seen_controllers(const struct cgroup_paths *out, const char *controllers)
{
  for (size_t i = 0; i < out->n_dirs; i++)
    if (same_controllers(out->dirs[i].controllers, controllers))
      return true;
  return false;
}

/* v2: the cgroup2 mount that /sys/fs/cgroup shows (the last one there).
 * v1: the first mount of every hierarchy (later ones are usually binds of
 * it into containers), then the first cgroup2 one (hybrid). */
static int add_dirs(struct cgroup_paths *out, const struct cg_mounts *ms, const char *inner,
                    const char *self_cgroup, hrun_error *err)
{
  const struct cg_mount *v2 = NULL;

  for (size_t i = 0; i < ms->n; i++) {
    const struct cg_mount *m = &ms->m[i];
    bool is_v2 = m->controllers[0] == '\0';

    if (out->mode == CGROUP_MODE_V2 && is_v2 && strcmp(m->mountpoint, CGROUP_ROOT) == 0)
      v2 = m;
    else if (out->mode == CGROUP_MODE_V1 && is_v2 && !v2)
      v2 = m;
    else if (out->mode == CGROUP_MODE_V1 && !is_v2 && !seen_controllers(out, m->controllers) &&
             add_dir(out, m, inner, self_cgroup, err) < 0)
      return -1;
  }
  if (v2 && add_dir(out, v2, inner, self_cgroup, err) < 0)
    return -1;
  if (out->n_dirs == 0)
    return err_set(err, 0, "cgroup: no cgroup hierarchy is mounted");
  return 0;
}

int cg_hierarchy_dirs(struct cgroup_paths *out, const char *inner, hrun_error *err)
{
  cleanup_free char *self_cgroup = NULL;
  struct cg_mounts ms;
  int r;

  /* An absolute path needs none of our own cgroups. */
  if (inner[0] != '/' && self_cgroup_read(&self_cgroup, err) < 0)
    return -1;
  if (mounts_read(&ms, err) < 0)
    return -1;
  r = add_dirs(out, &ms, inner, self_cgroup, err);
  cg_mounts_free(&ms);
  return r;
}

const struct cgroup_dir *cg_v1_dir(const struct cgroup_paths *p, const char *ctrl)
{
  for (size_t i = 0; i < p->n_dirs; i++)
    if (p->dirs[i].controllers[0] && cg_list_has(p->dirs[i].controllers, ctrl, ","))
      return &p->dirs[i];
  return NULL;
}

const struct cgroup_dir *cg_v2_dir(const struct cgroup_paths *p)
{
  for (size_t i = 0; i < p->n_dirs; i++)
    if (p->dirs[i].controllers[0] == '\0')
      return &p->dirs[i];
  return NULL;
}

/* ---- cpuset ------------------------------------------------------------ */

static char *ancestor(const char *path, int up)
{
  char *s = xstrdup(path);

  while (up-- > 0) {
    char *slash = strrchr(s, '/');
    if (slash && slash != s)
      *slash = '\0';
  }
  return s;
}

static int copy_if_empty(const char *parent, const char *dir, const char *file,
                         hrun_error *err)
{
  cleanup_free char *cur = NULL, *val = NULL;

  if (cg_read(dir, file, &cur, err) < 0)
    return -1;
  if (*cur)
    return 0;
  if (cg_read(parent, file, &val, err) < 0)
    return -1;
  return *val ? cg_write(dir, file, val, "cpuset of a new cgroup", err) : 0;
}

/* A new v1 cpuset cgroup starts with empty cpus and mems, which no task may
 * enter: copy them down level by level, from the top new one. */
int cg_v1_cpuset_init(const struct cgroup_dir *d, hrun_error *err)
{
  for (int level = d->created_depth; level >= 1; level--) {
    cleanup_free char *parent = ancestor(d->path, level);
    cleanup_free char *dir = ancestor(d->path, level - 1);

    if (copy_if_empty(parent, dir, "cpuset.cpus", err) < 0 ||
        copy_if_empty(parent, dir, "cpuset.mems", err) < 0)
      return -1;
  }
  return 0;
}

/* ---- memory ------------------------------------------------------------ */

#define MEMSW "memory.memsw.limit_in_bytes"

/* memsw (memory+swap) must stay >= the memory limit at every step, so the
 * order of the two writes depends on whether the limits grow or shrink
 * (runc's setMemoryAndSwap). */
static int limit_and_swap(const char *dir, const struct spec_memory *m, hrun_error *err)
{
  int64_t limit = m->limit.set ? m->limit.value : 0, swap = m->swap.set ? m->swap.value : 0;
  bool swap_first = false;

  /* Unlimited memory alone means no limit at all, not "memsw still caps". */
  if (limit == -1 && swap == 0 && cg_exists(dir, MEMSW))
    swap = -1;
  if (limit != 0 && swap != 0) {
    cleanup_free char *cur = NULL;
    if (cg_read(dir, "memory.limit_in_bytes", &cur, err) < 0)
      return -1;
    swap_first = swap == -1 || strtoull(cur, NULL, 10) < (unsigned long long)swap;
  }
  if (swap_first && cg_writef(dir, MEMSW, "memory swap", err, "%lld", (long long)swap) < 0)
    return -1;
  if (limit != 0 &&
      cg_writef(dir, "memory.limit_in_bytes", "memory limit", err, "%lld", (long long)limit) < 0)
    return -1;
  if (!swap_first && swap != 0 &&
      cg_writef(dir, MEMSW, "memory swap", err, "%lld", (long long)swap) < 0)
    return -1;
  return 0;
}

/* Kernel memory limits are gone from recent kernels: skip them there. */
static int optional_limit(const char *dir, const char *file, opt_i64 v, const char *what,
                          hrun_error *err)
{
  if (!v.set || v.value == 0 || !cg_exists(dir, file))
    return 0;
  return cg_writef(dir, file, what, err, "%lld", (long long)v.value);
}

int cg_v1_memory(const char *dir, const struct spec_resources *r, hrun_error *err)
{
  const struct spec_memory *m = &r->memory;

  if (m->swappiness.set && m->swappiness.value > 100)
    return err_set(err, 0, "linux.resources.memory.swappiness: %llu is not in 0-100",
                   (unsigned long long)m->swappiness.value);
  if (cg_check_memory(dir, m, "memory.usage_in_bytes", err) < 0 ||
      limit_and_swap(dir, m, err) < 0)
    return -1;
  if (m->reservation.set && m->reservation.value != 0 &&
      cg_writef(dir, "memory.soft_limit_in_bytes", "memory reservation", err, "%lld",
                (long long)m->reservation.value) < 0)
    return -1;
  if (optional_limit(dir, "memory.kmem.limit_in_bytes", m->kernel, "kernel memory limit",
                     err) < 0 ||
      optional_limit(dir, "memory.kmem.tcp.limit_in_bytes", m->kernel_tcp,
                     "kernel TCP memory limit", err) < 0)
    return -1;
  if (m->swappiness.set && cg_writef(dir, "memory.swappiness", "memory swappiness", err,
                                     "%llu", (unsigned long long)m->swappiness.value) < 0)
    return -1;
  if (m->disable_oom_killer.set &&
      cg_write(dir, "memory.oom_control", m->disable_oom_killer.value ? "1" : "0",
               "disableOOMKiller", err) < 0)
    return -1;
  if (m->use_hierarchy.set && cg_write(dir, "memory.use_hierarchy",
                                       m->use_hierarchy.value ? "1" : "0", "useHierarchy",
                                       err) < 0)
    return -1;
  return 0;
}

/* ---- cpu --------------------------------------------------------------- */

/* A smaller period can be refused while the old quota is in place (the
 * quota/period ratio would exceed the parent's): then it is written again
 * after the quota, as runc does. */
static int period_and_quota(const char *dir, const struct spec_cpu *c, hrun_error *err)
{
  bool has_period = c->period.set && c->period.value != 0;
  bool has_quota = c->quota.set && c->quota.value != 0;
  bool retry = false;

  if (has_period &&
      cg_writef(dir, "cpu.cfs_period_us", "cpu period", err, "%llu",
                (unsigned long long)c->period.value) < 0) {
    if (err->errnum != EINVAL || !has_quota)
      return -1;
    retry = true;
  }
  if (has_quota && cg_writef(dir, "cpu.cfs_quota_us", "cpu quota", err, "%lld",
                             (long long)c->quota.value) < 0)
    return -1;
  if (retry && cg_writef(dir, "cpu.cfs_period_us", "cpu period", err, "%llu",
                         (unsigned long long)c->period.value) < 0)
    return -1;
  return 0;
}

int cg_v1_cpu(const char *dir, const struct spec_resources *r, hrun_error *err)
{
  const struct spec_cpu *c = &r->cpu;

  if (c->shares.set && c->shares.value != 0 &&
      cg_writef(dir, "cpu.shares", "cpu shares", err, "%llu",
                (unsigned long long)c->shares.value) < 0)
    return -1;
  if (period_and_quota(dir, c, err) < 0)
    return -1;
  if (c->burst.set && cg_writef(dir, "cpu.cfs_burst_us", "cpu burst", err, "%llu",
                                (unsigned long long)c->burst.value) < 0)
    return -1;
  /* The period first: the runtime is checked against it. */
  if (c->realtime_period.set && c->realtime_period.value != 0 &&
      cg_writef(dir, "cpu.rt_period_us", "cpu realtime period", err, "%llu",
                (unsigned long long)c->realtime_period.value) < 0)
    return -1;
  if (c->realtime_runtime.set && c->realtime_runtime.value != 0 &&
      cg_writef(dir, "cpu.rt_runtime_us", "cpu realtime runtime", err, "%lld",
                (long long)c->realtime_runtime.value) < 0)
    return -1;
  if (c->idle.set &&
      cg_writef(dir, "cpu.idle", "cpu idle", err, "%lld", (long long)c->idle.value) < 0)
    return -1;
  return 0;
}

/* ---- blkio, hugetlb, network ------------------------------------------- */

static const char *const throttle_files[THROTTLE_KIND_COUNT] = {
    "blkio.throttle.read_bps_device", "blkio.throttle.write_bps_device",
    "blkio.throttle.read_iops_device", "blkio.throttle.write_iops_device"};

static int blkio_devices(const char *dir, const struct spec_blkio *b, bool bfq,
                         hrun_error *err)
{
  const char *wfile = bfq ? "blkio.bfq.weight_device" : "blkio.weight_device";

  for (size_t i = 0; i < b->n_weight_devices; i++) {
    const struct spec_weight_device *w = &b->weight_devices[i];
    if (w->weight.set && cg_writef(dir, wfile, "blkio weight device", err, "%lld:%lld %llu",
                                   (long long)w->major, (long long)w->minor,
                                   (unsigned long long)w->weight.value) < 0)
      return -1;
    if (w->leaf_weight.set &&
        cg_writef(dir, "blkio.leaf_weight_device", "blkio leaf weight device", err,
                  "%lld:%lld %llu", (long long)w->major, (long long)w->minor,
                  (unsigned long long)w->leaf_weight.value) < 0)
      return -1;
  }
  for (int k = 0; k < THROTTLE_KIND_COUNT; k++) {
    for (size_t i = 0; i < b->n_throttle[k]; i++) {
      const struct spec_throttle_device *t = &b->throttle[k][i];
      if (cg_writef(dir, throttle_files[k], "blkio throttle", err, "%lld:%lld %llu",
                    (long long)t->major, (long long)t->minor,
                    (unsigned long long)t->rate) < 0)
        return -1;
    }
  }
  return 0;
}

/* Without CFQ the weights live in the BFQ files. */
int cg_v1_blkio(const char *dir, const struct spec_resources *r, hrun_error *err)
{
  const struct spec_blkio *b = &r->block_io;
  bool bfq = !cg_exists(dir, "blkio.weight") && cg_exists(dir, "blkio.bfq.weight");

  if (b->weight.set && b->weight.value != 0 && !bfq && !cg_exists(dir, "blkio.weight"))
    return err_set(err, 0, "blkio weight: this host's blkio controller has no weight file "
                           "(%s/blkio.weight or blkio.bfq.weight: the CFQ or BFQ I/O "
                           "scheduler is needed)", dir);
  if (b->weight.set && b->weight.value != 0 &&
      cg_writef(dir, bfq ? "blkio.bfq.weight" : "blkio.weight", "blkio weight", err, "%llu",
                (unsigned long long)b->weight.value) < 0)
    return -1;
  if (b->leaf_weight.set && b->leaf_weight.value != 0 &&
      cg_writef(dir, "blkio.leaf_weight", "blkio leaf weight", err, "%llu",
                (unsigned long long)b->leaf_weight.value) < 0)
    return -1;
  return blkio_devices(dir, b, bfq, err);
}

int cg_v1_hugetlb(const char *dir, const struct spec_resources *r, hrun_error *err)
{
  return cg_hugetlb(dir, r, "limit_in_bytes", "rsvd.limit_in_bytes", err);
}

int cg_v1_net_cls(const char *dir, const struct spec_resources *r, hrun_error *err)
{
  return cg_writef(dir, "net_cls.classid", "network classID", err, "%llu",
                   (unsigned long long)r->network.class_id.value);
}

int cg_v1_net_prio(const char *dir, const struct spec_resources *r, hrun_error *err)
{
  for (size_t i = 0; i < r->network.n_priorities; i++) {
    const struct spec_net_priority *p = &r->network.priorities[i];
    if (cg_writef(dir, "net_prio.ifpriomap", "network priorities", err, "%s %u", p->name,
                  (unsigned)p->priority) < 0)
      return -1;
  }
  return 0;
}

/* ---- devices ----------------------------------------------------------- */

static int rule_line(const struct spec_device_rule *d, size_t i, char *buf, size_t size,
                     hrun_error *err)
{
  char maj[24] = "*", min[24] = "*";

  if (d->type != 'a' && d->type != 'c' && d->type != 'b')
    return err_set(err, 0, "linux.resources.devices[%zu]: invalid type '%c'", i, d->type);
  if (d->major >= 0)
    snprintf(maj, sizeof(maj), "%lld", (long long)d->major);
  if (d->minor >= 0)
    snprintf(min, sizeof(min), "%lld", (long long)d->minor);
  snprintf(buf, size, "%c %s:%s %s", d->type, maj, min, d->access[0] ? d->access : "rwm");
  return 0;
}

/* Deny everything, then each rule in order, each its own write to
 * devices.allow or devices.deny (each file opened once: a container has a
 * dozen rules). The rules are replayed first only to refuse, before any
 * write, what v1 would silently ignore (a deny narrowing a wildcard
 * allow), as on v2. */
int cg_v1_devices(const char *dir, const struct spec_resources *r, hrun_error *err)
{
  static const char *const files[2] = {"devices.deny", "devices.allow"};
  cleanup_close int deny = -1, allow = -1;
  struct device_policy pol;
  char line[64];

  if (device_policy_build(r->devices, r->n_devices, &pol, err) < 0)
    return -1;
  device_policy_free(&pol);
  if ((deny = cg_open_write(dir, files[0], "devices", err)) < 0 ||
      (allow = cg_open_write(dir, files[1], "devices", err)) < 0 ||
      cg_write_fd(deny, dir, files[0], "a", "devices", err) < 0)
    return -1;
  for (size_t i = 0; i < r->n_devices; i++) {
    const struct spec_device_rule *d = &r->devices[i];
    if (rule_line(d, i, line, sizeof(line), err) < 0 ||
        cg_write_fd(d->allow ? allow : deny, dir, files[d->allow], line, "devices", err) < 0)
      return -1;
  }
  return 0;
}

/* ---- freezer ----------------------------------------------------------- */

/* A v1 freeze can stay FREEZING while tasks keep forking: write FROZEN
 * again until it sticks, thawing now and then to let stragglers settle
 * (runc's loop), for about a second. */
int cg_v1_freeze(const char *dir, bool frozen, hrun_error *err)
{
  hrun_error tmp;

  if (!frozen)
    return cg_write(dir, "freezer.state", "THAWED", "thaw", err);
  for (int i = 0; i < 500; i++) {
    cleanup_free char *state = NULL;
    if (i % 50 == 49) {
      cg_write(dir, "freezer.state", "THAWED", "thaw", &tmp);
      cg_sleep_ms(10);
    }
    if (cg_write(dir, "freezer.state", "FROZEN", "freeze", err) < 0 ||
        cg_read(dir, "freezer.state", &state, err) < 0) {
      cg_write(dir, "freezer.state", "THAWED", "thaw", &tmp); /* never left half frozen */
      return -1;
    }
    if (strcmp(state, "FROZEN") == 0)
      return 0;
    cg_sleep_ms(1);
  }
  cg_write(dir, "freezer.state", "THAWED", "thaw", &tmp);
  return err_set(err, EBUSY, "cgroup: freeze %s: still FREEZING", dir);
}

int cg_v1_is_frozen(const char *dir)
{
  cleanup_free char *state = NULL;
  hrun_error tmp;

  if (cg_read(dir, "freezer.state", &state, &tmp) < 0)
    return -1;
  return strcmp(state, "FROZEN") == 0;
}
