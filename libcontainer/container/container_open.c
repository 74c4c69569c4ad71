#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "libcontainer/util/cleanup.h"
#include "libcontainer/util/engine_errors.h"
#include "libcontainer/container/container.h"
#include "libcontainer/util/fsutil.h"
#include "libcontainer/util/json.h"
#include "libcontainer/spec/spec.h"

int container_open(const struct hrun_context *ctx, const char *id, bool lock,
                   struct container_handle *h, hrun_error *err)
{
  h->dir_fd = state_open_container(ctx->root, id, lock, &h->root_fd, err);
  if (h->dir_fd < 0)
    return -1;
  if (state_read(h->dir_fd, id, &h->state, err) < 0) {
    close(h->dir_fd);
    close(h->root_fd);
    h->dir_fd = h->root_fd = -1;
    return -1;
  }
  return 0;
}

int container_open_alive(const struct hrun_context *ctx, const char *id, bool lock,
                         struct container_handle *h, hrun_error *err)
{
  enum container_status status;

  if (container_open(ctx, id, lock, h, err) < 0)
    return -1;
  status = state_status(h->dir_fd, &h->state);
  if (status == STATUS_STOPPED || status == STATUS_CREATING) {
    container_close(h);
    return err_not_running(err, id);
  }
  return 0;
}

void container_close(struct container_handle *h)
{
  state_free(&h->state);
  if (h->dir_fd >= 0)
    close(h->dir_fd);
  if (h->root_fd >= 0)
    close(h->root_fd);
  h->dir_fd = h->root_fd = -1;
}

int container_load_config(const struct container_handle *h, struct oci_spec **spec,
                          hrun_error *err)
{
  cleanup_free char *text = NULL;
  size_t len;

  if (read_regular_file_at(h->dir_fd, STATE_CONFIG_FILE, JSON_MAX_SIZE, &text, &len, err) < 0) {
    /* A delete is removing it (config.json goes first), or a create has
     * not written it yet. */
    if (err->errnum == ENOENT)
      return err_no_container(err, h->state.id);
    return err_wrap(err, "container %s: config", h->state.id);
  }
  if (spec_parse(text, len, spec, err) < 0)
    return err_wrap(err, "container %s: config", h->state.id);
  return 0;
}
