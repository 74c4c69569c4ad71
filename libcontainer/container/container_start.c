/* start: release a created container through its start channel, wait until
 * its process has really been executed, then run the poststart hooks. A
 * failing startContainer or poststart hook destroys the container (and
 * runs poststop) before start fails, as runtime-spec 1.3.0 asks.
 *
 * No lock: the init takes one START and closes the channel, so of two
 * concurrent starts one wins and the other learns it; and a hook that
 * calls hrun on its own container never waits for this start. Whether the
 * container is "created" or "running" is not read from the channel's file
 * but from the init itself (state.c): a start killed at any point leaves a
 * container that says what it is. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "libcontainer/util/cleanup.h"
#include "libcontainer/container/container.h"
#include "libcontainer/hooks/hooks.h"
#include "libcontainer/util/log.h"
#include "libcontainer/spec/spec.h"
#include "nsexec/sync.h"

#define INIT_PEER "the container init"

extern char **environ;

static int not_created(const char *id, enum container_status status, hrun_error *err)
{
  return err_set_kind(err, HRUN_ERR_WRONG_STATE, 0,
                      "cannot start container %s: it is %s, not created", id,
                      container_status_name(status));
}

static int check_startable(int dir_fd, const struct container_state *st,
                           const struct oci_spec *spec, hrun_error *err)
{
  enum container_status status = state_status(dir_fd, st);

  if (status != STATUS_CREATED)
    return not_created(st->id, status, err);
  if (!spec->process)
    return err_set_kind(err, HRUN_ERR_INVALID_CONFIG, 0,
                        "cannot start container %s: config.json has no process", st->id);
  return 0;
}

/* A start that found the channel closed or gone: another start took it
 * (or the init died); say what the container is now. */
static int channel_taken(const struct container_handle *h, int errnum, hrun_error *err)
{
  enum container_status status = state_status(h->dir_fd, &h->state);

  if (status != STATUS_CREATED)
    return not_created(h->state.id, status, err);
  return err_set(err, errnum, "cannot start container %s: another start is starting it",
                 h->state.id);
}

static int connect_start_channel(const struct container_handle *h, hrun_error *err)
{
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  cleanup_close int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

  if (fd < 0)
    return err_set(err, errno, "socket");
  snprintf(addr.sun_path, sizeof(addr.sun_path), "/proc/self/fd/%d/%s", h->dir_fd,
           STATE_START_SOCKET);
  if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
    if (errno == ECONNREFUSED || errno == ENOENT)
      return channel_taken(h, errno, err);
    return err_set(err, errno, "container %s: connect to the start channel", h->state.id);
  }
  return take_fd(&fd);
}

/* START -> (startContainer hooks) EXEC -> EOF (nsexec/sync.h, 5-7).
 * *ours: the init took our START, so a failure is the container's (its
 * hooks, its process) and it is destroyed; otherwise the channel closed on
 * us without a word, which is another start's win if the init lives. */
static int release_init(const struct container_handle *h, int conn, bool *ours,
                        hrun_error *err)
{
  *ours = true;
  if (sync_send_start(conn, err) == 0 && sync_wait_exec(conn, err) == 0)
    return sync_wait_eof(conn, INIT_PEER, err);
  if (err->kind == HRUN_ERR_PEER_GONE || err->errnum == EPIPE || err->errnum == ECONNRESET)
    *ours = !state_process_alive(&h->state);
  if (!*ours)
    return channel_taken(h, 0, err);
  return -1;
}

static int run_container(struct container_handle *h, const struct oci_spec *spec,
                         bool *destroy, hrun_error *err)
{
  cleanup_close int conn = connect_start_channel(h, err);
  struct hook_run run = {.id = h->state.id, .bundle = h->state.bundle,
                         .pid = h->state.pid, .default_env = environ,
                         .record_dir = &h->dir_fd};
  int r;

  *destroy = false;
  if (conn < 0)
    return -1;
  log_debug("start %s: releasing init %d", h->state.id, h->state.pid);
  r = release_init(h, conn, destroy, err);
  /* Only now, the init having answered our START: unlinked right after
   * connect, a start killed before its START reached the init would leave
   * a container nobody could start. */
  unlinkat(h->dir_fd, STATE_START_SOCKET, 0);
  if (r < 0)
    return -1;
  log_debug("start %s: the process has been executed", h->state.id);
  /* EOF came after EXEC: the process has been executed, not just released. */
  *destroy = true;
  return hooks_run_stage(spec, HOOK_POSTSTART, &run, err);
}

int container_start(const struct hrun_context *ctx, const char *id, hrun_error *err)
{
  struct container_handle h;
  struct oci_spec *spec = NULL;
  hrun_error ignored;
  bool destroy = false;
  int r;

  if (container_open(ctx, id, false, &h, err) < 0)
    return -1;
  r = container_load_config(&h, &spec, err);
  if (r == 0)
    r = check_startable(h.dir_fd, &h.state, spec, err);
  if (r == 0)
    r = run_container(&h, spec, &destroy, err);
  spec_free(spec);
  container_close(&h);
  /* As delete does it, under the lock: a delete or another start's
   * failure may be at it too. */
  if (r < 0 && destroy)
    container_delete(ctx, id, true, &ignored);
  return r;
}
