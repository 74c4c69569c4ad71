/* run: create + start, then (unless detached) wait for the process, pass
 * signals on to it, and delete the container when it exits. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libcontainer/container.h"
#include "libcontainer/log.h"

static volatile sig_atomic_t forward_pid;

static void forward_signal(int sig)
{
  if (forward_pid > 0)
    kill(forward_pid, sig);
}

static const int forwarded_signals[] = {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1,
                                        SIGUSR2, SIGWINCH, SIGCONT, SIGALRM};

static void set_forwarding(pid_t pid)
{
  struct sigaction sa = {.sa_handler = pid ? forward_signal : SIG_DFL};
  size_t i;

  forward_pid = pid;
  for (i = 0; i < sizeof(forwarded_signals) / sizeof(forwarded_signals[0]); i++)
    sigaction(forwarded_signals[i], &sa, NULL);
}

static int wait_exit_code(pid_t pid, hrun_error *err)
{
  int status;
  pid_t r;

  do
    r = waitpid(pid, &status, 0);
  while (r < 0 && errno == EINTR);
  if (r < 0)
    return err_set(err, errno, "wait for the container process");
  if (WIFSIGNALED(status))
    return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}

static void delete_after_failure(const struct hrun_context *ctx, const char *id)
{
  hrun_error ignored;

  container_delete(ctx, id, true, &ignored);
}

int container_run(const struct hrun_context *ctx, const struct create_options *opts,
                  bool detach, bool keep, int *exit_code, hrun_error *err)
{
  struct create_result res;
  int code;

  *exit_code = 0;
  if (container_create(ctx, opts, &res, err) < 0)
    return -1;
  close(res.pidfd);
  set_forwarding(detach ? 0 : res.pid);
  if (container_start(ctx, opts->id, err) < 0) {
    set_forwarding(0);
    delete_after_failure(ctx, opts->id);
    return -1;
  }
  if (detach)
    return 0;
  code = wait_exit_code(res.pid, err);
  set_forwarding(0);
  if (code < 0)
    return -1;
  *exit_code = code;
  if (!keep && container_delete(ctx, opts->id, true, err) < 0)
    return -1;
  return 0;
}
