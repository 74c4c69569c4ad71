#include "nsexec/spawn.h"

#include <errno.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libcontainer/cgroups/cgroup.h"
#include "libcontainer/util/cleanup.h"
#include "libcontainer/util/log.h"
#include "libcontainer/net/netdev.h"
#include "libcontainer/state/process.h"
#include "libcontainer/spec/spec.h"
#include "nsexec/init.h"
#include "nsexec/mount_sources.h"
#include "nsexec/namespaces.h"
#include "nsexec/seccomp_handoff.h"
#include "nsexec/sync.h"

#define INIT_PEER "the container init"

pid_t nsexec_clone(int flags, int cgroup_fd, int *pidfd, bool *join_v2)
{
  struct clone_args args = {
      .flags = (uint64_t)flags | CLONE_PIDFD | (cgroup_fd >= 0 ? CLONE_INTO_CGROUP : 0),
      .pidfd = (uint64_t)(uintptr_t)pidfd,
      .exit_signal = SIGCHLD,
      .cgroup = cgroup_fd >= 0 ? (uint64_t)cgroup_fd : 0,
  };
  long pid;

  /* Set before each clone: the child reads its own copy. */
  *join_v2 = false;
  *pidfd = -1;
  pid = syscall(SYS_clone3, &args, sizeof(args));
  /* ENOSYS: no clone3 (Linux < 5.3), or a seccomp filter that says so, as
   * Docker's default profile does; E2BIG or EINVAL with a cgroup: no
   * CLONE_INTO_CGROUP (Linux < 5.7). */
  if (pid >= 0 || !(errno == ENOSYS || errno == E2BIG || (errno == EINVAL && cgroup_fd >= 0)))
    return (pid_t)pid;
  *join_v2 = cgroup_fd >= 0;
  pid = syscall(SYS_clone, (unsigned long)flags | SIGCHLD, NULL, NULL, NULL, 0);
  if (pid > 0)
    *pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
  return (pid_t)pid;
}

/* What became of a child that stopped talking, for the error message.
 * It is reaped either way: a wait that fails (ECHILD) fails again. */
static void explain_exit(pid_t pid, hrun_error *err)
{
  hrun_error why;
  int status;

  if (process_reap(pid, &status, &why) < 0) {
    err_wrap(err, "%s", why.msg);
    return;
  }
  if (WIFEXITED(status))
    err_wrap(err, "container init exited with status %d", WEXITSTATUS(status));
  else if (WIFSIGNALED(status))
    err_wrap(err, "container init killed by signal %d", WTERMSIG(status));
}

static void kill_init(struct spawn_result *res, bool reaped)
{
  if (!reaped)
    process_kill_reap(res->pid, res->pidfd);
  if (res->pidfd >= 0)
    close(res->pidfd);
  res->pidfd = -1;
}

/* READY, handing a seccomp listener to its agent on the way (9-10). */
static int wait_ready(const struct spawn_request *req, const struct spawn_result *res, int fd,
                      hrun_error *err)
{
  struct seccomp_handoff h = {.sync_fd = fd, .pidfd = res->pidfd, .pid = res->pid,
                              .spec = req->spec, .id = req->id, .bundle = req->bundle,
                              .status = "creating"};

  return seccomp_wait_for(&h, SYNC_READY, INIT_PEER, err);
}

/* The parent's half of the create channel (nsexec/sync.h, messages 1-4). */
static int drive_init(const struct spawn_request *req, const struct spawn_result *res,
                      const struct ns_plan *plan, int fd, hrun_error *err)
{
  /* The init joins its v1 cgroups itself, first thing after GO (see
   * cgroup_enter_self): before message 2, hence before the hooks. */
  if (plan->new_userns && ns_write_id_maps(res->pid, req->spec, err) < 0)
    return -1;
  if (sync_send_go(fd, err) < 0)
    return -1;
  log_debug("init %d: GO sent", res->pid);
  if (plan->mount_sources &&
      (sync_wait_mount_sources(fd, err) < 0 ||
       mount_sources_send(fd, res->pid, req->spec, req->bundle, err) < 0)) {
    sync_send_error(fd, err);
    return -1;
  }
  if (sync_wait_mounts_ready(fd, err) < 0)
    return -1;
  log_debug("init %d: mounts ready", res->pid);
  /* Its namespaces are all there now; prestart hooks see the devices. */
  if (netdev_move_all(req->spec, res->pid, err) < 0) {
    sync_send_error(fd, err);
    return -1;
  }
  if (req->runtime_hooks && req->runtime_hooks(req->data, res->pid, err) < 0) {
    sync_send_error(fd, err);
    return -1;
  }
  if (sync_send_hooks_done(fd, err) < 0)
    return -1;
  if (wait_ready(req, res, fd, err) < 0)
    return -1;
  log_debug("init %d: ready", res->pid);
  return 0;
}

static int start_child(const struct spawn_request *req, const struct ns_plan *plan,
                       int sockets[2], struct spawn_result *res, hrun_error *err)
{
  cleanup_close int cgroup_fd = -1;
  struct ns_saved saved;
  hrun_error ignored;
  bool join_v2;

  /* Born in its cgroup2 directory (pure v2, or hybrid's unified one): no
   * window in the parent's cgroup, no migration. */
  if (cgroup_open_v2_fd(req->cgroup, &cgroup_fd, err) < 0)
    return -1;
  if (ns_parent_prepare(req->spec, plan, &saved, err) < 0) {
    ns_parent_restore(&saved, &ignored);
    return -1;
  }
  res->pid = nsexec_clone(plan->clone_flags, cgroup_fd, &res->pidfd, &join_v2);
  if (res->pid == 0) {
    close(sockets[0]);
    init_main(req, plan, sockets[1], join_v2);
  }
  if (res->pid < 0) {
    err_set(err, errno, "clone the container init");
    ns_parent_restore(&saved, &ignored);
    return -1;
  }
  return ns_parent_restore(&saved, err);
}

int nsexec_spawn(const struct spawn_request *req, struct spawn_result *res,
                 hrun_error *err)
{
  cleanup_close int parent_fd = -1;
  struct ns_plan plan;
  int sockets[2];

  if (ns_plan_build(req->spec, &plan, err) < 0)
    return -1;
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sockets) < 0) {
    ns_plan_close(&plan);
    return err_set(err, errno, "socketpair");
  }
  parent_fd = sockets[0];
  if (start_child(req, &plan, sockets, res, err) < 0) {
    close(sockets[1]);
    ns_plan_close(&plan);
    if (res->pid > 0)
      kill_init(res, false);
    res->pid = -1;
    return -1;
  }
  close(sockets[1]);
  ns_plan_close(&plan);
  log_debug("container init is pid %d", res->pid);
  if (req->on_cloned && req->on_cloned(req->data, res->pid, err) < 0) {
    kill_init(res, false);
    res->pid = -1;
    return -1;
  }
  if (drive_init(req, res, &plan, parent_fd, err) < 0) {
    bool reaped = false;
    if (err->kind == HRUN_ERR_PEER_GONE) {
      explain_exit(res->pid, err);
      reaped = true;
    }
    kill_init(res, reaped);
    res->pid = -1;
    return -1;
  }
  return 0;
}
