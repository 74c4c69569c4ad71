/* Tearing a container down: hook processes a killed runtime left,
 * the container's processes, its cgroup, its state, then (the lock
 * released) the poststop hooks. Each step works from what state.json
 * recorded, whatever step of create, start or delete was killed before. */
#include <errno.h>
#include <signal.h>
#include <unistd.h>

#include "libcontainer/cgroups/cgroup.h"
#include "libcontainer/util/cleanup.h"
#include "libcontainer/container/container.h"
#include "libcontainer/hooks/hook_groups.h"
#include "libcontainer/hooks/hooks.h"
#include "libcontainer/cgroups/intelrdt.h"
#include "libcontainer/spec/spec.h"
#include "libcontainer/util/log.h"
#include "libcontainer/state/process.h"

#define EXIT_WAIT_MS 10000
#define CGROUP_SWEEPS 3

/* SIGKILL to the init ends its pid namespace: once the init is gone, so
 * is every process that shared it. The cgroup sweep (freeze, kill, thaw:
 * the freeze alone costs milliseconds on v1) is for what is left after
 * that, the processes of a container without a pid namespace of its own.
 * Frozen tasks only die once thawed. */
static int kill_processes(const struct container_state *st, hrun_error *err)
{
  cleanup_close int pidfd = process_open(st);
  bool has_cgroup = st->cgroup.n_dirs > 0;

  if (pidfd < 0 && errno != ESRCH) {
    hrun_error why;
    err_set(&why, errno, "pidfd_open %d", st->pid);
    log_warning("container %s: %s; killing the init by its pid", st->id, why.msg);
    if (has_cgroup && cgroup_is_frozen(&st->cgroup) == 1)
      cgroup_freeze(&st->cgroup, false, err);
    if (process_kill_by_pid(st, SIGKILL, EXIT_WAIT_MS, err) < 0)
      return err_wrap(err, "container %s", st->id);
  }
  if (pidfd >= 0 && process_signal(pidfd, SIGKILL, err) < 0 && err->errnum != ESRCH)
    return -1;
  if (has_cgroup && cgroup_is_frozen(&st->cgroup) == 1)
    cgroup_freeze(&st->cgroup, false, err);
  if (pidfd >= 0 && !process_wait_exit(pidfd, EXIT_WAIT_MS))
    return err_set(err, 0, "container %s: init %d did not exit after SIGKILL", st->id,
                   st->pid);
  if (has_cgroup && !cgroup_is_empty(&st->cgroup) &&
      cgroup_kill_all(&st->cgroup, SIGKILL, err) < 0)
    log_debug("kill the cgroup's processes: %s", err->msg);
  return 0;
}

/* A process that joined after the sweep (an exec racing with this delete)
 * keeps the cgroup busy: kill again, a few times. */
static int remove_cgroup(const struct container_state *st, hrun_error *err)
{
  hrun_error ignored;

  for (int i = 1;; i++) {
    if (cgroup_destroy(&st->cgroup, err) == 0)
      return 0;
    if (err->errnum != EBUSY || i == CGROUP_SWEEPS)
      return err_wrap(err, "container %s", st->id);
    cgroup_kill_all(&st->cgroup, SIGKILL, &ignored);
  }
}

int container_destroy(struct container_handle *h, hrun_error *err)
{
  const struct container_state *st = &h->state;
  struct oci_spec *spec = NULL;
  hrun_error config_err;
  int killed;

  killed = hook_groups_kill(h->dir_fd);
  if (killed)
    log_debug("destroy %s: killed %d process(es) of hooks a killed hrun left", st->id, killed);
  if (kill_processes(st, err) < 0)
    return -1;
  log_debug("destroy %s: no process left", st->id);
  if (st->cgroup.n_dirs > 0 && remove_cgroup(st, err) < 0)
    return -1;
  log_debug("destroy %s: cgroup removed", st->id);
  /* The config for poststop, before the state that holds it goes. A dir
   * without one (create killed before writing it) has no hooks to run. */
  if (container_load_config(h, &spec, &config_err) < 0 && st->recorded)
    log_warning("poststop hooks not run: %s", config_err.msg);
  if (spec && intelrdt_remove(spec, st->id, &config_err) < 0)
    log_warning("container %s: %s", st->id, config_err.msg);
  if (state_dir_remove(h->root_fd, st->id, err) < 0) {
    spec_free(spec);
    return err_wrap(err, "container %s: remove the state directory", st->id);
  }
  log_debug("destroy %s: state removed", st->id);
  /* poststop: after the container is deleted (runtime-spec), with the
   * lock released: no hook runs under it. */
  close(h->dir_fd);
  h->dir_fd = -1;
  if (spec)
    hooks_run_poststop(spec, st->id, st->bundle);
  spec_free(spec);
  return 0;
}
