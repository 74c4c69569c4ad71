/* The per-container lock: a flock on <root>/<id>.
 *
 * It guards create against create and delete against delete, nothing
 * more, and it is only ever held for work that ends by itself: create
 * holds it from the mkdir until its init is recorded in state.json (before
 * any hook runs), delete while it kills, removes the cgroup and the state
 * dir (poststop hooks run after it released it). start, kill, exec, state,
 * pause and update never take it: a pidfd opened after the recorded start
 * time matched makes signalling safe without it, and a hook that calls
 * hrun on its own container can never wait for its own runtime. Those who
 * take it wait at most STATE_LOCK_WAIT_MS, then say who holds it. */
#include "libcontainer/state/state.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "libcontainer/util/cleanup.h"
#include "libcontainer/util/engine_errors.h"

/* A few tries of create's mkdir: a delete --force that found the dir
 * without state.json and its lock free (we had not taken it yet) may have
 * removed it under us. */
#define CREATE_TRIES 3

static void sleep_ms(long ms)
{
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

  while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
    ;
}

/* flock with a deadline: polling, so that no signal handler or timer of
 * the caller is disturbed; the first tries are quick because the usual
 * holder (a create's first steps) is done within milliseconds. */
static int flock_bounded(int fd, int op, long timeout_ms)
{
  long waited = 0, delay = 1;

  while (flock(fd, op | LOCK_NB) < 0) {
    if (errno == EINTR)
      continue;
    if (errno != EWOULDBLOCK || waited >= timeout_ms)
      return -1;
    sleep_ms(delay);
    waited += delay;
    delay = delay * 2 > 50 ? 50 : delay * 2;
  }
  return 0;
}

static int lock_dir(int fd, const char *id, hrun_error *err)
{
  struct stat st;

  if (flock_bounded(fd, LOCK_EX, STATE_LOCK_WAIT_MS) < 0) {
    if (errno == EWOULDBLOCK)
      return err_set(err, 0,
                     "container %s is locked by another hrun create or delete that has "
                     "not finished in %d s; try again",
                     id, STATE_LOCK_WAIT_MS / 1000);
    return err_set(err, errno, "lock container %s", id);
  }
  /* The holder we waited for may have been a delete. */
  if (fstat(fd, &st) < 0)
    return err_set(err, errno, "stat container %s", id);
  if (st.st_nlink == 0)
    return err_no_container(err, id);
  return 0;
}

static int create_once(int root_fd, const char *id, hrun_error *err)
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

int state_dir_create(int root_fd, const char *id, hrun_error *err)
{
  int fd = -1;

  for (int i = 0; i < CREATE_TRIES && fd < 0; i++) {
    fd = create_once(root_fd, id, err);
    if (fd < 0 && err->kind != HRUN_ERR_NOT_FOUND)
      return -1;
  }
  return fd;
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

void state_dir_unlock(int dir_fd)
{
  flock(dir_fd, LOCK_UN);
}

/* Through a file description of our own: a shared lock granted at once
 * means nobody holds the exclusive one. */
bool state_dir_lock_busy(int dir_fd)
{
  cleanup_close int fd = openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  bool busy;

  if (fd < 0)
    return false;
  busy = flock(fd, LOCK_SH | LOCK_NB) < 0 && errno == EWOULDBLOCK;
  return busy;
}
