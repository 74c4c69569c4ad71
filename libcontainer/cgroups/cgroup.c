/* Container cgroups: mode detection, path resolution, the lifetime of the
 * directories (create, enter, destroy) and the version-independent parts of
 * applying linux.resources. Version specifics are in cgroup_v1.c and
 * cgroup_v2.c; the resulting cgroup_paths is all that is kept in the
 * container's state, so every operation after create works from it alone. */
#include "libcontainer/cgroups/cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/cgroups/cgroup_internal.h"
#include "libcontainer/cgroups/cgroup_systemd.h"
#include "libcontainer/util/cleanup.h"
#include "libcontainer/util/log.h"
#include "libcontainer/spec/spec.h"

/* ---- resolution ------------------------------------------------------ */

/* "/a/b" or "a/b" without empty or "." components; ".." is refused because
 * it would leave the hierarchy or the runtime's own subtree. */
static char *normalize_path(const char *path, const char *id, hrun_error *err)
{
  const char *src = path && *path ? path : id;
  const char *what = path && *path ? "linux.cgroupsPath" : "container id";
  bool absolute = src[0] == '/';
  char *out = xmalloc0(strlen(src) + 2);
  size_t n = 0;

  if (path && *path && !absolute && strchr(path, ':')) {
    free(out);
    err_set(err, 0, "linux.cgroupsPath: systemd cgroup paths need --systemd-cgroup");
    return NULL;
  }
  for (const char *s = src; *s;) {
    size_t len = strcspn(s, "/");
    if (len == 2 && strncmp(s, "..", 2) == 0) {
      free(out);
      err_set(err, 0, "%s: \"%s\" must not contain \"..\"", what, src);
      return NULL;
    }
    if (len > 0 && !(len == 1 && s[0] == '.')) {
      if (n > 0 || absolute)
        out[n++] = '/';
      memcpy(out + n, s, len);
      n += len;
    }
    s += len + strspn(s + len, "/");
  }
  if (n == 0) {
    free(out);
    err_set(err, 0, "%s: \"%s\" names no cgroup below the root", what, src);
    return NULL;
  }
  return out;
}

int cgroup_resolve(const char *cgroups_path, const char *id, struct cgroup_paths *out,
                   hrun_error *err)
{
  cleanup_free char *inner = NULL;
  int r;

  memset(out, 0, sizeof(*out));
  if ((!cgroups_path || !*cgroups_path) && (!id || !*id))
    return err_set(err, 0, "cgroup: neither linux.cgroupsPath nor a container id");
  inner = normalize_path(cgroups_path, id, err);
  if (!inner)
    return -1;
  out->mode = cgroup_mode();
  r = cg_hierarchy_dirs(out, inner, err);
  if (r < 0)
    cgroup_paths_free(out);
  return r;
}

void cgroup_paths_free(struct cgroup_paths *p)
{
  for (size_t i = 0; i < p->n_dirs; i++) {
    free(p->dirs[i].controllers);
    free(p->dirs[i].path);
  }
  free(p->dirs);
  free(p->rel_path);
  free(p->unit);
  memset(p, 0, sizeof(*p));
}

/* ---- create and destroy ---------------------------------------------- */

/* Exiting tasks stay listed for a moment after the container died, which
 * makes rmdir fail with EBUSY: retry for about a second. */
static int rmdir_retry(const char *path)
{
  long delay = 5, waited = 0;

  while (rmdir(path) < 0) {
    if (errno != EBUSY || waited >= 1000)
      return -1;
    cg_sleep_ms(delay);
    waited += delay;
    delay = delay * 2 > 100 ? 100 : delay * 2;
  }
  return 0;
}

/* Child cgroups the container made inside its own, deepest first. Only
 * rmdir: a cgroup directory holds no files that could be unlinked. The
 * common case, no children and no process left, is one rmdir. */
static int remove_tree(const char *path, hrun_error *err)
{
  cleanup_closedir DIR *d = NULL;
  struct dirent *e;

  if (rmdir(path) == 0 || errno == ENOENT)
    return 0;
  d = opendir(path);
  if (!d)
    return errno == ENOENT ? 0 : err_set(err, errno, "cgroup: open %s", path);
  while ((e = readdir(d))) {
    if (e->d_type != DT_DIR || strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    cleanup_free char *child = xasprintf("%s/%s", path, e->d_name);
    if (remove_tree(child, err) < 0)
      return -1;
  }
  if (rmdir_retry(path) < 0 && errno != ENOENT)
    return err_set(err, errno, "cgroup: rmdir %s", path);
  return 0;
}

/* The directory itself, then the parents hrun created for it while empty.
 * One that hrun did not create is removed only when empty and unused (a
 * leftover of a crashed run), and nothing below it is touched. */
static int destroy_dir(const struct cgroup_dir *d, hrun_error *err)
{
  cleanup_free char *path = xstrdup(d->path);

  if (d->created_depth <= 0) {
    if (rmdir(path) < 0 && errno != ENOENT && errno != EBUSY && errno != ENOTEMPTY)
      return err_set(err, errno, "cgroup: rmdir %s", path);
    return 0;
  }
  if (remove_tree(path, err) < 0)
    return -1;
  for (int i = 1; i < d->created_depth; i++) {
    char *slash = strrchr(path, '/');
    if (!slash || slash == path)
      break;
    *slash = '\0';
    if (rmdir(path) < 0 && errno != ENOENT)
      break; /* ENOTEMPTY/EBUSY: another container shares it */
  }
  return 0;
}

int cgroup_destroy(const struct cgroup_paths *p, hrun_error *err)
{
  hrun_error tmp;
  int r = 0;

  /* systemd removes the scope's directory; what it could not remove (the
   * bus gone, say) is removed below as by the cgroupfs driver. */
  if (p->unit && systemd_scope_stop(p->unit, &tmp) < 0)
    log_warning("%s", tmp.msg);

  for (size_t i = 0; i < p->n_dirs; i++)
    if (destroy_dir(&p->dirs[i], r < 0 ? &tmp : err) < 0)
      r = -1;
  return r;
}

/* mkdir -p, counting the trailing components we made (an existing one,
 * even one that appeared concurrently, resets the count: not ours). On
 * failure every directory made here goes again, deepest first. */
/* mkdir of path[0..len), making its missing parents first (usually only
 * the last component is missing: one mkdir). made[] gets the lengths of
 * the directories made, top-down; *leaf whether path itself was made. */
static int mkdir_parents(char *path, size_t len, size_t *made, size_t *n, bool *leaf,
                         hrun_error *err)
{
  char *slash;

  *leaf = false;
  if (mkdir(path, 0755) == 0)
    goto made;
  if (errno == EEXIST)
    return 0;
  if (errno != ENOENT || !(slash = strrchr(path, '/')) || slash == path)
    return err_set(err, errno, "cgroup: mkdir %s", path);
  *slash = '\0';
  if (mkdir_parents(path, (size_t)(slash - path), made, n, leaf, err) < 0) {
    *slash = '/';
    return -1;
  }
  *slash = '/';
  *leaf = false;
  if (mkdir(path, 0755) == 0)
    goto made;
  return errno == EEXIST ? 0 : err_set(err, errno, "cgroup: mkdir %s", path);
made:
  made[(*n)++] = len;
  *leaf = true;
  return 0;
}

static int make_dirs(struct cgroup_dir *d, hrun_error *err)
{
  cleanup_free char *path = xstrdup(d->path);
  size_t len = strlen(path);
  cleanup_free size_t *made = xmalloc0((len + 1) * sizeof(size_t));
  size_t n = 0;
  bool leaf;

  d->created_depth = 0;
  if (mkdir_parents(path, len, made, &n, &leaf, err) < 0) {
    while (n-- > 0) {
      path[made[n]] = '\0';
      rmdir(path);
    }
    return -1;
  }
  /* The trailing directories this create made (the path's own, if any). */
  d->created_depth = leaf ? (int)n : 0;
  return 0;
}

void cgroup_plan(struct cgroup_paths *p)
{
  if (p->unit)
    return; /* systemd makes (and removes) the slices; hrun the scope alone */
  for (size_t i = 0; i < p->n_dirs; i++) {
    cleanup_free char *path = xstrdup(p->dirs[i].path);
    char *slash;
    int depth = 0;

    while (access(path, F_OK) < 0 && errno == ENOENT && (slash = strrchr(path, '/')) &&
           slash != path) {
      depth++;
      *slash = '\0';
    }
    p->dirs[i].created_depth = depth;
  }
}

static void undo_create(struct cgroup_paths *p, size_t n)
{
  hrun_error tmp;

  for (size_t i = 0; i < n; i++) {
    if (p->dirs[i].created_depth > 0)
      destroy_dir(&p->dirs[i], &tmp);
    p->dirs[i].created_depth = 0;
  }
}

/* The controllers a new cgroup2 directory gets when they exist, so that
 * `update` can set limits that create did not need. */
static int enable_v2_defaults(const struct cgroup_paths *p, hrun_error *err)
{
  static const char *const ctrls[] = {"cpuset", "cpu", "io", "memory", "pids", "hugetlb"};
  static const char *const fields[6];

  if (p->mode != CGROUP_MODE_V2 || !cg_v2_dir(p))
    return 0;
  return cg_v2_enable(cg_v2_dir(p)->path, ctrls, fields, 6, err);
}

/* A frozen cgroup (its own freezer or an ancestor's) freezes the init as
 * it enters, and create would wait for it for ever: refuse it, naming it,
 * as runc refuses it ("container's cgroup unexpectedly frozen"). */
static int check_not_frozen(const struct cgroup_dir *d, hrun_error *err)
{
  cleanup_free char *state = NULL;
  int r;

  if (!d->controllers[0]) {
    if (!cg_exists(d->path, "cgroup.freeze"))
      return 0;
    if ((r = cg_v2_events_frozen(d->path, err)) <= 0)
      return r;
    return err_set(err, 0, "cgroup: %s is frozen (cgroup.events: frozen 1): thaw it, or its "
                           "frozen ancestor, first", d->path);
  }
  if (!cg_list_has(d->controllers, "freezer", ","))
    return 0;
  if (cg_read(d->path, "freezer.state", &state, err) < 0)
    return -1;
  if (strcmp(state, "THAWED") == 0)
    return 0;
  return err_set(err, 0, "cgroup: %s is frozen (freezer.state: %s): thaw it, or its frozen "
                         "ancestor, first", d->path, state);
}

int cgroup_create(struct cgroup_paths *p, const struct spec_resources *res,
                  hrun_error *err)
{
  size_t i;

  for (i = 0; i < p->n_dirs; i++) {
    if (make_dirs(&p->dirs[i], err) < 0) {
      undo_create(p, i + 1);
      return -1;
    }
  }
  for (i = 0; i < p->n_dirs; i++)
    if (check_not_frozen(&p->dirs[i], err) < 0)
      goto fail;
  for (i = 0; i < p->n_dirs; i++) {
    if (cg_list_has(p->dirs[i].controllers, "cpuset", ",") &&
        cg_v1_cpuset_init(&p->dirs[i], err) < 0)
      goto fail;
  }
  if (enable_v2_defaults(p, err) < 0)
    goto fail;
  if (res && cgroup_apply_resources(p, res, err) < 0)
    goto fail;
  return 0;
fail:
  undo_create(p, p->n_dirs);
  return -1;
}

/* ---- processes --------------------------------------------------------- */

int cgroup_open_v2_fd(const struct cgroup_paths *p, int *fd, hrun_error *err)
{
  const struct cgroup_dir *d = p ? cg_v2_dir(p) : NULL;

  *fd = -1;
  if (!d)
    return 0;
  *fd = open(d->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (*fd < 0 && errno == ENOENT && p->unit)
    return 0;
  if (*fd < 0)
    return err_set(err, errno, "cgroup: open %s", d->path);
  return 0;
}

int cgroup_enter(const struct cgroup_paths *p, pid_t pid, hrun_error *err)
{
  char what[32], value[16];

  snprintf(what, sizeof(what), "enter pid %d", (int)pid);
  snprintf(value, sizeof(value), "%d", (int)pid);
  for (size_t i = 0; i < p->n_dirs; i++)
    if (cg_write(p->dirs[i].path, "cgroup.procs", value, what, err) < 0)
      return -1;
  return 0;
}

/* Writing "0" to a v1 "tasks" file moves the writing thread alone, which
 * the kernel does without the global threadgroup lock (and the RCU grace
 * period, milliseconds, that taking it for writing costs); moving a pid
 * through cgroup.procs takes it. A single-threaded process moving itself
 * this way has moved entirely. The cgroup2 part, if any, was joined at
 * clone time (CLONE_INTO_CGROUP), unless clone3 was missing: then "0" to
 * its cgroup.procs (cgroup2 has no tasks file), the lock paid. */
int cgroup_enter_self(const struct cgroup_paths *p, bool with_v2, hrun_error *err)
{
  for (size_t i = 0; i < p->n_dirs; i++) {
    bool v2 = !p->dirs[i].controllers[0];
    if (v2 && !with_v2)
      continue;
    if (cg_write(p->dirs[i].path, v2 ? "cgroup.procs" : "tasks", "0", "enter", err) < 0)
      return -1;
  }
  return 0;
}

struct pid_list {
  pid_t *v;
  size_t n, cap;
};

static int collect_pids(const char *dir, struct pid_list *l, bool top, hrun_error *err)
{
  cleanup_free char *procs = NULL;
  cleanup_closedir DIR *d = NULL;
  struct dirent *e;

  if (cg_read(dir, "cgroup.procs", &procs, err) < 0)
    return top || err->errnum != ENOENT ? -1 : 0; /* a child cgroup went away */
  for (char *s = procs, *end; *s; s = end) {
    long v = strtol(s, &end, 10);
    if (end == s)
      break;
    if (l->n == l->cap) {
      l->cap = l->cap ? l->cap * 2 : 16;
      l->v = xrealloc(l->v, l->cap * sizeof(pid_t));
    }
    l->v[l->n++] = (pid_t)v;
  }
  if (!(d = opendir(dir)))
    return err_set(err, errno, "cgroup: open %s", dir);
  while ((e = readdir(d))) {
    if (e->d_type != DT_DIR || strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    cleanup_free char *child = xasprintf("%s/%s", dir, e->d_name);
    if (collect_pids(child, l, false, err) < 0)
      return -1;
  }
  return 0;
}

static int cmp_pid(const void *a, const void *b)
{
  pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

  return (x > y) - (x < y);
}

/* The hierarchy whose cgroup.procs is read: the one that every process
 * surely is in. */
static const struct cgroup_dir *procs_dir(const struct cgroup_paths *p)
{
  const struct cgroup_dir *d = p->mode == CGROUP_MODE_V2 ? cg_v2_dir(p) : cg_v1_dir(p, "pids");

  for (size_t i = 0; !d && i < p->n_dirs; i++)
    if (p->dirs[i].controllers[0] != '\0')
      d = &p->dirs[i];
  return d ? d : (p->n_dirs ? &p->dirs[0] : NULL);
}

/* Includes the cgroups the container created below its own, as runc's
 * GetAllPids does: they are the container's processes too. */
int cgroup_pids(const struct cgroup_paths *p, pid_t **pids, size_t *n, hrun_error *err)
{
  const struct cgroup_dir *d = procs_dir(p);
  struct pid_list l = {0};
  size_t i, j;

  *pids = NULL;
  *n = 0;
  if (!d)
    return err_set(err, 0, "cgroup: no cgroup directory");
  if (collect_pids(d->path, &l, true, err) < 0) {
    free(l.v);
    return -1;
  }
  /* v1 cgroup.procs may list a process twice. */
  if (l.n > 1)
    qsort(l.v, l.n, sizeof(pid_t), cmp_pid);
  for (i = 0, j = 0; i < l.n; i++)
    if (j == 0 || l.v[j - 1] != l.v[i])
      l.v[j++] = l.v[i];
  *pids = l.v ? l.v : xmalloc0(sizeof(pid_t));
  *n = j;
  return 0;
}

bool cgroup_is_empty(const struct cgroup_paths *p)
{
  cleanup_free pid_t *pids = NULL;
  hrun_error ignored;
  size_t n;

  return cgroup_pids(p, &pids, &n, &ignored) == 0 && n == 0;
}

/* ---- freezer ----------------------------------------------------------- */

/* v1 freezer hierarchy, else a cgroup2 directory with cgroup.freeze. */
static const struct cgroup_dir *freezer_dir(const struct cgroup_paths *p, bool *v2)
{
  const struct cgroup_dir *d = p->mode == CGROUP_MODE_V1 ? cg_v1_dir(p, "freezer") : NULL;

  *v2 = false;
  if (d)
    return d;
  d = cg_v2_dir(p);
  if (d && (p->mode == CGROUP_MODE_V2 || cg_exists(d->path, "cgroup.freeze"))) {
    *v2 = true;
    return d;
  }
  return NULL;
}

int cgroup_freeze(const struct cgroup_paths *p, bool frozen, hrun_error *err)
{
  bool v2;
  const struct cgroup_dir *d = freezer_dir(p, &v2);

  if (!d)
    return err_set(err, 0, "cgroup: no freezer: the freezer controller is not mounted");
  return v2 ? cg_v2_freeze(d->path, frozen, err) : cg_v1_freeze(d->path, frozen, err);
}

int cgroup_is_frozen(const struct cgroup_paths *p)
{
  bool v2;
  const struct cgroup_dir *d = freezer_dir(p, &v2);

  if (!d)
    return 0;
  return v2 ? cg_v2_is_frozen(d->path) : cg_v1_is_frozen(d->path);
}

/* Frozen while the pids are read and signalled, so that no process forks
 * a child that the list misses. */
int cgroup_kill_all(const struct cgroup_paths *p, int sig, hrun_error *err)
{
  const struct cgroup_dir *v2 = cg_v2_dir(p);
  cleanup_free pid_t *pids = NULL;
  hrun_error tmp;
  bool frozen;
  size_t n;
  int r = 0;

  if (sig == SIGKILL && p->mode == CGROUP_MODE_V2 && v2 && cg_exists(v2->path, "cgroup.kill"))
    return cg_write(v2->path, "cgroup.kill", "1", "kill", err);
  frozen = cgroup_freeze(p, true, &tmp) == 0;
  if (cgroup_pids(p, &pids, &n, err) < 0)
    r = -1;
  for (size_t i = 0; r == 0 && i < n; i++)
    if (kill(pids[i], sig) < 0 && errno != ESRCH)
      r = err_set(err, errno, "cgroup: kill %d", (int)pids[i]);
  if (frozen && cgroup_freeze(p, false, r < 0 ? &tmp : err) < 0)
    r = -1;
  return r;
}

/* ---- resources --------------------------------------------------------- */

enum {
  R_CPUSET, R_DEVICES, R_MEMORY, R_CPU, R_PIDS, R_BLKIO, R_HUGETLB, R_NET_CLS, R_NET_PRIO,
  R_COUNT
};

/* Which controllers res asks something of; absent or empty parts ask
 * nothing, so they work on hosts without the controller. */
static unsigned wanted(const struct spec_resources *r)
{
  const struct spec_memory *m = &r->memory;
  const struct spec_cpu *c = &r->cpu;
  const struct spec_blkio *b = &r->block_io;
  bool blkio = b->weight.set || b->leaf_weight.set || b->n_weight_devices > 0;
  unsigned w = 0;

  for (int k = 0; k < THROTTLE_KIND_COUNT; k++)
    blkio = blkio || b->n_throttle[k] > 0;
  w |= (r->has_cpu && ((c->cpus && *c->cpus) || (c->mems && *c->mems))) << R_CPUSET;
  w |= (r->n_devices > 0) << R_DEVICES;
  w |= (r->has_memory && (m->limit.set || m->reservation.set || m->swap.set || m->kernel.set ||
                          m->kernel_tcp.set || m->swappiness.set ||
                          m->disable_oom_killer.set || m->use_hierarchy.set)) << R_MEMORY;
  w |= (r->has_cpu && (c->shares.set || c->quota.set || c->burst.set || c->period.set ||
                       c->realtime_runtime.set || c->realtime_period.set || c->idle.set))
       << R_CPU;
  w |= (r->has_pids && r->pids.limit.set) << R_PIDS;
  w |= (r->has_block_io && blkio) << R_BLKIO;
  w |= (r->n_hugepage_limits > 0) << R_HUGETLB;
  w |= (r->has_network && r->network.class_id.set) << R_NET_CLS;
  w |= (r->has_network && r->network.n_priorities > 0) << R_NET_PRIO;
  return w;
}

typedef int (*cg_apply_fn)(const char *dir, const struct spec_resources *r, hrun_error *err);

/* In the order of enum above (runc's order: cpuset first, devices early).
 * v1/v2 name the controller in each version: v2 "" means that any cgroup2
 * directory will do (device programs need no controller), NULL that v2 has
 * no equivalent. On hybrid hosts a controller that no v1 hierarchy has is
 * used from the cgroup2 one (hugetlb on some hosts). */
static const struct cg_res {
  const char *field;
  const char *v1;
  const char *v2;
  cg_apply_fn apply_v1, apply_v2;
} resources[R_COUNT] = {
    {"linux.resources.cpu.cpus/mems", "cpuset", "cpuset", cg_cpuset, cg_cpuset},
    {"linux.resources.devices", "devices", "", cg_v1_devices, cg_v2_devices},
    {"linux.resources.memory", "memory", "memory", cg_v1_memory, cg_v2_memory},
    {"linux.resources.cpu", "cpu", "cpu", cg_v1_cpu, cg_v2_cpu},
    {"linux.resources.pids", "pids", "pids", cg_pids_max, cg_pids_max},
    {"linux.resources.blockIO", "blkio", "io", cg_v1_blkio, cg_v2_io},
    {"linux.resources.hugepageLimits", "hugetlb", "hugetlb", cg_v1_hugetlb, cg_v2_hugetlb},
    {"linux.resources.network.classID", "net_cls", NULL, cg_v1_net_cls, NULL},
    {"linux.resources.network.priorities", "net_prio", NULL, cg_v1_net_prio, NULL},
};

static bool on_v1(const struct cgroup_paths *p, const struct cg_res *e)
{
  return p->mode == CGROUP_MODE_V1 && e->v1 && cg_v1_dir(p, e->v1);
}

/* The directory and writer for e: its v1 hierarchy, else the cgroup2
 * directory when the controller is enabled there. */
static int locate(const struct cgroup_paths *p, const struct cg_res *e, const char **dir,
                  cg_apply_fn *fn, hrun_error *err)
{
  const struct cgroup_dir *d = cg_v2_dir(p);
  cleanup_free char *ctrls = NULL;
  const char *name;

  if (on_v1(p, e)) {
    *dir = cg_v1_dir(p, e->v1)->path;
    *fn = e->apply_v1;
    return 0;
  }
  if (d && e->v2 && (!*e->v2 || (cg_read(d->path, "cgroup.controllers", &ctrls, err) == 0 &&
                                  cg_list_has(ctrls, e->v2, " ")))) {
    *dir = d->path;
    *fn = e->apply_v2;
    return 0;
  }
  name = p->mode == CGROUP_MODE_V2 && e->v2 && *e->v2 ? e->v2 : (e->v1 ? e->v1 : e->v2);
  return err_set(err, 0, "%s: the %s controller is not available", e->field, name);
}

/* The cgroup2 controllers that res needs enabled in the ancestors (on
 * hybrid hosts only those that no v1 hierarchy provides). */
static int enable_needed(const struct cgroup_paths *p, unsigned want, hrun_error *err)
{
  const char *ctrls[R_COUNT], *fields[R_COUNT];
  size_t n = 0;

  for (int i = 0; i < R_COUNT; i++) {
    const struct cg_res *e = &resources[i];
    if ((want & (1u << i)) && e->v2 && *e->v2 && !on_v1(p, e)) {
      ctrls[n] = e->v2;
      fields[n++] = e->field;
    }
  }
  return n && cg_v2_dir(p) ? cg_v2_enable(cg_v2_dir(p)->path, ctrls, fields, n, err) : 0;
}

int cgroup_apply_resources(const struct cgroup_paths *p, const struct spec_resources *res,
                           hrun_error *err)
{
  unsigned want = res ? wanted(res) : 0;
  const char *dir = NULL;
  cg_apply_fn fn = NULL;

  if (!res)
    return 0;
  if (res->n_unified > 0 && (p->mode != CGROUP_MODE_V2 || !cg_v2_dir(p)))
    return err_set(err, 0, "linux.resources.unified: needs cgroup v2, this host uses v1");
  if (enable_needed(p, want, err) < 0)
    return -1;
  for (int i = 0; i < R_COUNT; i++) {
    if (!(want & (1u << i)))
      continue;
    if (locate(p, &resources[i], &dir, &fn, err) < 0 || fn(dir, res, err) < 0)
      return -1;
  }
  /* Last, so that its raw values win over the converted ones. */
  if (res->n_unified > 0)
    return cg_v2_unified(cg_v2_dir(p)->path, res->unified, res->n_unified, err);
  return 0;
}
