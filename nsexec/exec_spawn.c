#include "nsexec/exec_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libcontainer/cgroups/cgroup.h"
#include "libcontainer/util/cleanup.h"
#include "nsexec/console.h"
#include "libcontainer/security/lsm.h"
#include "libcontainer/state/process.h"
#include "libcontainer/rootfs/rootfs.h"
#include "libcontainer/spec/spec.h"
#include "nsexec/exec.h"
#include "nsexec/process_setup.h"
#include "nsexec/seccomp_handoff.h"
#include "nsexec/spawn.h"
#include "nsexec/sync.h"

#define EXEC_PEER "the exec'd process"

static const struct {
  const char *name;
  int type;
} ns_files[] = {
    {"user", CLONE_NEWUSER}, {"mnt", CLONE_NEWNS},       {"net", CLONE_NEWNET},
    {"ipc", CLONE_NEWIPC},   {"uts", CLONE_NEWUTS},      {"cgroup", CLONE_NEWCGROUP},
    {"time", CLONE_NEWTIME}, {"pid", CLONE_NEWPID},
};

static bool same_file(const char *a, const char *b)
{
  struct stat sa, sb;

  if (stat(a, &sa) < 0 || stat(b, &sb) < 0)
    return true; /* a namespace the kernel lacks is nothing to join */
  return sa.st_ino == sb.st_ino && sa.st_dev == sb.st_dev;
}

/* The namespaces the container does not share with us: joining one's own
 * user namespace is an error, so only these are joined. */
static int namespaces_to_join(pid_t pid)
{
  char theirs[64], ours[64];
  int flags = 0;
  size_t i;

  for (i = 0; i < sizeof(ns_files) / sizeof(ns_files[0]); i++) {
    snprintf(theirs, sizeof(theirs), "/proc/%d/ns/%s", pid, ns_files[i].name);
    snprintf(ours, sizeof(ours), "/proc/self/ns/%s", ns_files[i].name);
    if (!same_file(theirs, ours))
      flags |= ns_files[i].type;
  }
  return flags;
}

/* A container without a mount namespace of its own is its init chrooted
 * in the caller's: joining its namespaces leads to that namespace's root,
 * not to the container's. The init's root is opened while its pidfd shows
 * it alive, so the pid named our init. */
static int open_init_root(const struct exec_request *req, hrun_error *err)
{
  char path[64];
  cleanup_close int fd = -1;

  snprintf(path, sizeof(path), "/proc/%d/root", (int)req->init_pid);
  fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return err_set(err, errno, "open the container's root (%s)", path);
  if (process_signal(req->init_pidfd, 0, err) < 0)
    return err_wrap(err, "the container's init");
  return take_fd(&fd);
}

/* The child: everything from GO to execve (sync.h, exec flow). */
static int exec_child_setup(const struct exec_request *req, int flags, bool join_v2, int fd,
                            char **path, hrun_error *err)
{
  cleanup_close int root = -1;
  cleanup_close int init_root = -1;

  if (sync_wait_go(fd, err) < 0)
    return -1;
  if (cgroup_enter_self(req->cgroup, join_v2, err) < 0)
    return -1;
  if (!spec_namespace(req->spec, CLONE_NEWNS) && (init_root = open_init_root(req, err)) < 0)
    return -1;
  if ((flags & ~CLONE_NEWPID) && setns(req->init_pidfd, flags & ~CLONE_NEWPID) < 0)
    return err_set(err, errno, "join the container's namespaces");
  if (init_root >= 0 && rootfs_chroot(init_root, err) < 0)
    return -1;
  if (setsid() < 0)
    return err_set(err, errno, "setsid");
  if (req->proc->terminal) {
    int slave;

    root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    slave = root < 0 ? -1 : console_setup(root, req->console_fd, req->proc, err);
    if (slave < 0)
      return root < 0 ? err_set(err, errno, "open /") : -1;
    close(slave);
    close(req->console_fd);
  }
  if (process_set_oom_score_adj(req->proc, err) < 0)
    return -1;
  return process_setup(&(struct process_setup){.proc = req->proc, .spec = req->spec,
                                               .seccomp = req->seccomp, .sync_fd = fd},
                       path, err);
}

static _Noreturn void exec_child(const struct exec_request *req, int flags, bool join_v2,
                                 int fd)
{
  int keep[] = {fd, req->init_pidfd, req->console_fd};
  char *path = NULL, **envp;
  hrun_error err;

#ifndef HRUN_TEST_NO_FD_HYGIENE
  if (process_close_fds(req->preserve_fds, keep, 3, &err) < 0) {
    sync_send_error(fd, &err);
    _exit(127);
  }
#else
  /* test builds only: the exec'd process inherits the runtime's fds, the
   * state dir and its root among them (CVE-2024-21626's door) */
  (void)keep;
  for (int i = 3; i < 1024; i++)
    fcntl(i, F_SETFD, 0);
#endif
  process_reset_signals();
  if (exec_child_setup(req, flags, join_v2, fd, &path, &err) < 0 ||
      lsm_set_exec_labels(req->proc->apparmor_profile, req->proc->selinux_label, &err) < 0 ||
      !(envp = exec_build_env(req->proc, &err))) {
    sync_send_error(fd, &err);
    _exit(127);
  }
  process_pass_preserved_fds(req->preserve_fds);
  if (sync_send_exec(fd, &err) < 0)
    _exit(127);
  execve(path, req->proc->args.items, envp);
  err_set(&err, errno, "exec %s", path);
  sync_send_error(fd, &err);
  _exit(127);
}

/* The pid namespace applies to children only: set it for the clone, then
 * put ours back so that nothing else this process starts lands there. */
static pid_t clone_in_pidns(const struct exec_request *req, int flags, int *pidfd,
                            bool *join_v2, hrun_error *err)
{
  cleanup_close int saved = open("/proc/self/ns/pid_for_children", O_RDONLY | O_CLOEXEC);
  cleanup_close int cgroup_fd = -1;
  pid_t pid;

  if (cgroup_open_v2_fd(req->cgroup, &cgroup_fd, err) < 0)
    return -1;
  if (saved < 0)
    return err_set(err, errno, "open /proc/self/ns/pid_for_children");
  if ((flags & CLONE_NEWPID) && setns(req->init_pidfd, CLONE_NEWPID) < 0)
    return err_set(err, errno, "join the container's pid namespace");
  pid = nsexec_clone(0, cgroup_fd, pidfd, join_v2);
  if (pid == 0)
    return 0;
  if (pid < 0)
    err_set(err, errno, "clone the exec'd process");
  if ((flags & CLONE_NEWPID) && setns(saved, CLONE_NEWPID) < 0 && pid > 0) {
    err_set(err, errno, "restore the pid namespace for children");
    process_kill_reap(pid, *pidfd);
    return -1;
  }
  return pid;
}

/* EXEC, handing a seccomp listener to its agent on the way. */
static int wait_exec(const struct exec_request *req, const struct exec_result *res, int fd,
                     hrun_error *err)
{
  struct seccomp_handoff h = {.sync_fd = fd, .pidfd = res->pidfd, .pid = res->pid,
                              .spec = req->spec, .id = req->id, .bundle = req->bundle,
                              .status = "running"};

  return seccomp_wait_for(&h, SYNC_EXEC, EXEC_PEER, err);
}

static int drive_child(const struct exec_request *req, const struct exec_result *res,
                       int fd, hrun_error *err)
{
  if (sync_send_go(fd, err) < 0)
    return -1;
  if (wait_exec(req, res, fd, err) < 0)
    return -1;
  return sync_wait_eof(fd, EXEC_PEER, err);
}

int nsexec_exec(const struct exec_request *req, struct exec_result *res, hrun_error *err)
{
  int flags = namespaces_to_join(req->init_pid);
  cleanup_close int parent_fd = -1;
  bool join_v2 = false;
  int sockets[2];

  res->pidfd = -1;
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sockets) < 0)
    return err_set(err, errno, "socketpair");
  parent_fd = sockets[0];
  res->pid = clone_in_pidns(req, flags, &res->pidfd, &join_v2, err);
  if (res->pid == 0) {
    close(sockets[0]);
    exec_child(req, flags, join_v2, sockets[1]);
  }
  close(sockets[1]);
  if (res->pid < 0)
    return -1;
  if (drive_child(req, res, parent_fd, err) < 0) {
    process_kill_reap(res->pid, res->pidfd);
    close(res->pidfd);
    res->pidfd = -1;
    return -1;
  }
  return 0;
}
