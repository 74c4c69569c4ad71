/* The container's /sys/fs/cgroup. Everything is mounted through fds with
 * the new mount API (fsopen/fsmount, open_tree, move_mount): the target is
 * an fd resolved inside the rootfs, and the sub-mounts of v1 are created
 * by mkdirat/openat relative to the tmpfs, so no path string inside the
 * rootfs is ever followed. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/cgroups/cgroup_internal.h"
#include "libcontainer/util/cleanup.h"

static unsigned int mount_attr(unsigned long flags)
{
  unsigned int a = 0;

  a |= flags & MS_RDONLY ? MOUNT_ATTR_RDONLY : 0;
  a |= flags & MS_NOSUID ? MOUNT_ATTR_NOSUID : 0;
  a |= flags & MS_NODEV ? MOUNT_ATTR_NODEV : 0;
  a |= flags & MS_NOEXEC ? MOUNT_ATTR_NOEXEC : 0;
  a |= flags & MS_NODIRATIME ? MOUNT_ATTR_NODIRATIME : 0;
  a |= flags & MS_NOATIME ? MOUNT_ATTR_NOATIME : 0;
  a |= flags & MS_STRICTATIME ? MOUNT_ATTR_STRICTATIME : 0;
  return a;
}

/* A detached mount of a new filesystem instance. opts: "key=value" and
 * "flag" items separated by ','. */
static int fs_mount(const char *type, const char *opts, unsigned int attr, hrun_error *err)
{
  cleanup_close int fs = fsopen(type, FSOPEN_CLOEXEC);
  int mfd;

  if (fs < 0)
    return err_set(err, errno, "cgroup: mount %s: fsopen", type);
  for (const char *s = opts; *s; s += strcspn(s, ","), s += *s == ',') {
    cleanup_free char *item = strndup(s, strcspn(s, ","));
    char *eq = item ? strchr(item, '=') : NULL;
    int r;

    if (!item)
      return err_set(err, ENOMEM, "cgroup: mount %s", type);
    if (eq)
      *eq = '\0';
    r = eq ? fsconfig(fs, FSCONFIG_SET_STRING, item, eq + 1, 0)
           : fsconfig(fs, FSCONFIG_SET_FLAG, item, NULL, 0);
    if (r < 0)
      return err_set(err, errno, "cgroup: mount %s: option %s", type, item);
  }
  if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
    return err_set(err, errno, "cgroup: mount %s %s", type, opts);
  mfd = fsmount(fs, FSMOUNT_CLOEXEC, attr);
  if (mfd < 0)
    return err_set(err, errno, "cgroup: mount %s %s: fsmount", type, opts);
  return mfd;
}

/* A detached copy of the host's directory with attr applied. */
static int bind_tree(const char *src, unsigned int attr, hrun_error *err)
{
  unsigned int how = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE;
  cleanup_close int fd = open_tree(AT_FDCWD, src, how);
  struct mount_attr a = {.attr_set = attr};

  if (fd < 0)
    return err_set(err, errno, "cgroup: bind %s", src);
  if (attr & MOUNT_ATTR__ATIME)
    a.attr_clr = MOUNT_ATTR__ATIME;
  if (mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &a, sizeof(a)) < 0)
    return err_set(err, errno, "cgroup: bind %s: set mount attributes", src);
  return take_fd(&fd);
}

/* With a cgroup namespace the real filesystem shows the container's cgroup
 * as its root. Where mounting is refused (EPERM, EBUSY: e.g. a v1
 * hierarchy from inside a user namespace), the host directory is bound
 * instead, as runc does. */
static int hierarchy_mount(const struct cgroup_dir *d, unsigned int attr, bool new_cgroupns,
                           hrun_error *err)
{
  bool v2 = d->controllers[0] == '\0';
  int fd;

  if (new_cgroupns) {
    fd = fs_mount(v2 ? "cgroup2" : "cgroup", d->controllers, attr, err);
    if (fd >= 0 || (err->errnum != EPERM && err->errnum != EBUSY))
      return fd;
  }
  return bind_tree(d->path, attr, err);
}

static int attach(int mfd, int target_fd, const char *what, hrun_error *err)
{
  if (move_mount(mfd, "", target_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
    return err_set(err, errno, "cgroup: attach the %s mount", what);
  return 0;
}

static int mount_v2(const struct cgroup_paths *p, int target_fd, unsigned int attr,
                    bool new_cgroupns, hrun_error *err)
{
  const struct cgroup_dir *d = cg_v2_dir(p);
  cleanup_close int mfd = -1;

  if (!d)
    return err_set(err, 0, "cgroup: no cgroup2 directory to mount");
  mfd = hierarchy_mount(d, attr, new_cgroupns, err);
  return mfd < 0 ? -1 : attach(mfd, target_fd, "cgroup2", err);
}

/* The name of a hierarchy's directory, as hosts name them. */
static char *hierarchy_name(const char *controllers)
{
  if (!*controllers)
    return xstrdup("unified");
  if (strncmp(controllers, "name=", 5) == 0 && !strchr(controllers, ','))
    return xstrdup(controllers + 5);
  return xstrdup(controllers);
}

static int mount_hierarchy(int tmpfs, const struct cgroup_dir *d, unsigned int attr,
                           bool new_cgroupns, hrun_error *err)
{
  cleanup_free char *name = hierarchy_name(d->controllers);
  cleanup_close int dir = -1, mfd = -1;

  if (mkdirat(tmpfs, name, 0755) < 0 && errno != EEXIST)
    return err_set(err, errno, "cgroup: mkdir %s in the cgroup tmpfs", name);
  dir = openat(tmpfs, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (dir < 0)
    return err_set(err, errno, "cgroup: open %s in the cgroup tmpfs", name);
  mfd = hierarchy_mount(d, attr, new_cgroupns, err);
  return mfd < 0 ? -1 : attach(mfd, dir, name, err);
}

/* cpu -> cpu,cpuacct and cpuacct -> cpu,cpuacct for comounted ones. */
static int comount_links(int tmpfs, const struct cgroup_dir *d, hrun_error *err)
{
  cleanup_free char *name = hierarchy_name(d->controllers);

  if (!strchr(d->controllers, ','))
    return 0;
  for (const char *s = d->controllers; *s; s += strcspn(s, ","), s += *s == ',') {
    cleanup_free char *link = strndup(s, strcspn(s, ","));
    if (!link || strncmp(link, "name=", 5) == 0 || strcmp(link, name) == 0)
      continue;
    if (symlinkat(name, tmpfs, link) < 0 && errno != EEXIST)
      return err_set(err, errno, "cgroup: symlink %s -> %s in the cgroup tmpfs", link, name);
  }
  return 0;
}

/* The tmpfs is made read-only last, after its directories and links. */
static int mount_v1(const struct cgroup_paths *p, int target_fd, unsigned int attr,
                    bool new_cgroupns, hrun_error *err)
{
  cleanup_close int tmpfs = fs_mount("tmpfs", "mode=755", attr & ~MOUNT_ATTR_RDONLY, err);
  struct mount_attr ro = {.attr_set = MOUNT_ATTR_RDONLY};
  size_t i;

  if (tmpfs < 0 || attach(tmpfs, target_fd, "cgroup tmpfs", err) < 0)
    return -1;
  for (i = 0; i < p->n_dirs; i++)
    if (mount_hierarchy(tmpfs, &p->dirs[i], attr, new_cgroupns, err) < 0)
      return -1;
  for (i = 0; i < p->n_dirs; i++)
    if (comount_links(tmpfs, &p->dirs[i], err) < 0)
      return -1;
  if ((attr & MOUNT_ATTR_RDONLY) &&
      mount_setattr(tmpfs, "", AT_EMPTY_PATH, &ro, sizeof(ro)) < 0)
    return err_set(err, errno, "cgroup: make the cgroup tmpfs read-only");
  return 0;
}

int cgroup_mount_in_container(const struct cgroup_paths *p, int target_fd,
                              unsigned long flags, bool new_cgroupns, hrun_error *err)
{
  unsigned int attr = mount_attr(flags);

  if (p->mode == CGROUP_MODE_V2)
    return mount_v2(p, target_fd, attr, new_cgroupns, err);
  return mount_v1(p, target_fd, attr, new_cgroupns, err);
}
