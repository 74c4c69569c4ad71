/* run: create + start, then (unless detached) wait for the process, pass
 * signals on to it, and delete the container when it exits. With
 * process.terminal and no --console-socket, a foreground run relays the
 * pty to its own stdin and stdout meanwhile (tty_relay.c). */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "libcontainer/util/cleanup.h"
#include "libcontainer/container/container.h"
#include "libcontainer/util/log.h"
#include "libcontainer/state/process.h"
#include "libcontainer/container/tty_relay.h"

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

/* A signal that came while the container was made: it never ran, so the
 * run ends as the signal would have ended it, leaving nothing behind. */
static int end_on_held_signal(const struct hrun_context *ctx, const char *id, int sig,
                              int *exit_code, hrun_error *err)
{
  log_debug("run %s: signal %d before the container started: deleting it", id, sig);
  if (container_delete(ctx, id, true, err) < 0)
    return -1;
  *exit_code = 128 + sig;
  return 0;
}

int container_run(const struct hrun_context *ctx, const struct create_options *opts,
                  bool detach, bool keep, int *exit_code, hrun_error *err)
{
  struct create_options co = *opts;
  struct create_result res;
  cleanup_close int pidfd = -1;
  cleanup_close int master = -1;
  int code, sig;

  *exit_code = 0;
  /* From here on a signal cannot kill a foreground run half way through:
   * held until the process runs, then passed on to it. */
  if (!detach)
    process_hold_signals();
  /* runc's rule: a detached run has nobody to relay to (its own error:
   * "cannot allocate tty if runc will detach without setting console
   * socket"); create says so. */
  co.relay_terminal = !detach && !opts->console_socket;
  if (container_create(ctx, &co, &res, err) < 0) {
    process_forward_signals(0);
    return -1;
  }
  pidfd = res.pidfd;
  master = res.tty_master;
  if (!detach && (sig = process_held_signal())) {
    code = end_on_held_signal(ctx, opts->id, sig, exit_code, err);
    process_forward_signals(0);
    return code;
  }
  if (container_start(ctx, opts->id, err) < 0) {
    delete_after_failure(ctx, opts->id);
    process_forward_signals(0);
    return -1;
  }
  if (detach)
    return 0;
  process_forward_signals(res.pid);
  code = wait_process(&res, err);
  /* Held again, not forwarded to a pid that is no longer ours, until the
   * container is deleted. */
  process_hold_signals();
  if (code < 0) {
    if (!keep)
      delete_after_failure(ctx, opts->id);
  } else if (!keep && container_delete(ctx, opts->id, true, err) < 0) {
    code = -1;
  }
  process_forward_signals(0);
  if (code < 0)
    return -1;
  *exit_code = code;
  return 0;
}
