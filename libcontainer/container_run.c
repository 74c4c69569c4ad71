/* run: create + start, then (unless detached) wait for the process, pass
 * signals on to it, and delete the container when it exits. With
 * process.terminal and no --console-socket, a foreground run relays the
 * pty to its own stdin and stdout meanwhile (tty_relay.c). */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "libcontainer/cleanup.h"
#include "libcontainer/container.h"
#include "libcontainer/log.h"
#include "libcontainer/process.h"
#include "libcontainer/tty_relay.h"

static void delete_after_failure(const struct hrun_context *ctx, const char *id)
{
  hrun_error ignored;

  container_delete(ctx, id, true, &ignored);
}

/* Until the process exits: relaying its terminal, if it has one here. A
 * broken relay leaves an unusable session: the process is killed. */
static int wait_process(const struct create_result *res, hrun_error *err)
{
  if (res->tty_master >= 0 && tty_relay_run(res->tty_master, res->pidfd, err) < 0) {
    process_kill_reap(res->pid, res->pidfd);
    return -1;
  }
  return process_wait_exit_code(res->pid, err);
}

int container_run(const struct hrun_context *ctx, const struct create_options *opts,
                  bool detach, bool keep, int *exit_code, hrun_error *err)
{
  struct create_options co = *opts;
  struct create_result res;
  cleanup_close int pidfd = -1;
  cleanup_close int master = -1;
  int code;

  *exit_code = 0;
  /* runc's rule: a detached run has nobody to relay to (its own error:
   * "cannot allocate tty if runc will detach without setting console
   * socket"); create says so. */
  co.relay_terminal = !detach && !opts->console_socket;
  if (container_create(ctx, &co, &res, err) < 0)
    return -1;
  pidfd = res.pidfd;
  master = res.tty_master;
  process_forward_signals(detach ? 0 : res.pid);
  if (container_start(ctx, opts->id, err) < 0) {
    process_forward_signals(0);
    delete_after_failure(ctx, opts->id);
    return -1;
  }
  if (detach)
    return 0;
  code = wait_process(&res, err);
  process_forward_signals(0);
  if (code < 0) {
    if (!keep)
      delete_after_failure(ctx, opts->id);
    return -1;
  }
  *exit_code = code;
  if (!keep && container_delete(ctx, opts->id, true, err) < 0)
    return -1;
  return 0;
}
