#include "libcontainer/container.h"
#include "libcontainer/log.h"

int container_delete(const struct hrun_context *ctx, const char *id, bool force,
                     hrun_error *err)
{
  struct container_handle h;
  enum container_status status;
  int r;

  /* --force of an id that does not exist succeeds, as with runc and crun:
   * engines delete with --force to make sure a container is gone. */
  if (container_open(ctx, id, true, &h, err) < 0)
    return force && err->kind == HRUN_ERR_NOT_FOUND ? 0 : -1;
  status = state_status(h.dir_fd, &h.state);
  log_debug("delete %s: %s%s", id, container_status_name(status), force ? ", --force" : "");
  if (status != STATUS_STOPPED && !force)
    r = err_set(err, 0, "cannot delete container %s that is not stopped: %s", id,
                container_status_name(status));
  else
    r = container_destroy(&h, err);
  container_close(&h);
  return r;
}
