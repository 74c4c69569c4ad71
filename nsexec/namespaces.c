#include "nsexec/namespaces.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <linux/magic.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/util/cleanup.h"
#include "libcontainer/util/fsutil.h"
#include "libcontainer/rootfs/idmap.h"
#include "libcontainer/spec/spec.h"
#include "nsexec/mount_sources.h"

/* The order the init joins namespaces in: the user namespace first (it
 * grants the rights to join the rest), the mount namespace last (joining it
 * changes how the other paths would resolve; they are fds by then anyway). */
static const int join_order[] = {
    CLONE_NEWUSER, CLONE_NEWIPC, CLONE_NEWUTS, CLONE_NEWNET,
    CLONE_NEWCGROUP, CLONE_NEWTIME, CLONE_NEWNS,
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* An fd of ns->path, checked to be a namespace of ns->type: setns would
 * otherwise fail later with a bare EINVAL ("join the network namespace:
 * invalid argument") that names neither the field nor the file. */
static int open_ns(const struct oci_spec *spec, const struct spec_namespace *ns,
                   hrun_error *err)
{
  /* O_NONBLOCK: a FIFO at that path must not block the open. */
  cleanup_close int fd = open(ns->path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  const char *type = spec_namespace_name(ns->type);
  struct statfs sfs;
  struct stat st;
  size_t i;

  for (i = 0; i < spec->linux_cfg.n_namespaces; i++)
    if (&spec->linux_cfg.namespaces[i] == ns)
      break;
  if (fd < 0)
    return err_set(err, errno, "linux.namespaces[%zu].path: open %s", i, ns->path);
  /* Only an nsfs file is asked NS_GET_NSTYPE: that ioctl number means
   * something else to a device. */
  if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || fstatfs(fd, &sfs) < 0 ||
      sfs.f_type != NSFS_MAGIC || ioctl(fd, NS_GET_NSTYPE) != ns->type)
    return err_set(err, 0, "linux.namespaces[%zu].path: %s is not a%s %s namespace", i,
                   ns->path, type && type[0] == 'i' ? "n" : "", type ? type : "known");
  return take_fd(&fd);
}

static void plan_new_namespaces(const struct oci_spec *spec, struct ns_plan *plan)
{
  const struct spec_namespace *user = spec_namespace(spec, CLONE_NEWUSER);
  bool joined_user = user && user->path;
  size_t i;

  for (i = 0; i < spec->linux_cfg.n_namespaces; i++) {
    const struct spec_namespace *ns = &spec->linux_cfg.namespaces[i];
    if (ns->path)
      continue;
    if (ns->type == CLONE_NEWTIME)
      plan->new_timens = true; /* made by the parent, see ns_parent_prepare */
    else if (ns->type == CLONE_NEWCGROUP)
      /* Its root is the cgroup of its creator: create it once the parent
       * has moved the init into the container's cgroup. */
      plan->unshare_flags |= ns->type;
    else if (joined_user && ns->type != CLONE_NEWPID)
      plan->unshare_flags |= ns->type;
    else
      plan->clone_flags |= ns->type;
  }
  plan->new_userns = plan->clone_flags & CLONE_NEWUSER;
  plan->any_userns = user != NULL;
  plan->new_cgroupns = (plan->clone_flags | plan->unshare_flags) & CLONE_NEWCGROUP;
  plan->mount_sources = mount_sources_needed(spec, plan->any_userns);
}

int ns_plan_build(const struct oci_spec *spec, struct ns_plan *plan, hrun_error *err)
{
  const struct spec_namespace *pid = spec_namespace(spec, CLONE_NEWPID);
  const struct spec_namespace *user = spec_namespace(spec, CLONE_NEWUSER);
  size_t i;

  memset(plan, 0, sizeof(*plan));
  plan->pid_fd = -1;
  plan_new_namespaces(spec, plan);
  /* The pid namespace would belong to the host's user namespace. */
  if (user && user->path && pid && !pid->path)
    return err_set(err, 0,
                   "linux.namespaces: joining a user namespace by path together with a "
                   "new pid namespace is not supported yet");
  if (pid && pid->path) {
    plan->pid_fd = open_ns(spec, pid, err);
    if (plan->pid_fd < 0)
      return -1;
  }
  for (i = 0; i < COUNT(join_order); i++) {
    const struct spec_namespace *ns = spec_namespace(spec, join_order[i]);
    int fd;

    if (!ns || !ns->path)
      continue;
    fd = open_ns(spec, ns, err);
    if (fd < 0) {
      ns_plan_close(plan);
      return -1;
    }
    plan->join_fds[plan->n_join] = fd;
    plan->join_types[plan->n_join++] = join_order[i];
  }
  return 0;
}

void ns_plan_close(struct ns_plan *plan)
{
  size_t i;

  for (i = 0; i < plan->n_join; i++)
    close(plan->join_fds[i]);
  plan->n_join = 0;
  if (plan->pid_fd >= 0)
    close(plan->pid_fd);
  plan->pid_fd = -1;
}

static int write_time_offsets(const struct oci_spec *spec, hrun_error *err)
{
  const struct spec_time_offset *mono = &spec->linux_cfg.time_monotonic;
  const struct spec_time_offset *boot = &spec->linux_cfg.time_boottime;
  char buf[128];
  int n = 0;

  if (mono->set)
    n += snprintf(buf + n, sizeof(buf) - n, "monotonic %lld %u\n", (long long)mono->secs,
                  mono->nanosecs);
  if (boot->set)
    n += snprintf(buf + n, sizeof(buf) - n, "boottime %lld %u\n", (long long)boot->secs,
                  boot->nanosecs);
  if (n == 0)
    return 0;
  /* Offsets can only be written before any process lives in the namespace. */
  if (write_file_at(AT_FDCWD, "/proc/self/timens_offsets", buf, n, err) < 0)
    return err_wrap(err, "linux.timeOffsets");
  return 0;
}

int ns_parent_prepare(const struct oci_spec *spec, const struct ns_plan *plan,
                      struct ns_saved *saved, hrun_error *err)
{
  saved->pid_fd = saved->time_fd = -1;
  if (plan->pid_fd >= 0) {
    saved->pid_fd = open("/proc/self/ns/pid_for_children", O_RDONLY | O_CLOEXEC);
    if (saved->pid_fd < 0)
      return err_set(err, errno, "open /proc/self/ns/pid_for_children");
    if (setns(plan->pid_fd, CLONE_NEWPID) < 0)
      return err_set(err, errno, "join the pid namespace");
  }
  if (plan->new_timens) {
    saved->time_fd = open("/proc/self/ns/time_for_children", O_RDONLY | O_CLOEXEC);
    if (saved->time_fd < 0)
      return err_set(err, errno, "open /proc/self/ns/time_for_children");
    if (unshare(CLONE_NEWTIME) < 0)
      return err_set(err, errno, "create the time namespace");
    if (write_time_offsets(spec, err) < 0)
      return -1;
  }
  return 0;
}

int ns_parent_restore(struct ns_saved *saved, hrun_error *err)
{
  int r = 0;

  if (saved->pid_fd >= 0 && setns(saved->pid_fd, CLONE_NEWPID) < 0)
    r = err_set(err, errno, "restore the pid namespace for children");
  if (saved->time_fd >= 0 && setns(saved->time_fd, CLONE_NEWTIME) < 0)
    r = err_set(err, errno, "restore the time namespace for children");
  if (saved->pid_fd >= 0)
    close(saved->pid_fd);
  if (saved->time_fd >= 0)
    close(saved->time_fd);
  saved->pid_fd = saved->time_fd = -1;
  return r;
}


int ns_write_id_maps(pid_t pid, const struct oci_spec *spec, hrun_error *err)
{
  const struct spec_linux *lx = &spec->linux_cfg;

  if (idmap_write_map(pid, "uid_map", lx->uid_mappings, lx->n_uid_mappings, err) < 0)
    return err_wrap(err, "linux.uidMappings");
  if (idmap_write_map(pid, "gid_map", lx->gid_mappings, lx->n_gid_mappings, err) < 0)
    return err_wrap(err, "linux.gidMappings");
  return 0;
}

int ns_init_join(const struct ns_plan *plan, hrun_error *err)
{
  size_t i;

  for (i = 0; i < plan->n_join; i++)
    if (setns(plan->join_fds[i], plan->join_types[i]) < 0)
      return err_set(err, errno, "join the %s namespace",
                     spec_namespace_name(plan->join_types[i]));
  if (plan->unshare_flags && unshare(plan->unshare_flags) < 0)
    return err_set(err, errno, "create the namespaces the init makes itself");
  return 0;
}

int ns_init_become_root(const struct ns_plan *plan, hrun_error *err)
{
  if (plan->any_userns) {
    if (setresgid(0, 0, 0) < 0)
      return err_set(err, errno, "become gid 0 in the user namespace (is 0 mapped?)");
    if (setresuid(0, 0, 0) < 0)
      return err_set(err, errno, "become uid 0 in the user namespace (is 0 mapped?)");
  }
  return 0;
}
