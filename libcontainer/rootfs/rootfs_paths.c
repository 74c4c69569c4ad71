/* process.cwd, maskedPaths and readonlyPaths, resolved inside the rootfs
 * before pivot_root. */
#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "libcontainer/util/cleanup.h"
#include "libcontainer/util/fs_secure.h"
#include "libcontainer/rootfs/rootfs.h"
#include "libcontainer/spec/spec.h"

/* Files are masked by binding /dev/null over them. That node is the
 * container's, so it must be the real null device: an image whose /dev/null
 * is a symlink or another node must not get that file bound over
 * /proc entries (CVE-2025-31133). */
static int open_dev_null(int root_fd, hrun_error *err)
{
#ifndef HRUN_TEST_NO_DEV_CHECKS
  cleanup_close int fd = secure_open(root_fd, "/dev/null", O_PATH | O_NOFOLLOW, err);
#else
  cleanup_close int fd = secure_open(root_fd, "/dev/null", O_PATH, err);
#endif
  struct stat st;

  if (fd < 0)
    return -1;
  if (fstat(fd, &st) < 0)
    return err_set(err, errno, "stat /dev/null");
#ifndef HRUN_TEST_NO_DEV_CHECKS
  if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3))
    return err_set(err, 0, "/dev/null in the container is not the null device");
#endif
  return take_fd(&fd);
}

static int mask_one(int root_fd, const char *path, int target, int *null_fd,
                    hrun_error *err)
{
  struct stat st;

  (void)path;
  if (fstat(target, &st) < 0)
    return err_set(err, errno, "stat");
  if (S_ISDIR(st.st_mode)) {
    if (mount("tmpfs", fd_path(target).str, "tmpfs", MS_RDONLY, "size=0k") < 0)
      return err_set(err, errno, "mount an empty tmpfs");
    return 0;
  }
  if (*null_fd < 0) {
    *null_fd = open_dev_null(root_fd, err);
    if (*null_fd < 0)
      return -1;
  }
  if (mount(fd_path(*null_fd).str, fd_path(target).str, NULL, MS_BIND, NULL) < 0)
    return err_set(err, errno, "bind /dev/null");
  return 0;
}

static int make_readonly(int root_fd, const char *path, int fd, int *null_fd,
                         hrun_error *err)
{
  cleanup_close int mnt = -1;

  (void)null_fd;
  if (mount(fd_path(fd).str, fd_path(fd).str, NULL, MS_BIND | MS_REC, NULL) < 0)
    return err_set(err, errno, "bind onto itself");
  mnt = secure_open(root_fd, path, O_PATH, err);
  if (mnt < 0)
    return -1;
  return mount_remount_bind(mnt, MS_RDONLY, 0, err);
}

typedef int (*path_action)(int root_fd, const char *path, int fd, int *null_fd,
                           hrun_error *err);

/* Applies action to each listed path the rootfs has; a missing one is
 * skipped, as runc does. */
static int for_each_listed(int root_fd, const struct spec_strv *paths, const char *field,
                           path_action action, hrun_error *err)
{
  cleanup_close int null_fd = -1;
  size_t i;

  for (i = 0; i < paths->len; i++) {
    cleanup_close int fd = secure_open(root_fd, paths->items[i], O_PATH, err);

    if (fd < 0 && err->errnum == ENOENT)
      continue;
    if (fd < 0 || action(root_fd, paths->items[i], fd, &null_fd, err) < 0)
      return err_wrap(err, "%s[%zu] (%s)", field, i, paths->items[i]);
  }
  return 0;
}

int rootfs_mask_paths(const struct rootfs_ctx *ctx, hrun_error *err)
{
  return for_each_listed(ctx->root_fd, &ctx->spec->linux_cfg.masked_paths,
                         "linux.maskedPaths", mask_one, err);
}

int rootfs_readonly_paths(const struct rootfs_ctx *ctx, hrun_error *err)
{
  return for_each_listed(ctx->root_fd, &ctx->spec->linux_cfg.readonly_paths,
                         "linux.readonlyPaths", make_readonly, err);
}

/* A process.cwd the rootfs lacks is made (mkdir -p, 0755, owned by the
 * container's root), as runc makes it, after the mounts (it may lie in
 * one) and before anything is made read-only. */
int rootfs_make_cwd(const struct rootfs_ctx *ctx, hrun_error *err)
{
  const struct spec_process *proc = ctx->spec->process;
  cleanup_close int fd = -1;

  hrun_error ignored;

  if (!proc || !proc->cwd)
    return 0;
  fd = secure_open(ctx->root_fd, proc->cwd, O_PATH | O_DIRECTORY, &ignored);
  if (fd >= 0)
    return 0; /* there already: left as it is */
  fd = secure_create(ctx->root_fd, proc->cwd, SECURE_DIR, 0755, err);
  if (fd < 0)
    return err_wrap(err, "process.cwd");
  /* The directory made for the process is the process's (runc leaves it
   * to root; the directories above it stay root's 0755). */
  if (fchownat(fd, "", proc->user.uid, proc->user.gid, AT_EMPTY_PATH) < 0)
    return err_set(err, errno, "process.cwd: chown %s to %u:%u", proc->cwd, proc->user.uid,
                   proc->user.gid);
  return 0;
}
