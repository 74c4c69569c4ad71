/* start: release a created container through its start channel, wait until
 * its process has really been executed, then run the poststart hooks. A
 * failing startContainer or poststart hook destroys the container (and
 * runs poststop) before start fails, as runtime-spec 1.3.0 asks. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "libcontainer/cleanup.h"
#include "libcontainer/container.h"
#include "libcontainer/hooks.h"
#include "libcontainer/log.h"
#include "libcontainer/spec.h"
#include "nsexec/sync.h"

#define INIT_PEER "the container init"

extern char **environ;

static int check_startable(int dir_fd, const struct container_state *st,
                           const struct oci_spec *spec, hrun_error *err)
{
  enum container_status status = state_status(dir_fd, st);

  if (status != STATUS_CREATED)
    return err_set(err, 0, "cannot start container %s: it is %s, not created", st->id,
                   container_status_name(status));
  if (!spec->process)
    return err_set(err, 0, "cannot start container %s: config.json has no process", st->id);
  return 0;
}

/* Connecting takes the channel: it is unlinked at once, which is what turns
 * the status from created to running and refuses a second start. */
static int take_start_channel(int dir_fd, const char *id, hrun_error *err)
{
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  cleanup_close int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

  if (fd < 0)
    return err_set(err, errno, "socket");
  snprintf(addr.sun_path, sizeof(addr.sun_path), "/proc/self/fd/%d/%s", dir_fd,
           STATE_START_SOCKET);
  if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
    return err_set(err, errno, "container %s: connect to the start channel", id);
  if (unlinkat(dir_fd, STATE_START_SOCKET, 0) < 0)
    return err_set(err, errno, "container %s: remove the start channel", id);
  return take_fd(&fd);
}

/* START -> (startContainer hooks) EXEC -> EOF (nsexec/sync.h, 5-7). */
static int release_init(int conn, hrun_error *err)
{
  if (sync_send(conn, SYNC_START, err) < 0)
    return -1;
  if (sync_expect(conn, SYNC_EXEC, INIT_PEER, err) < 0)
    return -1;
  return sync_expect_eof(conn, INIT_PEER, err);
}

static int run_container(struct container_handle *h, const struct oci_spec *spec,
                         hrun_error *err)
{
  cleanup_close int conn = take_start_channel(h->dir_fd, h->state.id, err);
  struct hook_run run = {.id = h->state.id, .bundle = h->state.bundle,
                         .pid = h->state.pid, .default_env = environ};

  if (conn < 0)
    return -1;
  log_debug("start %s: releasing init %d", h->state.id, h->state.pid);
  if (release_init(conn, err) < 0)
    return -1;
  log_debug("start %s: the process has been executed", h->state.id);
  /* EOF came after EXEC: the process has been executed, not just released. */
  return hooks_run_stage(spec, HOOK_POSTSTART, &run, err);
}

int container_start(const struct hrun_context *ctx, const char *id, hrun_error *err)
{
  struct container_handle h;
  struct oci_spec *spec = NULL;
  hrun_error ignored;
  int r;

  if (container_open(ctx, id, true, &h, err) < 0)
    return -1;
  r = container_load_config(&h, &spec, err);
  if (r == 0)
    r = check_startable(h.dir_fd, &h.state, spec, err);
  if (r == 0 && run_container(&h, spec, err) < 0) {
    r = -1;
    container_destroy(&h, &ignored);
  }
  spec_free(spec);
  container_close(&h);
  return r;
}
