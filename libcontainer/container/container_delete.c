/* delete: a stopped container goes; with --force, any container, and
 * whatever a create, start or delete killed half-way left (state.h).
 *
 * A container whose creator is still at work ("creating") is not torn
 * down under it: delete --force kills the init and the hooks the creator
 * runs (it then fails at once and undoes what it made, poststop
 * included), waits up to CREATOR_WAIT_MS for it to finish, kills the
 * creator if it is stuck all the same, and removes what is left. */
#include <errno.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libcontainer/cgroups/cgroup.h"
#include "libcontainer/util/cleanup.h"
#include "libcontainer/container/container.h"
#include "libcontainer/hooks/hook_groups.h"
#include "libcontainer/util/log.h"
#include "libcontainer/state/process.h"

#define CREATOR_WAIT_MS 5000
#define DELETE_TRIES 3

/* A pidfd of the creator once its start time matched, or -1. */
static int open_creator(const struct container_state *st)
{
  int fd;

  if (st->creator_pid <= 0)
    return -1;
  fd = (int)syscall(SYS_pidfd_open, st->creator_pid, 0);
  if (fd >= 0 && !state_creator_alive(st)) {
    close(fd);
    fd = -1;
  }
  return fd;
}

static void stop_creator(int dir_fd, const struct container_state *st)
{
  cleanup_close int creator = open_creator(st);
  cleanup_close int init = process_open(st);
  hrun_error ignored;

  log_debug("delete %s: its creator %d is at work; killing its init %d", st->id,
            st->creator_pid, st->pid);
  if (init >= 0)
    process_signal(init, SIGKILL, &ignored);
  if (st->cgroup.n_dirs > 0)
    cgroup_kill_all(&st->cgroup, SIGKILL, &ignored);
  hook_groups_kill(dir_fd);
  if (creator < 0 || process_wait_exit(creator, CREATOR_WAIT_MS))
    return;
  log_warning("container %s: its creator %d did not finish within %d s; killing it", st->id,
              st->creator_pid, CREATOR_WAIT_MS / 1000);
  process_signal(creator, SIGKILL, &ignored);
  process_wait_exit(creator, CREATOR_WAIT_MS);
}

int container_delete(const struct hrun_context *ctx, const char *id, bool force,
                     hrun_error *err)
{
  struct container_handle h;
  enum container_status status;
  int r = -1;

  for (int i = 0; i < DELETE_TRIES; i++) {
    /* --force of an id that does not exist succeeds, as with runc and
     * crun: engines delete with --force to make sure a container is gone. */
    if (container_open(ctx, id, true, &h, err) < 0)
      return force && err->kind == HRUN_ERR_NOT_FOUND ? 0 : -1;
    /* Holding the lock, a dir without state.json is a create killed
     * before its first write (it holds the lock until then). */
    status = h.state.recorded ? state_status(h.dir_fd, &h.state) : STATUS_STOPPED;
    log_debug("delete %s: %s%s", id, container_status_name(status), force ? ", --force" : "");
    if (status == STATUS_CREATING && force) {
      stop_creator(h.dir_fd, &h.state);
      container_close(&h);
      continue; /* it removed the container, or left it to us */
    }
    if (status != STATUS_STOPPED && !force)
      r = err_set_kind(err, HRUN_ERR_WRONG_STATE, 0,
                       "cannot delete container %s that is not stopped: %s", id,
                       container_status_name(status));
    else
      r = container_destroy(&h, err);
    container_close(&h);
    return r;
  }
  return err_set(err, 0, "container %s: its creator is still at work after %d tries", id,
                 DELETE_TRIES);
}
