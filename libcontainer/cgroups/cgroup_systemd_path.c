/* linux.cgroupsPath for the systemd driver: "slice:prefix:name" -> the
 * scope unit, its slice and its directory in the cgroup2 hierarchy, as
 * runc reads it (libcontainer/cgroups/systemd: ExpandSlice, getUnitName).
 * Pure string work: no bus, no file system. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/cgroups/cgroup_internal.h"
#include "libcontainer/cgroups/cgroup_systemd.h"
#include "libcontainer/util/cleanup.h"

#define DEFAULT_SLICE "system.slice"
#define DEFAULT_PREFIX "hrun"
#define SLICE_SUFFIX ".slice"
/* systemd's UNIT_NAME_MAX */
#define UNIT_NAME_MAX 255

/* The characters systemd allows in a unit name (less "@", templates). */
static bool unit_chars_ok(const char *s)
{
  return s[strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:-_.\\")] ==
         '\0';
}

char *systemd_slice_path(const char *slice, hrun_error *err)
{
  size_t len = strlen(slice), suffix = strlen(SLICE_SUFFIX);
  cleanup_free char *base = NULL;
  char *path, *p;

  if (len <= suffix || strcmp(slice + len - suffix, SLICE_SUFFIX) != 0 || !unit_chars_ok(slice)) {
    err_set(err, 0, "linux.cgroupsPath: \"%s\" is no slice name (\"name.slice\")", slice);
    return NULL;
  }
  if (strcmp(slice, "-.slice") == 0)
    return xstrdup("");
  base = xasprintf("%.*s", (int)(len - suffix), slice);
  if (base[0] == '-' || base[strlen(base) - 1] == '-' || strstr(base, "--")) {
    err_set(err, 0, "linux.cgroupsPath: slice \"%s\": a \"-\" at either end or doubled", slice);
    return NULL;
  }
  /* Each "-" opens a parent: a-b-c.slice is in a-b.slice, in a.slice. */
  path = xmalloc0(2 * len * (len / 2 + 1) + 1);
  p = path;
  for (const char *dash = base;; dash++) {
    dash = strchr(dash, '-');
    size_t upto = dash ? (size_t)(dash - base) : strlen(base);
    p += sprintf(p, "/%.*s" SLICE_SUFFIX, (int)upto, base);
    if (!dash)
      break;
  }
  return path;
}

/* The three parts of "slice:prefix:name", each malloc'ed. */
static int split3(const char *path, char *parts[3], hrun_error *err)
{
  const char *c1 = strchr(path, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;

  if (!c1 || !c2 || strchr(c2 + 1, ':'))
    return err_set(err, 0, "linux.cgroupsPath: \"%s\": expected \"slice:prefix:name\" for "
                   "the systemd cgroup manager", path);
  parts[0] = xasprintf("%.*s", (int)(c1 - path), path);
  parts[1] = xasprintf("%.*s", (int)(c2 - c1 - 1), c1 + 1);
  parts[2] = xstrdup(c2 + 1);
  return 0;
}

static int check_name(const char *prefix, const char *name, hrun_error *err)
{
  size_t len = strlen(name);

  if (!*name)
    return err_set(err, 0, "linux.cgroupsPath: the name (\"slice:prefix:name\") is empty");
  if (len >= strlen(SLICE_SUFFIX) && strcmp(name + len - strlen(SLICE_SUFFIX), SLICE_SUFFIX) == 0)
    return err_set(err, 0, "linux.cgroupsPath: \"%s\": a slice as the container's unit is "
                   "not supported, only a scope", name);
  if (!unit_chars_ok(prefix) || !unit_chars_ok(name))
    return err_set(err, 0, "linux.cgroupsPath: \"%s:%s\": only letters, digits and \":-_.\\\" "
                   "may name a unit", prefix, name);
  if (strlen(prefix) + len + strlen("-.scope") > UNIT_NAME_MAX)
    return err_set(err, 0, "linux.cgroupsPath: the unit name would be longer than %d "
                   "characters", UNIT_NAME_MAX);
  return 0;
}

static int fill_scope(char *parts[3], struct systemd_scope *out, hrun_error *err)
{
  cleanup_free char *slice_path = NULL;

  if (check_name(parts[1], parts[2], err) < 0)
    return -1;
  out->slice = xstrdup(*parts[0] ? parts[0] : DEFAULT_SLICE);
  slice_path = systemd_slice_path(out->slice, err);
  if (!slice_path)
    return -1;
  out->unit = *parts[1] ? xasprintf("%s-%s.scope", parts[1], parts[2])
                        : xasprintf("%s.scope", parts[2]);
  out->rel_path = xasprintf("%s/%s", slice_path, out->unit);
  return 0;
}

int systemd_scope_parse(const char *cgroups_path, const char *id, struct systemd_scope *out,
                        hrun_error *err)
{
  char *parts[3] = {NULL, NULL, NULL};
  int r;

  memset(out, 0, sizeof(*out));
  if (!cgroups_path || !*cgroups_path) {
    parts[0] = xstrdup(DEFAULT_SLICE);
    parts[1] = xstrdup(DEFAULT_PREFIX);
    parts[2] = xstrdup(id ? id : "");
  } else if (split3(cgroups_path, parts, err) < 0) {
    return -1;
  }
  r = fill_scope(parts, out, err);
  for (int i = 0; i < 3; i++)
    free(parts[i]);
  if (r < 0)
    systemd_scope_free(out);
  return r;
}

void systemd_scope_free(struct systemd_scope *s)
{
  free(s->slice);
  free(s->unit);
  free(s->rel_path);
  memset(s, 0, sizeof(*s));
}

void systemd_scope_paths(const struct systemd_scope *s, struct cgroup_paths *out)
{
  memset(out, 0, sizeof(*out));
  out->mode = CGROUP_MODE_V2;
  out->rel_path = xstrdup(s->rel_path);
  out->unit = xstrdup(s->unit);
  out->n_dirs = 1;
  out->dirs = xmalloc0(sizeof(*out->dirs));
  out->dirs[0].controllers = xstrdup("");
  out->dirs[0].path = xasprintf("%s%s", CGROUP_ROOT, s->rel_path);
  /* The scope's directory alone: the slices are systemd's. */
  out->dirs[0].created_depth = 1;
}

bool systemd_unit_name_ok(const char *unit)
{
  size_t len = strlen(unit), suffix = strlen(".scope");

  return len > suffix && len <= UNIT_NAME_MAX && unit_chars_ok(unit) &&
         strcmp(unit + len - suffix, ".scope") == 0;
}
