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

static int check_id(const char *id, hrun_error *err)
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

int container_id_validate(const char *id, hrun_error *err)
{
  return check_id(id, err) < 0 ? err_kind(err, HRUN_ERR_INVALID_CONFIG) : 0;
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
  if (cg->unit) {
    jw_key(w, "systemdUnit");
    jw_string(w, cg->unit);
  }
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
  /* Within what state_read takes back (annotations escaped grow). */
  if (len > JSON_MAX_SIZE)
    r = err_set(err, 0, "%s would be larger than %d MiB (annotations)", STATE_FILE,
                JSON_MAX_SIZE >> 20);
  else
    r = write_file_atomic_at(dir_fd, STATE_FILE, out, len, 0600, err);
  json_writer_free(w);
  return r;
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
  size_t len;

  memset(st, 0, sizeof(*st));
  if (read_regular_file_at(dir_fd, STATE_FILE, JSON_MAX_SIZE, &text, &len, err) < 0) {
    if (err->errnum != ENOENT)
      return err_wrap(err, "container %s", id);
    unrecorded(id, st);
    return 0;
  }
  if (state_parse(text, len, st, err) < 0)
    return err_wrap(err, "container %s: %s", id, STATE_FILE);
  st->recorded = true;
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
