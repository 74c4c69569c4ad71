#include "nsexec/init.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libcontainer/cgroups/cgroup.h"
#include "nsexec/console.h"
#include "libcontainer/security/creds.h"
#include "libcontainer/util/fsutil.h"
#include "libcontainer/hooks/hooks.h"
#include "libcontainer/security/lsm.h"
#include "libcontainer/rootfs/rootfs.h"
#include "libcontainer/spec/spec.h"
#include "libcontainer/rootfs/sysctl.h"
#include "nsexec/exec.h"
#include "nsexec/mount_sources.h"
#include "nsexec/namespaces.h"
#include "nsexec/process_setup.h"
#include "nsexec/spawn.h"
#include "nsexec/sync.h"

#define KEYCTL_JOIN_SESSION_KEYRING 1

extern char **environ;

struct init {
  const struct spawn_request *req;
  const struct ns_plan *plan;
  const struct spec_process *proc; /* NULL: the config has no process */
  bool join_v2;                    /* not born in its cgroup2 directory */
  int sync_fd;
  struct rootfs_ctx rootfs;
  int *source_fds; /* bind sources from the runtime, or NULL */
  char *exec_path;
};

/* The clone inherited every fd of the runtime (the state lock among them):
 * keep only stdio, the preserved fds and the init's own channels. */
static int close_inherited_fds(const struct init *in, hrun_error *err)
{
  int keep[NS_MAX_JOIN + 3];
  size_t i, n = 0;

  keep[n++] = in->sync_fd;
  keep[n++] = in->req->start_listen_fd;
  keep[n++] = in->req->console_fd;
  for (i = 0; i < in->plan->n_join; i++)
    keep[n++] = in->plan->join_fds[i];
  return process_close_fds(in->req->preserve_fds, keep, n, err);
}

static void exit_on_signal(int sig)
{
  _exit(128 + sig);
}

/* While created, the init is pid 1 of its namespace and would ignore every
 * signal without a handler; `kill` of a created container must still end
 * it. execve resets these handlers. */
static void handle_signals_while_created(void)
{
  static const int sigs[] = {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM};
  size_t i;

  for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
    signal(sigs[i], exit_on_signal);
}

static int set_uts(const struct oci_spec *spec, hrun_error *err)
{
  if (spec->hostname && sethostname(spec->hostname, strlen(spec->hostname)) < 0)
    return err_set(err, errno, "hostname: sethostname");
  if (spec->domainname && setdomainname(spec->domainname, strlen(spec->domainname)) < 0)
    return err_set(err, errno, "domainname: setdomainname");
  return 0;
}

static int join_session_keyring(const struct spawn_request *req, hrun_error *err)
{
  if (req->no_new_keyring)
    return 0;
  if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, req->id, 0, 0, 0) < 0 &&
      errno != ENOSYS)
    return err_set(err, errno, "join a session keyring");
  return 0;
}

/* GO .. MOUNTS_READY: namespaces, then the rootfs as far as it goes before
 * the runtime-namespace hooks. */
static int setup_before_hooks(struct init *in, hrun_error *err)
{
  const struct oci_spec *spec = in->req->spec;

  if (sync_wait_go(in->sync_fd, err) < 0)
    return -1;
  /* Still with the runtime's identity and namespaces: the cgroup first. */
  if (in->req->cgroup && cgroup_enter_self(in->req->cgroup, in->join_v2, err) < 0)
    return -1;
  if (ns_init_join(in->plan, err) < 0 || rootfs_open(&in->rootfs, err) < 0)
    return -1;
  /* With its final mount namespace: the runtime opens the bind sources
   * there, which the user namespace may not reach by path. */
  if (in->plan->mount_sources &&
      mount_sources_receive(in->sync_fd, spec, &in->source_fds, err) < 0)
    return -1;
  in->rootfs.source_fds = in->source_fds;
  if (ns_init_become_root(in->plan, err) < 0)
    return -1;
  if (setsid() < 0)
    return err_set(err, errno, "setsid");
  if (join_session_keyring(in->req, err) < 0 || set_uts(spec, err) < 0)
    return -1;
  if (process_set_oom_score_adj(in->proc, err) < 0)
    return -1;
  umask(0); /* device nodes and mount points get exactly their modes */
  if (rootfs_prepare(&in->rootfs, err) < 0)
    return -1;
  /* Host directories: nothing after the mounts may hold them. */
  in->rootfs.source_fds = NULL;
  mount_sources_close(spec, &in->source_fds);
  if (sysctl_apply(spec, err) < 0)
    return -1;
  return sync_send_mounts_ready(in->sync_fd, err);
}

static void send_report(const struct hook_report *report, void *data)
{
  sync_send_hook_report(*(const int *)data, report);
}

/* createContainer and startContainer run here, in every namespace of the
 * container; the state's pid is the init as the container sees it. */
static int run_container_hooks(const struct init *in, enum hook_stage stage, int channel,
                               char *const *env, hrun_error *err)
{
  struct hook_run run = {
      .id = in->req->id,
      .bundle = in->req->bundle,
      .pid = getpid(),
      .default_env = env,
      .report = send_report,
      .report_data = &channel,
  };

  return hooks_run_stage(in->req->spec, stage, &run, err);
}

/* process.terminal: the pty comes from the container's devpts and is bound
 * over its /dev/console, before masking and the read-only remounts. */
static int setup_terminal(const struct init *in, hrun_error *err)
{
  int slave;

  if (!in->proc || !in->proc->terminal)
    return 0;
  slave = console_setup(in->rootfs.root_fd, in->req->console_fd, in->proc, err);
  if (slave < 0)
    return -1;
  close(in->req->console_fd);
  if (console_bind_dev_console(in->rootfs.root_fd, slave, err) < 0) {
    close(slave);
    return -1;
  }
  close(slave);
  return 0;
}

/* HOOKS_DONE .. READY: createContainer hooks (before pivot_root, so their
 * path is the host's, and in the rootfs as cwd), the rest of the rootfs,
 * pivot_root, the process. */
static int setup_after_hooks(struct init *in, hrun_error *err)
{
  if (sync_wait_hooks_done(in->sync_fd, err) < 0)
    return -1;
  if (fchdir(in->rootfs.root_fd) < 0)
    return err_set(err, errno, "chdir to the rootfs");
  if (run_container_hooks(in, HOOK_CREATE_CONTAINER, in->sync_fd, environ, err) < 0)
    return -1;
  if (setup_terminal(in, err) < 0)
    return -1;
  if (rootfs_finish(&in->rootfs, err) < 0)
    return -1;
  if (rootfs_enter(&in->rootfs, err) < 0)
    return -1;
  if (!in->proc)
    return 0;
  return process_setup(&(struct process_setup){.proc = in->proc, .spec = in->req->spec,
                                               .seccomp = in->req->seccomp,
                                               .sync_fd = in->sync_fd},
                       &in->exec_path, err);
}

/* READY, then block until `start` connects and says START. Returns the
 * connection (close-on-exec: its EOF tells `start` that execve happened). */
static int wait_for_start(struct init *in, hrun_error *err)
{
  int listen_fd = in->req->start_listen_fd;
  int conn;

  handle_signals_while_created();
  if (sync_send_ready(in->sync_fd, err) < 0)
    return -1;
  close(in->sync_fd);
  in->sync_fd = -1;
  /* A peer that hangs up without START (a crashed `start`) is not fatal:
   * the container stays created. */
  for (;;) {
    conn = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if (conn < 0 && errno == EINTR)
      continue;
    if (conn < 0)
      return err_set(err, errno, "accept on the start channel");
    if (sync_wait_start(conn, err) == 0)
      break;
    close(conn);
  }
  close(listen_fd);
  return conn;
}

static _Noreturn void exec_process(struct init *in, int conn)
{
  hrun_error err;
  char **envp;

  if (!in->proc) {
    err_set(&err, 0, "the config has no process to start");
    sync_send_error(conn, &err);
    _exit(127);
  }
  envp = exec_build_env(in->proc, &err);
  if (!envp) {
    sync_send_error(conn, &err);
    _exit(127);
  }
  /* startContainer: after `start`, with the process's final credentials
   * (and seccomp filter), its environment by default; its result reaches
   * `start` before it returns. */
  if (run_container_hooks(in, HOOK_START_CONTAINER, conn, envp, &err) < 0) {
    sync_send_error(conn, &err);
    _exit(127);
  }
  /* After the hooks: the label applies at the next execve, the process's. */
  if (lsm_set_exec_labels(in->proc->apparmor_profile, in->proc->selinux_label, &err) < 0) {
    sync_send_error(conn, &err);
    _exit(127);
  }
  process_pass_preserved_fds(in->req->preserve_fds);
  /* START committed us: a start killed since it sent it cannot hear this,
   * and the process runs all the same (as with runc, whose start only
   * opens a fifo). */
  sync_send_exec(conn, &err);
  execve(in->exec_path, in->proc->args.items, envp);
  err_set(&err, errno, "exec %s", in->exec_path);
  sync_send_error(conn, &err);
  _exit(127);
}

_Noreturn void init_main(const struct spawn_request *req, const struct ns_plan *plan,
                         int sync_fd, bool join_v2)
{
  struct init in = {
      .req = req,
      .plan = plan,
      .join_v2 = join_v2,
      .proc = req->spec->process,
      .sync_fd = sync_fd,
      .rootfs = {.spec = req->spec, .rootfs = req->rootfs, .cgroup = req->cgroup,
                 .userns = plan->any_userns, .new_cgroupns = plan->new_cgroupns,
                 .no_pivot = req->no_pivot,
                 .no_mntns = !spec_namespace(req->spec, CLONE_NEWNS),
                 .rootfs_dir_fd = -1, .root_fd = -1},
  };
  hrun_error err;
  int conn;

  if (close_inherited_fds(&in, &err) < 0)
    goto fail;
  process_reset_signals();
  if (setup_before_hooks(&in, &err) < 0 || setup_after_hooks(&in, &err) < 0)
    goto fail;
  conn = wait_for_start(&in, &err);
  if (conn < 0)
    _exit(1); /* nobody left to tell: the parent is gone, start got EOF */
  exec_process(&in, conn);
fail:
  sync_send_error(in.sync_fd, &err);
  _exit(1);
}
