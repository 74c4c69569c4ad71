/* state and list: what a container is now. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/util/cleanup.h"
#include "libcontainer/container/container.h"
#include "libcontainer/util/log.h"

int container_info(const struct hrun_context *ctx, const char *id,
                   struct container_info *info, hrun_error *err)
{
  struct container_handle h;

  /* No lock: state.json is replaced atomically and the status is derived. */
  if (container_open(ctx, id, false, &h, err) < 0)
    return -1;
  info->status = state_status(h.dir_fd, &h.state);
  info->state = h.state;
  h.state = (struct container_state){0};
  container_close(&h);
  return 0;
}

void container_info_free(struct container_info *info)
{
  state_free(&info->state);
}

static int cmp_info(const void *a, const void *b)
{
  return strcmp(((const struct container_info *)a)->state.id,
                ((const struct container_info *)b)->state.id);
}

int container_list(const struct hrun_context *ctx, struct container_info **list,
                   size_t *n, hrun_error *err)
{
  cleanup_closedir DIR *d = opendir(ctx->root);
  struct dirent *de;
  size_t cap = 0;

  *list = NULL;
  *n = 0;
  if (!d)
    return errno == ENOENT ? 0 : err_set(err, errno, "open %s", ctx->root);
  while ((de = readdir(d)) != NULL) {
    hrun_error ignored;
    if (de->d_name[0] == '.' || container_id_validate(de->d_name, &ignored) < 0)
      continue;
    if (*n == cap) {
      cap = cap ? cap * 2 : 16;
      *list = xrealloc(*list, cap * sizeof(**list));
    }
    /* A container being created or deleted right now is simply skipped;
     * one whose state cannot be read is named on stderr, as runc does. */
    if (container_info(ctx, de->d_name, &(*list)[*n], &ignored) == 0)
      (*n)++;
    else if (ignored.kind != HRUN_ERR_NOT_FOUND)
      log_warning("%s", ignored.msg);
  }
  if (*n)
    qsort(*list, *n, sizeof(**list), cmp_info);
  return 0;
}
