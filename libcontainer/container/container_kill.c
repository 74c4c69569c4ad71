#include <errno.h>
#include <signal.h>
#include <unistd.h>

#include "libcontainer/cgroups/cgroup.h"
#include "libcontainer/util/cleanup.h"
#include "libcontainer/container/container.h"
#include "libcontainer/util/engine_errors.h"
#include "libcontainer/util/log.h"
#include "libcontainer/state/process.h"

/* The init only: through a pidfd pinned by the recorded start time. */
static int signal_init(const struct container_state *st, enum container_status status,
                       int sig, hrun_error *err)
{
  cleanup_close int pidfd = -1;

  if (status == STATUS_STOPPED)
    return err_not_running(err, st->id);
  pidfd = process_open(st);
  if (pidfd < 0 && errno == ESRCH)
    return err_not_running(err, st->id);
  if (pidfd < 0)
    return err_set(err, errno, "container %s: pidfd_open %d", st->id, st->pid);
  if (process_signal(pidfd, sig, err) < 0)
    return -1;
  /* A frozen task only dies once thawed (cgroup v1). */
  if (sig == SIGKILL && status == STATUS_PAUSED)
    cgroup_freeze(&st->cgroup, false, err);
  return 0;
}

/* Every process of the cgroup. containerd's shim sends this after every
 * exit of a container's init: what is left (a container without a pid
 * namespace of its own leaves its other processes) still gets the signal,
 * and a stopped container with nothing left is not an error. */
static int signal_all(const struct container_state *st, enum container_status status,
                      int sig, hrun_error *err)
{
  cleanup_free pid_t *pids = NULL;
  size_t n;

  if (st->cgroup.n_dirs == 0)
    return status == STATUS_STOPPED ? 0 : signal_init(st, status, sig, err);
  if (status == STATUS_STOPPED) {
    if (cgroup_pids(&st->cgroup, &pids, &n, err) < 0)
      return err->errnum == ENOENT ? 0 : err_wrap(err, "container %s", st->id);
    if (n == 0)
      return 0;
  }
  return cgroup_kill_all(&st->cgroup, sig, err);
}

int container_kill(const struct hrun_context *ctx, const char *id, int sig, bool all,
                   hrun_error *err)
{
  struct container_handle h;
  enum container_status status;
  int r;

  if (container_open(ctx, id, false, &h, err) < 0)
    return -1;
  status = state_status(h.dir_fd, &h.state);
  log_debug("kill %s: signal %d to %s (init %d, %s)", id, sig,
            all ? "every process of the cgroup" : "the init", h.state.pid,
            container_status_name(status));
  r = all ? signal_all(&h.state, status, sig, err) : signal_init(&h.state, status, sig, err);
  container_close(&h);
  return r;
}
