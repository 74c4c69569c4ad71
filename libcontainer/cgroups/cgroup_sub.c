/* exec --cgroup [CONTROLLERS:]PATH: the exec'd process joins an existing
 * sub-cgroup of the container's, in the hierarchies named (all when none),
 * as runc's exec does. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/cgroups/cgroup.h"

/* Whether the hierarchy's controllers ("cpu,cpuacct") include one of the
 * comma-separated names asked for. */
static bool names_match(const char *have, const char *want, size_t want_len)
{
  char *h = xstrdup(have), *w = strndup(want, want_len), *hs = NULL, *ws = NULL, *a, *b;
  bool found = false;

  for (a = strtok_r(w, ",", &ws); a && !found; a = strtok_r(NULL, ",", &ws)) {
    strcpy(h, have);
    for (b = strtok_r(h, ",", &hs); b && !found; b = strtok_r(NULL, ",", &hs))
      found = strcmp(a, b) == 0;
  }
  free(h);
  free(w);
  return found;
}

static int check_sub_path(const char *spec, const char *path, hrun_error *err)
{
  if (path[0] == '\0' || path[0] == '/' || strstr(path, "..") ||
      strncmp(path, "./", 2) == 0)
    return err_set(err, 0, "--cgroup %s: the path must be relative to the container's "
                           "cgroup, without \"..\"", spec);
  return 0;
}

/* Applies one --cgroup argument to every matching directory of out. */
static int apply_one(const char *spec, struct cgroup_paths *out, hrun_error *err)
{
  const char *colon = strchr(spec, ':');
  const char *path = colon ? colon + 1 : spec;
  size_t want_len = colon ? (size_t)(colon - spec) : 0;
  struct stat st;
  size_t i;
  bool any = false;

  if (check_sub_path(spec, path, err) < 0)
    return -1;
  if (colon && out->mode == CGROUP_MODE_V2)
    return err_set(err, 0, "--cgroup %s: cgroup v2 has no per-controller hierarchies", spec);
  for (i = 0; i < out->n_dirs; i++) {
    struct cgroup_dir *d = &out->dirs[i];
    char *joined;
    if (colon && !names_match(d->controllers, spec, want_len))
      continue;
    joined = xasprintf("%s/%s", d->path, path);
    if (stat(joined, &st) < 0 || !S_ISDIR(st.st_mode)) {
      err_set(err, errno ? errno : ENOTDIR, "--cgroup %s: %s", spec, joined);
      free(joined);
      return -1;
    }
    free(d->path);
    d->path = joined;
    any = true;
  }
  if (!any)
    return err_set(err, 0, "--cgroup %s: the container has no cgroup of those controllers",
                   spec);
  return 0;
}

int cgroup_sub_paths(const struct cgroup_paths *base, char **specs, int n,
                     struct cgroup_paths *out, hrun_error *err)
{
  size_t i;
  int k;

  memset(out, 0, sizeof(*out));
  out->mode = base->mode;
  out->rel_path = xstrdup(base->rel_path ? base->rel_path : "");
  out->dirs = xmalloc0(sizeof(*out->dirs) * (base->n_dirs + 1));
  out->n_dirs = base->n_dirs;
  for (i = 0; i < base->n_dirs; i++) {
    out->dirs[i].controllers = xstrdup(base->dirs[i].controllers);
    out->dirs[i].path = xstrdup(base->dirs[i].path);
  }
  for (k = 0; k < n; k++)
    if (apply_one(specs[k], out, err) < 0) {
      cgroup_paths_free(out);
      return -1;
    }
  return 0;
}
