#include "libcontainer/state.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libcontainer/arena.h"
#include "libcontainer/cleanup.h"
#include "libcontainer/engine_errors.h"
#include "libcontainer/fsutil.h"
#include "libcontainer/json.h"
#include "libcontainer/log.h"

const char *container_status_name(enum container_status s)
{
  static const char *const names[] = {
      [STATUS_CREATING] = "creating", [STATUS_CREATED] = "created",
      [STATUS_RUNNING] = "running",   [STATUS_PAUSED] = "paused",
      [STATUS_STOPPED] = "stopped",
  };
  return names[s];
}

static bool id_char_ok(char c, bool first)
{
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
    return true;
  if (c == '_' || c == '+' || c == '-')
    return true;
  return !first && c == '.';
}

int container_id_validate(const char *id, hrun_error *err)
{
  size_t i;

  if (!id || !id[0])
    return err_set(err, 0, "container id must not be empty");
  if (strlen(id) > 1024)
    return err_set(err, 0, "invalid container id: longer than 1024 characters");
  for (i = 0; id[i]; i++)
    if (!id_char_ok(id[i], i == 0)) {
      char quoted[256];

      /* Never the raw bytes: the id came from the command line and may hold
       * a newline or a terminal escape sequence. */
      return err_set(err, 0,
                     "invalid container id \"%s\": use letters, digits, '_', '+', "
                     "'-' and (not first) '.'",
                     err_quote(id, quoted, sizeof(quoted)));
    }
  return 0;
}

int state_root_open(const char *root, bool create, hrun_error *err)
{
  int fd;

  if (create && mkdir_all(root, 0700, err) < 0)
    return err_wrap(err, "state root");
  fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return err_set(err, errno, "state root %s", root);
  return fd;
}

/* state.json goes last: until the directory itself goes, the container
 * reads as recorded (and stopped), never as a create at its first step. */
int state_dir_remove(int root_fd, const char *id, hrun_error *err)
{
  cleanup_close int fd = openat(root_fd, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  cleanup_closedir DIR *d = NULL;
  struct dirent *e;
  int r = 0;

  if (fd < 0)
    return errno == ENOENT ? 0 : err_set(err, errno, "open the state directory of %s", id);
  d = fdopendir(fd);
  if (!d)
    return err_set(err, errno, "read the state directory of %s", id);
  fd = -1; /* the DIR owns it */
  while ((e = readdir(d)))
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
        strcmp(e->d_name, STATE_FILE) != 0 && remove_tree_at(dirfd(d), e->d_name, err) < 0)
      r = -1;
  if (r == 0 && unlinkat(dirfd(d), STATE_FILE, 0) < 0 && errno != ENOENT)
    r = err_set(err, errno, "remove %s", STATE_FILE);
  if (r == 0 && unlinkat(root_fd, id, AT_REMOVEDIR) < 0 && errno != ENOENT)
    r = err_set(err, errno, "remove the state directory of %s", id);
  return r;
}

static void write_cgroup(json_writer *w, const struct cgroup_paths *cg)
{
  size_t i;

  jw_key(w, "cgroup");
  jw_object_begin(w);
  jw_key(w, "mode");
  jw_string(w, cg->mode == CGROUP_MODE_V2 ? "v2" : "v1");
  jw_key(w, "path");
  jw_string(w, cg->rel_path ? cg->rel_path : "");
  jw_key(w, "dirs");
  jw_array_begin(w);
  for (i = 0; i < cg->n_dirs; i++) {
    jw_object_begin(w);
    jw_key(w, "controllers");
    jw_string(w, cg->dirs[i].controllers);
    jw_key(w, "path");
    jw_string(w, cg->dirs[i].path);
    jw_key(w, "createdDepth");
    jw_int(w, cg->dirs[i].created_depth);
    jw_object_end(w);
  }
  jw_array_end(w);
  jw_object_end(w);
}

static void write_proc_ref(json_writer *w, pid_t pid, unsigned long long start_time)
{
  jw_object_begin(w);
  jw_key(w, "pid");
  jw_int(w, pid);
  jw_key(w, "startTime");
  jw_uint(w, start_time);
  jw_object_end(w);
}

static void write_field(json_writer *w, const char *key, const char *value)
{
  jw_key(w, key);
  jw_string(w, value ? value : "");
}

int state_write(int dir_fd, const struct container_state *st, hrun_error *err)
{
  json_writer *w = json_writer_new(false);
  const char *out;
  size_t len, i;
  int r;

  jw_object_begin(w);
  write_field(w, "id", st->id);
  jw_key(w, "pid");
  jw_int(w, st->pid);
  jw_key(w, "startTime");
  jw_uint(w, st->start_time);
  write_field(w, "bundle", st->bundle);
  write_field(w, "rootfs", st->rootfs);
  write_field(w, "created", st->created);
  write_field(w, "owner", st->owner);
  write_cgroup(w, &st->cgroup);
  if (st->creator_pid > 0) {
    jw_key(w, "creator");
    write_proc_ref(w, st->creator_pid, st->creator_start_time);
  }
  if (st->init_exe_ino) {
    jw_key(w, "initExe");
    jw_object_begin(w);
    jw_key(w, "dev");
    jw_uint(w, st->init_exe_dev);
    jw_key(w, "ino");
    jw_uint(w, st->init_exe_ino);
    jw_object_end(w);
  }
  jw_key(w, "annotations");
  jw_object_begin(w);
  for (i = 0; st->annotation_keys && st->annotation_keys[i]; i++)
    write_field(w, st->annotation_keys[i], st->annotation_values[i]);
  jw_object_end(w);
  jw_object_end(w);
  out = jw_output(w, &len);
  r = write_file_atomic_at(dir_fd, STATE_FILE, out, len, 0600, err);
  json_writer_free(w);
  return r;
}

static char *dup_string(const json_value *obj, const char *key)
{
  const json_value *v = json_object_get(obj, key);
  const char *s = v ? json_string(v) : NULL;

  return xstrdup(s ? s : "");
}

static void read_cgroup(const json_value *obj, struct cgroup_paths *cg)
{
  const json_value *c = json_object_get(obj, "cgroup");
  const json_value *dirs = c ? json_object_get(c, "dirs") : NULL;
  const char *mode;
  size_t i, n = dirs ? json_array_len(dirs) : 0;

  if (!c)
    return;
  mode = json_string(json_object_get(c, "mode"));
  cg->mode = mode && strcmp(mode, "v2") == 0 ? CGROUP_MODE_V2 : CGROUP_MODE_V1;
  cg->rel_path = dup_string(c, "path");
  cg->dirs = xmalloc0(sizeof(*cg->dirs) * (n ? n : 1));
  cg->n_dirs = n;
  for (i = 0; i < n; i++) {
    const json_value *d = json_array_get(dirs, i);
    const json_value *depth = json_object_get(d, "createdDepth");
    int64_t v = 0;

    cg->dirs[i].controllers = dup_string(d, "controllers");
    cg->dirs[i].path = dup_string(d, "path");
    if (depth && json_int64(depth, &v))
      cg->dirs[i].created_depth = (int)v;
  }
}

static void read_annotations(const json_value *obj, struct container_state *st)
{
  const json_value *a = json_object_get(obj, "annotations");
  size_t i, n = a ? json_object_size(a) : 0;

  st->annotation_keys = xmalloc0(sizeof(char *) * (n + 1));
  st->annotation_values = xmalloc0(sizeof(char *) * (n + 1));
  for (i = 0; i < n; i++) {
    const char *v = json_string(json_object_value(a, i));
    st->annotation_keys[i] = xstrdup(json_object_key(a, i));
    st->annotation_values[i] = xstrdup(v ? v : "");
  }
}

static uint64_t get_uint(const json_value *obj, const char *key)
{
  const json_value *v = obj ? json_object_get(obj, key) : NULL;
  uint64_t u = 0;

  if (v)
    json_uint64(v, &u);
  return u;
}

static pid_t get_pid(const json_value *obj)
{
  const json_value *v = obj ? json_object_get(obj, "pid") : NULL;
  int64_t pid = 0;

  if (v)
    json_int64(v, &pid);
  return pid > 0 && pid <= INT32_MAX ? (pid_t)pid : 0;
}

/* What a dir without state.json shows: its id, nothing else known. */
static void unrecorded(const char *id, struct container_state *st)
{
  st->id = xstrdup(id);
  st->bundle = xstrdup("");
  st->rootfs = xstrdup("");
  st->created = xstrdup("");
  st->owner = xstrdup("");
  st->annotation_keys = xmalloc0(sizeof(char *));
  st->annotation_values = xmalloc0(sizeof(char *));
}

int state_read(int dir_fd, const char *id, struct container_state *st, hrun_error *err)
{
  cleanup_free char *text = NULL;
  const json_value *creator, *exe;
  json_value *root;
  size_t len;

  memset(st, 0, sizeof(*st));
  if (read_file_at(dir_fd, STATE_FILE, &text, &len, err) < 0) {
    if (err->errnum != ENOENT)
      return err_wrap(err, "container %s", id);
    unrecorded(id, st);
    return 0;
  }
  root = json_parse(text, len, err);
  if (!root)
    return err_wrap(err, "container %s: %s", id, STATE_FILE);
  st->recorded = true;
  st->id = dup_string(root, "id");
  st->pid = get_pid(root);
  st->start_time = get_uint(root, "startTime");
  creator = json_object_get(root, "creator");
  st->creator_pid = get_pid(creator);
  st->creator_start_time = get_uint(creator, "startTime");
  exe = json_object_get(root, "initExe");
  st->init_exe_dev = get_uint(exe, "dev");
  st->init_exe_ino = get_uint(exe, "ino");
  st->bundle = dup_string(root, "bundle");
  st->rootfs = dup_string(root, "rootfs");
  st->created = dup_string(root, "created");
  st->owner = dup_string(root, "owner");
  read_cgroup(root, &st->cgroup);
  read_annotations(root, st);
  json_free(root);
  return 0;
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

bool state_pid_alive(pid_t pid, unsigned long long start_time)
{
  unsigned long long start;
  char state;

  if (pid <= 0)
    return false;
  if (proc_stat(pid, &start, &state) < 0) {
    /* Unreadable is not gone, but a status has no room for an error: say
     * so rather than report "stopped" silently. */
    char text[128];
    if (errno != ENOENT && errno != ESRCH)
      log_warning("read /proc/%d/stat: %s", (int)pid,
                  err_errno_text(errno, text, sizeof(text)));
    return false;
  }
  return start == start_time && state != 'Z' && state != 'X';
}

bool state_process_alive(const struct container_state *st)
{
  return state_pid_alive(st->pid, st->start_time);
}

bool state_creator_alive(const struct container_state *st)
{
  return state_pid_alive(st->creator_pid, st->creator_start_time);
}

/* Has the init executed the container's process? It runs the runtime's
 * binary until then, whether `start` took the start channel, was killed
 * before or after, or never came. */
static bool init_still_runtime(int dir_fd, const struct container_state *st)
{
  char exe[64];
  struct stat sb;

  if (!st->init_exe_ino)
    return faccessat(dir_fd, STATE_START_SOCKET, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
  snprintf(exe, sizeof(exe), "/proc/%d/exe", (int)st->pid);
  if (stat(exe, &sb) < 0)
    /* Not ours to look at (a caller without ptrace access to the init,
     * such as a hook in the container): the start channel tells. */
    return errno != ENOENT &&
           faccessat(dir_fd, STATE_START_SOCKET, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
  return sb.st_dev == st->init_exe_dev && sb.st_ino == st->init_exe_ino;
}

enum container_status state_status(int dir_fd, const struct container_state *st)
{
  /* No state.json: create is between its mkdir and its first write while
   * it holds the lock; without a holder, it was killed there. */
  if (!st->recorded)
    return state_dir_lock_busy(dir_fd) ? STATUS_CREATING : STATUS_STOPPED;
  if (st->creator_pid > 0)
    return state_creator_alive(st) ? STATUS_CREATING : STATUS_STOPPED;
  if (!state_process_alive(st))
    return STATUS_STOPPED;
  if (init_still_runtime(dir_fd, st))
    return STATUS_CREATED;
  if (st->cgroup.n_dirs > 0 && cgroup_is_frozen(&st->cgroup) == 1)
    return STATUS_PAUSED;
  return STATUS_RUNNING;
}
