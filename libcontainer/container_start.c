/* start: release a created container through its start channel and wait
 * until its process has really been executed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "libcontainer/cleanup.h"
#include "libcontainer/container.h"
#include "libcontainer/fsutil.h"
#include "libcontainer/spec.h"
#include "nsexec/sync.h"

#define INIT_PEER "the container init"

static int check_startable(int dir_fd, const struct container_state *st, hrun_error *err)
{
  cleanup_free char *text = NULL;
  struct oci_spec *spec = NULL;
  enum container_status status = state_status(dir_fd, st);
  size_t len;
  bool has_process;

  if (status != STATUS_CREATED)
    return err_set(err, 0, "cannot start container %s: it is %s, not created", st->id,
                   container_status_name(status));
  if (read_file_at(dir_fd, STATE_CONFIG_FILE, &text, &len, err) < 0 ||
      spec_parse(text, len, &spec, err) < 0)
    return err_wrap(err, "container %s: config", st->id);
  has_process = spec->process != NULL;
  spec_free(spec);
  if (!has_process)
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

/* START -> EXEC -> EOF (nsexec/sync.h, messages 5-7). */
static int release_init(int conn, hrun_error *err)
{
  if (sync_send(conn, SYNC_START, err) < 0)
    return -1;
  if (sync_expect(conn, SYNC_EXEC, INIT_PEER, err) < 0)
    return -1;
  return sync_expect_eof(conn, INIT_PEER, err);
}

int container_start(const struct hrun_context *ctx, const char *id, hrun_error *err)
{
  cleanup_close int conn = -1;
  struct container_handle h;
  int r;

  if (container_open(ctx, id, true, &h, err) < 0)
    return -1;
  r = check_startable(h.dir_fd, &h.state, err);
  if (r == 0) {
    conn = take_start_channel(h.dir_fd, id, err);
    r = conn < 0 ? -1 : release_init(conn, err);
  }
  container_close(&h);
  return r;
}
