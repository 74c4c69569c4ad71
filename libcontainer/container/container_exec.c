/* exec: a new process in a running container, in all its namespaces and
 * its cgroup, with the identity its process spec asks for. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "libcontainer/util/cleanup.h"
#include "libcontainer/util/engine_errors.h"
#include "nsexec/console.h"
#include "libcontainer/container/container.h"
#include "libcontainer/container/exec_process.h"
#include "libcontainer/util/fsutil.h"
#include "libcontainer/util/log.h"
#include "libcontainer/state/process.h"
#include "libcontainer/security/seccomp.h"
#include "libcontainer/spec/spec.h"
#include "libcontainer/container/tty_relay.h"
#include "libcontainer/util/unix_socket.h"
#include "nsexec/exec_spawn.h"

static int check_execable(const struct container_handle *h, bool ignore_paused,
                          hrun_error *err)
{
  enum container_status status = state_status(h->dir_fd, &h->state);

  if (status == STATUS_PAUSED && !ignore_paused)
    return err_set_kind(err, HRUN_ERR_WRONG_STATE, 0,
                        "cannot exec in container %s: it is paused (use --ignore-paused "
                        "to override)", h->state.id);
  if (status != STATUS_RUNNING && status != STATUS_CREATED && status != STATUS_PAUSED)
    return err_set_kind(err, HRUN_ERR_WRONG_STATE, 0, "cannot exec in container %s: it is %s",
                        h->state.id, container_status_name(status));
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

/* Where the child sends the pty master: --console-socket, or, for a
 * terminal without one (a foreground exec: exec_process_build refused
 * --detach), hrun itself through a socketpair whose other end is *relay. */
static int open_console(const struct exec_options *opts, struct spec_process *proc,
                        int *console, int *relay, hrun_error *err)
{
  int pair[2];

  if (opts->console_socket) {
    *console = console_socket_connect(opts->console_socket, err);
    return *console < 0 ? -1 : 0;
  }
  if (!proc->terminal)
    return 0;
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0)
    return err_set(err, errno, "process.terminal: socketpair");
  *console = pair[0];
  *relay = pair[1];
  tty_relay_size_hint(proc);
  return 0;
}

/* The child sent the master before execve; our copy of its end is closed
 * first, so that a child that sent nothing gives an error, not a hang. */
static int receive_master(int *console, int relay, int *master, hrun_error *err)
{
  if (relay < 0)
    return 0;
  close(*console);
  *console = -1;
  *master = unix_recv_fd(relay, "process.terminal: the pty master", err);
  return *master < 0 ? -1 : 0;
}

static int spawn(struct exec_request *req, struct container_handle *h,
                 const struct exec_options *opts, struct spec_process *proc,
                 struct exec_result *res, int *master, hrun_error *err)
{
  cleanup_close int pidfd = process_open(&h->state);
  cleanup_close int console = -1;
  cleanup_close int relay = -1;

  if (pidfd < 0 && errno == ESRCH)
    return err_not_running(err, h->state.id);
  if (pidfd < 0)
    return err_set(err, errno, "container %s: pidfd_open %d", h->state.id, h->state.pid);
  if (open_console(opts, proc, &console, &relay, err) < 0)
    return -1;
  req->init_pidfd = pidfd;
  req->proc = proc;
  req->console_fd = console;
  if (nsexec_exec(req, res, err) < 0)
    return -1;
  if (receive_master(&console, relay, master, err) < 0) {
    process_kill_reap(res->pid, res->pidfd);
    return -1;
  }
  return 0;
}

/* Everything up to the process running. No lock (state_lock.c): the
 * init is reached through a pidfd opened once its start time matched, and
 * a delete racing with us kills what joined its cgroup late. */
static int start_process(const struct exec_options *opts, struct container_handle *h,
                         struct oci_spec *config, struct exec_result *res, int *master,
                         hrun_error *err)
{
  struct exec_request req = {.init_pid = h->state.pid, .cgroup = &h->state.cgroup,
                             .spec = config, .console_fd = -1, .id = h->state.id,
                             .bundle = h->state.bundle, .preserve_fds = opts->preserve_fds};
  struct spec_process *proc;
  struct seccomp_program filter = {0};
  struct cgroup_paths sub = {0};
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
  req.seccomp = filter.filter ? &filter : NULL;
  r = spawn(&req, h, opts, proc, res, master, err);
  seccomp_program_free(&filter);
  cgroup_paths_free(&sub);
  if (r < 0)
    return -1;
  log_debug("exec %s: %s executed as pid %d", h->state.id, proc->args.items[0], res->pid);
  return write_pid_file(opts->pid_file, res->pid, err);
}

/* A foreground exec: until the process exits, relaying its terminal if
 * it has one here (a broken relay kills it: nobody could use it). */
static int wait_process(const struct exec_result *res, int master, hrun_error *err)
{
  int r;

  process_forward_signals(res->pid);
  if (master >= 0 && tty_relay_run(master, res->pidfd, err) < 0) {
    process_kill_reap(res->pid, res->pidfd);
    r = -1;
  } else {
    r = process_wait_exit_code(res->pid, err);
  }
  process_forward_signals(0);
  return r;
}

int container_exec(const struct hrun_context *ctx, const struct exec_options *opts,
                   int *exit_code, hrun_error *err)
{
  struct exec_result res = {.pid = -1, .pidfd = -1};
  struct container_handle h;
  struct oci_spec *config = NULL;
  cleanup_close int master = -1;
  int r;

  *exit_code = 0;
  if (container_open(ctx, opts->id, false, &h, err) < 0)
    return -1;
  r = container_load_config(&h, &config, err);
  if (r == 0)
    r = start_process(opts, &h, config, &res, &master, err);
  container_close(&h);
  spec_free(config);
  if (r == 0 && !opts->detach)
    r = wait_process(&res, master, err);
  if (res.pidfd >= 0)
    close(res.pidfd);
  if (r < 0 || opts->detach)
    return r;
  *exit_code = r;
  return 0;
}
