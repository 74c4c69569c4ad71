/* state.json read back. The reader is strict about types and ranges: a
 * corrupted file gives one line naming the member ("state.json: pid:
 * expected a process id"), never a wrong pid to signal, a cgroup path to
 * remove that is not one, or a crash. It is lenient about absence: a
 * missing member is empty, as in the files earlier versions wrote. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/cgroups/cgroup_systemd.h"
#include "libcontainer/util/json.h"
#include "libcontainer/state/state.h"

/* Member key of obj, NULL when absent or null. */
static const json_value *member(const json_value *obj, const char *key)
{
  const json_value *v = json_object_get(obj, key);

  return json_type_of(v) == JSON_NULL ? NULL : v;
}

static int expected(hrun_error *err, const char *at, const char *key, const char *what)
{
  return err_set(err, 0, "%s%s: expected %s", at, key, what);
}

/* *out: the string member (malloc'ed), "" when absent. */
static int get_string(const json_value *obj, const char *at, const char *key, char **out,
                      hrun_error *err)
{
  const json_value *v = member(obj, key);

  if (v && !json_string(v))
    return expected(err, at, key, "a string");
  *out = xstrdup(v ? json_string(v) : "");
  return 0;
}

/* *out: the integer member in 0..max, 0 when absent; -1 when it is not. */
static int get_int(const json_value *obj, const char *key, int64_t max, int64_t *out)
{
  const json_value *v = member(obj, key);

  *out = 0;
  if (v && (!json_int64(v, out) || *out < 0 || *out > max))
    return -1;
  return 0;
}

/* What destroy_dir removes: an absolute path of plain components ("/",
 * ".", ".." or "//" would aim above or beside the container's cgroup),
 * deeper than the components hrun says it created. */
static bool cgroup_dir_ok(const char *path, int64_t depth)
{
  int64_t components = 0;
  const char *s = path;

  if (*s != '/')
    return false;
  while (*s == '/') {
    size_t n = strcspn(s + 1, "/");

    if (n == 0 || (n == 1 && s[1] == '.') || (n == 2 && s[1] == '.' && s[2] == '.'))
      return false;
    components++;
    s += 1 + n;
  }
  return depth < components;
}

static int read_cgroup_dir(const json_value *d, const char *at, struct cgroup_dir *out,
                           hrun_error *err)
{
  int64_t depth;

  if (json_type_of(d) != JSON_OBJECT)
    return err_set(err, 0, "%.*s: expected an object", (int)strlen(at) - 1, at);
  if (get_string(d, at, "controllers", &out->controllers, err) < 0 ||
      get_string(d, at, "path", &out->path, err) < 0)
    return -1;
  if (get_int(d, "createdDepth", INT_MAX, &depth) < 0)
    return expected(err, at, "createdDepth", "a non-negative 32-bit integer");
  if (!cgroup_dir_ok(out->path, depth))
    return expected(err, at, "path", "an absolute cgroup directory deeper than createdDepth");
  out->created_depth = (int)depth;
  return 0;
}

/* systemdUnit: the scope that delete stops; absent with the cgroupfs
 * driver. Only a scope's name: nothing else is ever stopped. */
static int read_unit(const json_value *c, struct cgroup_paths *cg, hrun_error *err)
{
  const json_value *u = member(c, "systemdUnit");

  if (!u)
    return 0;
  if (!json_string(u) || !systemd_unit_name_ok(json_string(u)))
    return expected(err, "cgroup.", "systemdUnit", "the name of a scope unit");
  cg->unit = xstrdup(json_string(u));
  return 0;
}

static int read_cgroup(const json_value *root, struct cgroup_paths *cg, hrun_error *err)
{
  const json_value *c = member(root, "cgroup"), *dirs;
  char at[64];
  char *mode = NULL;
  size_t i;

  if (!c)
    return 0;
  if (json_type_of(c) != JSON_OBJECT)
    return expected(err, "", "cgroup", "an object");
  if (get_string(c, "cgroup.", "mode", &mode, err) < 0)
    return -1;
  cg->mode = strcmp(mode, "v2") == 0 ? CGROUP_MODE_V2 : CGROUP_MODE_V1;
  if (mode[0] && strcmp(mode, "v1") != 0 && strcmp(mode, "v2") != 0) {
    free(mode);
    return err_set(err, 0, "cgroup.mode: expected \"v1\" or \"v2\"");
  }
  free(mode);
  if (get_string(c, "cgroup.", "path", &cg->rel_path, err) < 0)
    return -1;
  dirs = member(c, "dirs");
  if (dirs && json_type_of(dirs) != JSON_ARRAY)
    return expected(err, "cgroup.", "dirs", "an array");
  cg->n_dirs = json_array_len(dirs);
  cg->dirs = xmalloc0(sizeof(*cg->dirs) * (cg->n_dirs ? cg->n_dirs : 1));
  for (i = 0; i < cg->n_dirs; i++) {
    snprintf(at, sizeof(at), "cgroup.dirs[%zu].", i);
    if (read_cgroup_dir(json_array_get(dirs, i), at, &cg->dirs[i], err) < 0)
      return -1;
  }
  return read_unit(c, cg, err);
}

static int read_annotations(const json_value *root, struct container_state *st,
                            hrun_error *err)
{
  const json_value *a = member(root, "annotations");
  size_t i, n = json_object_size(a);

  if (a && json_type_of(a) != JSON_OBJECT)
    return expected(err, "", "annotations", "an object");
  st->annotation_keys = xmalloc0(sizeof(char *) * (n + 1));
  st->annotation_values = xmalloc0(sizeof(char *) * (n + 1));
  for (i = 0; i < n; i++) {
    const char *v = json_string(json_object_value(a, i));

    if (!v)
      return expected(err, "annotations.", json_object_key(a, i), "a string");
    st->annotation_keys[i] = xstrdup(json_object_key(a, i));
    st->annotation_values[i] = xstrdup(v);
  }
  return 0;
}

/* {"pid": N, "startTime": N}: a process, named so that a reused pid is
 * never taken for it. Absent: 0, 0. */
static int read_proc_ref(const json_value *root, const char *key, pid_t *pid,
                         unsigned long long *start_time, hrun_error *err)
{
  const json_value *o = member(root, key), *sv;
  uint64_t start = 0;
  int64_t p;

  if (!o)
    return 0;
  if (json_type_of(o) != JSON_OBJECT)
    return expected(err, "", key, "an object");
  if (get_int(o, "pid", INT_MAX, &p) < 0)
    return err_set(err, 0, "%s.pid: expected a process id", key);
  sv = member(o, "startTime");
  if (sv && !json_uint64(sv, &start))
    return err_set(err, 0, "%s.startTime: expected an unsigned integer", key);
  *pid = (pid_t)p;
  *start_time = start;
  return 0;
}

/* initExe: {"dev": N, "ino": N}, the runtime binary the init runs until it
 * executes the container's process. */
static int read_init_exe(const json_value *root, struct container_state *st, hrun_error *err)
{
  const json_value *o = member(root, "initExe"), *v;
  const char *keys[2] = {"dev", "ino"};
  uint64_t out[2] = {0, 0};

  if (!o)
    return 0;
  if (json_type_of(o) != JSON_OBJECT)
    return expected(err, "", "initExe", "an object");
  for (int i = 0; i < 2; i++) {
    v = member(o, keys[i]);
    if (v && !json_uint64(v, &out[i]))
      return err_set(err, 0, "initExe.%s: expected an unsigned integer", keys[i]);
  }
  st->init_exe_dev = out[0];
  st->init_exe_ino = out[1];
  return 0;
}

static int read_members(const json_value *root, struct container_state *st, hrun_error *err)
{
  const json_value *sv = member(root, "startTime");
  uint64_t start_time = 0;
  int64_t pid;

  if (json_type_of(root) != JSON_OBJECT)
    return err_set(err, 0, "expected an object");
  if (get_string(root, "", "id", &st->id, err) < 0)
    return -1;
  /* pid_t is an int: a larger number would be cut to some other pid. */
  if (get_int(root, "pid", INT_MAX, &pid) < 0)
    return expected(err, "", "pid", "a process id");
  if (sv && !json_uint64(sv, &start_time))
    return expected(err, "", "startTime", "an unsigned integer");
  st->pid = (pid_t)pid;
  st->start_time = start_time;
  if (get_string(root, "", "bundle", &st->bundle, err) < 0 ||
      get_string(root, "", "rootfs", &st->rootfs, err) < 0 ||
      get_string(root, "", "created", &st->created, err) < 0 ||
      get_string(root, "", "owner", &st->owner, err) < 0 ||
      read_cgroup(root, &st->cgroup, err) < 0 ||
      read_proc_ref(root, "creator", &st->creator_pid, &st->creator_start_time, err) < 0 ||
      read_init_exe(root, st, err) < 0)
    return -1;
  return read_annotations(root, st, err);
}

int state_parse(const char *text, size_t len, struct container_state *st, hrun_error *err)
{
  json_value *root;
  int r;

  memset(st, 0, sizeof(*st));
  root = json_parse(text, len, err);
  if (!root)
    return -1;
  r = read_members(root, st, err);
  json_free(root);
  if (r < 0)
    state_free(st);
  return r;
}

static void free_strv(char **v)
{
  size_t i;

  for (i = 0; v && v[i]; i++)
    free(v[i]);
  free(v);
}

void state_free(struct container_state *st)
{
  free(st->id);
  free(st->bundle);
  free(st->rootfs);
  free(st->created);
  free(st->owner);
  cgroup_paths_free(&st->cgroup);
  free_strv(st->annotation_keys);
  free_strv(st->annotation_values);
  memset(st, 0, sizeof(*st));
}
