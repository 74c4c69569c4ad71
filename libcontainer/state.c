#include "libcontainer/state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
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

static int lock_dir(int fd, const char *id, hrun_error *err)
{
  struct stat st;

  if (flock(fd, LOCK_EX) < 0)
    return err_set(err, errno, "lock container %s", id);
  /* The holder we waited for may have been a delete. */
  if (fstat(fd, &st) < 0)
    return err_set(err, errno, "stat container %s", id);
  if (st.st_nlink == 0)
    return err_no_container(err, id);
  return 0;
}

int state_dir_create(int root_fd, const char *id, hrun_error *err)
{
  cleanup_close int fd = -1;

  if (mkdirat(root_fd, id, 0700) < 0) {
    if (errno == EEXIST)
      return err_container_exists(err, id);
    return err_set(err, errno, "create the state directory of %s", id);
  }
  fd = openat(root_fd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0)
    return err_set(err, errno, "open the state directory of %s", id);
  if (lock_dir(fd, id, err) < 0)
    return -1;
  return take_fd(&fd);
}

int state_dir_open(int root_fd, const char *id, bool lock, hrun_error *err)
{
  cleanup_close int fd = openat(root_fd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);

  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR)
      return err_no_container(err, id);
    return err_set(err, errno, "open the state directory of %s", id);
  }
  if (lock && lock_dir(fd, id, err) < 0)
    return -1;
  return take_fd(&fd);
}

int state_open_container(const char *root, const char *id, bool lock, int *root_fd,
                         hrun_error *err)
{
  int dir_fd;

  *root_fd = -1;
  if (container_id_validate(id, err) < 0)
    return -1;
  *root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (*root_fd < 0) {
    if (errno == ENOENT)
      return err_no_container(err, id);
    return err_set(err, errno, "state root %s", root);
  }
  dir_fd = state_dir_open(*root_fd, id, lock, err);
  if (dir_fd < 0) {
    close(*root_fd);
    *root_fd = -1;
  }
  return dir_fd;
}

int state_dir_remove(int root_fd, const char *id, hrun_error *err)
{
  return remove_tree_at(root_fd, id, err);
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

int state_read(int dir_fd, const char *id, struct container_state *st, hrun_error *err)
{
  cleanup_free char *text = NULL;
  size_t len;

  memset(st, 0, sizeof(*st));
  if (read_regular_file_at(dir_fd, STATE_FILE, JSON_MAX_SIZE, &text, &len, err) < 0) {
    if (err->errnum == ENOENT)
      return err_no_container(err, id);
    return err_wrap(err, "container %s", id);
  }
  if (state_parse(text, len, st, err) < 0)
    return err_wrap(err, "container %s: %s", id, STATE_FILE);
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

bool state_process_alive(const struct container_state *st)
{
  unsigned long long start;
  char state;

  if (st->pid <= 0)
    return false;
  if (proc_stat(st->pid, &start, &state) < 0) {
    /* Unreadable is not gone, but a status has no room for an error: say
     * so rather than report "stopped" silently. */
    char text[128];
    if (errno != ENOENT && errno != ESRCH)
      log_warning("container %s: read /proc/%d/stat: %s", st->id, st->pid,
                  err_errno_text(errno, text, sizeof(text)));
    return false;
  }
  return start == st->start_time && state != 'Z' && state != 'X';
}

enum container_status state_status(int dir_fd, const struct container_state *st)
{
  if (!state_process_alive(st))
    return STATUS_STOPPED;
  /* The start channel exists from create until `start` takes it. */
  if (faccessat(dir_fd, STATE_START_SOCKET, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
    return STATUS_CREATED;
  if (st->cgroup.n_dirs > 0 && cgroup_is_frozen(&st->cgroup) == 1)
    return STATUS_PAUSED;
  return STATUS_RUNNING;
}
