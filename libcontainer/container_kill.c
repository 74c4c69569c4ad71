#include <errno.h>
#include <unistd.h>

#include "libcontainer/cgroup.h"
#include "libcontainer/cleanup.h"
#include "libcontainer/container.h"
#include "libcontainer/process.h"

static int signal_container(const struct container_state *st, int sig, bool all,
                            hrun_error *err)
{
  cleanup_close int pidfd = -1;

  if (all && st->cgroup.n_dirs > 0)
    return cgroup_kill_all(&st->cgroup, sig, err);
  pidfd = process_open(st);
  if (pidfd < 0)
    return err_set(err, 0, "container %s is not running", st->id);
  return process_signal(pidfd, sig, err);
}

int container_kill(const struct hrun_context *ctx, const char *id, int sig, bool all,
                   hrun_error *err)
{
  struct container_handle h;
  int r;

  if (container_open_alive(ctx, id, true, &h, err) < 0)
    return -1;
  r = signal_container(&h.state, sig, all, err);
  container_close(&h);
  return r;
}
