/* pause and resume: freeze and thaw every process of the container through
 * its cgroup (v1 freezer, v2 cgroup.freeze). */
#include "libcontainer/cgroups/cgroup.h"
#include "libcontainer/container/container.h"

static int set_frozen(const struct hrun_context *ctx, const char *id, bool frozen,
                      hrun_error *err)
{
  enum container_status want = frozen ? STATUS_RUNNING : STATUS_PAUSED;
  struct container_handle h;
  enum container_status status;
  int r;

  /* No lock (state_lock.c): the freezer write is atomic. */
  if (container_open(ctx, id, false, &h, err) < 0)
    return -1;
  status = state_status(h.dir_fd, &h.state);
  if (status != want)
    r = err_set_kind(err, HRUN_ERR_WRONG_STATE, 0, "container %s is %s, not %s", id,
                     container_status_name(status), container_status_name(want));
  else if (h.state.cgroup.n_dirs == 0)
    r = err_set(err, 0, "container %s has no cgroup to freeze", id);
  else
    r = cgroup_freeze(&h.state.cgroup, frozen, err);
  container_close(&h);
  return r;
}

int container_pause(const struct hrun_context *ctx, const char *id, hrun_error *err)
{
  return set_frozen(ctx, id, true, err);
}

int container_resume(const struct hrun_context *ctx, const char *id, hrun_error *err)
{
  return set_frozen(ctx, id, false, err);
}
