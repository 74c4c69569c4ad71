/* run: create + start, then (unless detached) wait for the process, pass
 * signals on to it, and delete the container when it exits. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libcontainer/container.h"
#include "libcontainer/log.h"
#include "libcontainer/process.h"

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
  process_forward_signals(detach ? 0 : res.pid);
  if (container_start(ctx, opts->id, err) < 0) {
    process_forward_signals(0);
    delete_after_failure(ctx, opts->id);
    return -1;
  }
  if (detach)
    return 0;
  code = process_wait_exit_code(res.pid, err);
  process_forward_signals(0);
  if (code < 0)
    return -1;
  *exit_code = code;
  if (!keep && container_delete(ctx, opts->id, true, err) < 0)
    return -1;
  return 0;
}
