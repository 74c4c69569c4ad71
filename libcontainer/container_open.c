#include <unistd.h>

#include "libcontainer/container.h"

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

void container_close(struct container_handle *h)
{
  state_free(&h->state);
  if (h->dir_fd >= 0)
    close(h->dir_fd);
  if (h->root_fd >= 0)
    close(h->root_fd);
  h->dir_fd = h->root_fd = -1;
}
