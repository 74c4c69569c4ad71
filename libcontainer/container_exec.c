/* exec: a new process in a running container, in all its namespaces and
 * its cgroup, with the identity its process spec asks for. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "libcontainer/cleanup.h"
#include "libcontainer/engine_errors.h"
#include "libcontainer/console.h"
#include "libcontainer/container.h"
#include "libcontainer/exec_process.h"
#include "libcontainer/fsutil.h"
#include "libcontainer/log.h"
#include "libcontainer/process.h"
#include "libcontainer/seccomp.h"
#include "libcontainer/spec.h"
#include "nsexec/exec_spawn.h"

static int check_execable(const struct container_handle *h, bool ignore_paused,
                          hrun_error *err)
{
  enum container_status status = state_status(h->dir_fd, &h->state);

  if (status == STATUS_PAUSED && !ignore_paused)
    return err_set(err, 0, "cannot exec in container %s: it is paused (use --ignore-paused "
                           "to override)", h->state.id);
  if (status != STATUS_RUNNING && status != STATUS_CREATED && status != STATUS_PAUSED)
    return err_set(err, 0, "cannot exec in container %s: it is %s", h->state.id,
                   container_status_name(status));
  return 0;
}

static int write_pid_file(const char *path, pid_t pid, hrun_error *err)
{
  char text[32];

  if (!path)
    return 0;
  snprintf(text, sizeof(text), "%d", pid);
  return write_file_atomic(path, text, strlen(text), 0644, err);
}

/* Everything up to the process running, with the container locked. */
static int start_process(const struct exec_options *opts, struct container_handle *h,
                         struct oci_spec *config, struct exec_result *res, hrun_error *err)
{
  struct exec_request req = {.init_pid = h->state.pid, .cgroup = &h->state.cgroup,
                             .spec = config, .console_fd = -1, .id = h->state.id,
                             .bundle = h->state.bundle, .preserve_fds = opts->preserve_fds};
  struct spec_process *proc;
  struct seccomp_program filter = {0};
  struct cgroup_paths sub = {0};
  cleanup_close int pidfd = -1;
  cleanup_close int console = -1;
  int r;

  if (check_execable(h, opts->ignore_paused, err) < 0 ||
      exec_process_build(opts, config, &proc, err) < 0)
    return -1;
  if (opts->n_cgroups > 0) {
    if (cgroup_sub_paths(&h->state.cgroup, opts->cgroups, opts->n_cgroups, &sub, err) < 0)
      return -1;
    req.cgroup = &sub;
  }
  /* The container's filter binds its exec'd processes too. */
  if (config->linux_cfg.seccomp && seccomp_compile(config->linux_cfg.seccomp, &filter, err) < 0)
    return -1;
  pidfd = process_open(&h->state);
  if (pidfd < 0 && errno == ESRCH)
    r = err_not_running(err, h->state.id);
  else if (pidfd < 0)
    r = err_set(err, errno, "container %s: pidfd_open %d", h->state.id, h->state.pid);
  else if (opts->console_socket && (console = console_socket_connect(opts->console_socket, err)) < 0)
    r = -1;
  else {
    req.init_pidfd = pidfd;
    req.proc = proc;
    req.console_fd = console;
    req.seccomp = filter.filter ? &filter : NULL;
    r = nsexec_exec(&req, res, err);
  }
  seccomp_program_free(&filter);
  cgroup_paths_free(&sub);
  if (r < 0)
    return -1;
  log_debug("exec %s: %s executed as pid %d", h->state.id, proc->args.items[0], res->pid);
  return write_pid_file(opts->pid_file, res->pid, err);
}

int container_exec(const struct hrun_context *ctx, const struct exec_options *opts,
                   int *exit_code, hrun_error *err)
{
  struct exec_result res = {.pid = -1, .pidfd = -1};
  struct container_handle h;
  struct oci_spec *config = NULL;
  int r;

  *exit_code = 0;
  if (container_open(ctx, opts->id, true, &h, err) < 0)
    return -1;
  r = container_load_config(&h, &config, err);
  if (r == 0)
    r = start_process(opts, &h, config, &res, err);
  /* The lock is for setting up; a long foreground exec must not hold it. */
  container_close(&h);
  spec_free(config);
  if (res.pidfd >= 0)
    close(res.pidfd);
  if (r < 0 || opts->detach)
    return r;
  process_forward_signals(res.pid);
  r = process_wait_exit_code(res.pid, err);
  process_forward_signals(0);
  if (r < 0)
    return -1;
  *exit_code = r;
  return 0;
}
