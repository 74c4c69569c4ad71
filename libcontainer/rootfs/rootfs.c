#include "libcontainer/rootfs/rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/util/cleanup.h"
#include "libcontainer/util/fs_secure.h"
#include "libcontainer/util/fsutil.h"
#include "libcontainer/spec/spec.h"

#define MOUNTINFO "/proc/self/mountinfo"

/* *out: the mount point that holds path, from /proc/self/mountinfo
 * (longest prefix match), or NULL. */
static int mount_point_of(const char *path, char **out, hrun_error *err)
{
  cleanup_fclose FILE *f = fopen(MOUNTINFO, "re");
  cleanup_free char *line = NULL;
  char *best = NULL;
  size_t cap = 0, best_len = 0;

  *out = NULL;
  if (!f)
    return err_set(err, errno, "open " MOUNTINFO);
  while (getline(&line, &cap, f) > 0) {
    char mp[4096];
    size_t n;

    if (sscanf(line, "%*s %*s %*s %*s %4095s", mp) != 1)
      continue;
    n = strlen(mp);
    if (strncmp(path, mp, n) != 0 || (n > 1 && path[n] != '/' && path[n] != '\0'))
      continue;
    if (n >= best_len) {
      free(best);
      best = xstrdup(mp);
      best_len = n;
    }
  }
  if (stream_check(f, MOUNTINFO, err) < 0) {
    free(best);
    return -1;
  }
  *out = best;
  return 0;
}

/* pivot_root refuses a new root whose parent mount is shared; that only
 * happens when rootfsPropagation asked for shared. */
static int make_parent_mount_private(const char *rootfs, hrun_error *err)
{
  cleanup_free char *mp = NULL;

  if (mount_point_of(rootfs, &mp, err) < 0)
    return err_wrap(err, "find the mount holding the rootfs");
  if (mp && mount(NULL, mp, NULL, MS_PRIVATE, NULL) < 0)
    return err_set(err, errno, "make %s private", mp);
  return 0;
}

/* While the rootfs is built, the copied host tree is made a slave (unless
 * rootfsPropagation says otherwise): nothing mounted in the container
 * reaches the host, while bind mounts asked to be rslave keep receiving the
 * host's mounts, as with runc. */
static int setup_propagation(const struct rootfs_ctx *ctx, hrun_error *err)
{
  unsigned long prop = ctx->spec->linux_cfg.rootfs_propagation;

  if (mount(NULL, "/", NULL, prop ? prop : MS_REC | MS_SLAVE, NULL) < 0)
    return err_set(err, errno, "set the propagation of /");
  return make_parent_mount_private(ctx->rootfs, err);
}

/* The rootfs is bound onto itself (pivot_root wants a mount point) from the
 * fd the init opened before it became root of a user namespace: an id-mapped
 * root may not be able to walk the path to the bundle. open_tree's fd is the
 * new mount's root, which every later lookup starts from. */
static int bind_rootfs(struct rootfs_ctx *ctx, hrun_error *err)
{
  int tree = (int)syscall(SYS_open_tree, ctx->rootfs_dir_fd, "",
                          OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_EMPTY_PATH);

  if (tree < 0)
    return err_set(err, errno, "bind the rootfs %s", ctx->rootfs);
  if (syscall(SYS_move_mount, tree, "", ctx->rootfs_dir_fd, "",
              MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0) {
    close(tree);
    return err_set(err, errno, "attach the rootfs bind mount on %s", ctx->rootfs);
  }
  ctx->root_fd = tree;
  return 0;
}

int rootfs_open(struct rootfs_ctx *ctx, hrun_error *err)
{
  ctx->rootfs_dir_fd = open(ctx->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (ctx->rootfs_dir_fd < 0)
    return err_set(err, errno, "open the rootfs %s", ctx->rootfs);
  return 0;
}

int rootfs_prepare(struct rootfs_ctx *ctx, hrun_error *err)
{
  if (ctx->no_mntns) {
    /* The caller's mount namespace: nothing is mounted or made, the
     * rootfs directory itself is the root to enter. */
    ctx->root_fd = fcntl(ctx->rootfs_dir_fd, F_DUPFD_CLOEXEC, 0);
    return ctx->root_fd < 0 ? err_set(err, errno, "dup the rootfs fd") : 0;
  }
  if (setup_propagation(ctx, err) < 0)
    return -1;
  if (bind_rootfs(ctx, err) < 0)
    return -1;
  if (mounts_apply(ctx, err) < 0)
    return -1;
  return devices_create(ctx, err);
}

int rootfs_finish(struct rootfs_ctx *ctx, hrun_error *err)
{
  /* Without a mount namespace spec_parse refused every field below. */
  if (ctx->no_mntns)
    return rootfs_make_cwd(ctx, err);
  if (rootfs_make_cwd(ctx, err) < 0 || mounts_finish_readonly(ctx, err) < 0)
    return -1;
  if (rootfs_mask_paths(ctx, err) < 0)
    return -1;
  if (rootfs_readonly_paths(ctx, err) < 0)
    return -1;
  if (ctx->spec->root.readonly && mount_remount_bind(ctx->root_fd, MS_RDONLY, 0, err) < 0)
    return err_wrap(err, "root.readonly");
  return 0;
}

static int pivot(int root_fd, hrun_error *err)
{
  cleanup_close int old_root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);

  if (old_root < 0)
    return err_set(err, errno, "open the old root");
  if (fchdir(root_fd) < 0)
    return err_set(err, errno, "chdir to the rootfs");
  /* pivot_root(".", ".") stacks the old root on the new one; detaching it
   * then drops the host's tree without needing a directory for it inside
   * the rootfs. */
  if (syscall(SYS_pivot_root, ".", ".") < 0)
    return err_set(err, errno, "pivot_root");
  /* "." is still the new root, under the old one: mount(2) does not follow
   * the mount stacked on it. The old root is made a slave through its own
   * fd, so that its unmount does not reach the host, while the container's
   * mounts keep their propagation (an rshared bind stays shared with the
   * host). */
  if (fchdir(old_root) < 0)
    return err_set(err, errno, "chdir to the old root");
  if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
    return err_set(err, errno, "make the old root a slave");
  if (umount2(".", MNT_DETACH) < 0)
    return err_set(err, errno, "detach the old root");
  if (chdir("/") < 0)
    return err_set(err, errno, "chdir /");
  return 0;
}

static bool is_host_proc_or_sys(const char *line, const char *rootfs, char *mp)
{
  char root[4096], fstype[64];
  const char *sep = strstr(line, " - ");
  size_t n = strlen(rootfs);

  if (!sep || sscanf(line, "%*s %*s %*s %4095s %4095s", root, mp) != 2 ||
      sscanf(sep + 3, "%63s", fstype) != 1)
    return false;
  if (strcmp(root, "/") != 0 || (strcmp(fstype, "proc") != 0 && strcmp(fstype, "sysfs") != 0))
    return false;
  return !(strncmp(mp, rootfs, n) == 0 && (mp[n] == '/' || mp[n] == '\0'));
}

/* Without pivot_root the host's tree stays reachable in this mount
 * namespace, and the kernel lets a new procfs or sysfs be mounted when a
 * full one is visible: take the host's full proc and sysfs mounts away
 * first (as runc does for --no-pivot). */
static int hide_host_proc_and_sys(const char *rootfs, hrun_error *err)
{
  cleanup_fclose FILE *f = fopen(MOUNTINFO, "re");
  cleanup_free char *line = NULL;
  char mp[4096];
  size_t cap = 0;
  int r = 0;

  if (!f)
    return err_set(err, errno, "--no-pivot: open " MOUNTINFO);
  while (r == 0 && getline(&line, &cap, f) > 0) {
    if (!is_host_proc_or_sys(line, rootfs, mp))
      continue;
    if (mount(NULL, mp, NULL, MS_SLAVE | MS_REC, NULL) < 0 && errno == ENOENT)
      continue; /* below something already detached */
    if (umount2(mp, MNT_DETACH) < 0 && mount("tmpfs", mp, "tmpfs", 0, NULL) < 0)
      r = err_set(err, errno, "--no-pivot: hide %s", mp);
  }
  /* Stopping early would leave the host's proc or sys reachable. */
  if (r == 0 && stream_check(f, MOUNTINFO, err) < 0)
    return err_wrap(err, "--no-pivot");
  return r;
}

static int move_and_chroot(int root_fd, const char *rootfs, hrun_error *err)
{
  if (hide_host_proc_and_sys(rootfs, err) < 0)
    return -1;
  if (fchdir(root_fd) < 0)
    return err_set(err, errno, "chdir to the rootfs");
  if (mount(".", "/", NULL, MS_MOVE, NULL) < 0)
    return err_set(err, errno, "move the rootfs to /");
  if (chroot(".") < 0)
    return err_set(err, errno, "chroot");
  if (chdir("/") < 0)
    return err_set(err, errno, "chdir /");
  return 0;
}

int rootfs_chroot(int root_fd, hrun_error *err)
{
  if (fchdir(root_fd) < 0)
    return err_set(err, errno, "chdir to the rootfs");
  if (chroot(".") < 0)
    return err_set(err, errno, "chroot into the rootfs");
  if (chdir("/") < 0)
    return err_set(err, errno, "chdir /");
  return 0;
}

static int enter_root(const struct rootfs_ctx *ctx, hrun_error *err)
{
  /* The caller's mount namespace stays as it is (runc chroots there too;
   * --no-pivot changes nothing). */
  if (ctx->no_mntns)
    return rootfs_chroot(ctx->root_fd, err);
  if (ctx->no_pivot)
    return move_and_chroot(ctx->root_fd, ctx->rootfs, err);
  return pivot(ctx->root_fd, err);
}

int rootfs_enter(struct rootfs_ctx *ctx, hrun_error *err)
{
  unsigned long prop = ctx->spec->linux_cfg.rootfs_propagation;

  if (enter_root(ctx, err) < 0)
    return -1;
  close(ctx->root_fd);
  close(ctx->rootfs_dir_fd);
  ctx->root_fd = ctx->rootfs_dir_fd = -1;
  if (ctx->no_mntns)
    return 0;
  /* Without rootfsPropagation the rootfs mount itself is private; mounts
   * below it keep the propagation their options asked for. */
  if (mount(NULL, "/", NULL, prop ? prop : MS_PRIVATE, NULL) < 0)
    return err_set(err, errno, "linux.rootfsPropagation");
  return 0;
}
