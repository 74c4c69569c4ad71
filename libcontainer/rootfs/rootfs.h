/* The container's root filesystem, built by the init inside its own mount
 * namespace in three steps that bracket the hooks:
 *   rootfs_prepare  propagation, the rootfs bind, config mounts, /dev
 *                   (prestart, createRuntime, createContainer hooks run after)
 *   rootfs_finish   process.cwd, read-only tmpfs and /dev mounts, masked and
 *                   read-only paths, read-only root
 *   rootfs_enter    pivot_root (or move + chroot), rootfsPropagation
 * Without a mount namespace of the container's own (no_mntns) only the cwd
 * is made and rootfs_enter chroots: the caller's mounts are never touched. */
#ifndef HRUN_ROOTFS_H
#define HRUN_ROOTFS_H

#include <stdbool.h>

#include "libcontainer/util/error.h"

struct oci_spec;
struct cgroup_paths;
struct spec_mount;

struct rootfs_ctx {
  const struct oci_spec *spec;
  const char *rootfs; /* absolute host path of root.path */
  const struct cgroup_paths *cgroup;
  bool userns;       /* the container has its own user namespace */
  bool new_cgroupns; /* ... and its own cgroup namespace */
  bool no_pivot;
  bool no_mntns; /* linux.namespaces has no "mount": chroot, nothing else */
  int rootfs_dir_fd; /* the rootfs directory, opened by rootfs_open */
  int root_fd;       /* O_PATH fd of the rootfs mount (set by rootfs_prepare) */
  /* One per config mount: the bind source the runtime opened for a user
   * namespace that may not reach it, or -1; NULL when none were. */
  const int *source_fds;
};

/* Opens the rootfs directory; the init calls it while it still has the
 * runtime's identity, before it becomes root of a user namespace. */
int rootfs_open(struct rootfs_ctx *ctx, hrun_error *err);

int rootfs_prepare(struct rootfs_ctx *ctx, hrun_error *err);
int rootfs_finish(struct rootfs_ctx *ctx, hrun_error *err);
int rootfs_enter(struct rootfs_ctx *ctx, hrun_error *err);

/* chroot into the directory at root_fd, cwd its "/": the whole entry into
 * a container that has no mount namespace of its own (its init, exec). */
int rootfs_chroot(int root_fd, hrun_error *err);

/* Bind-remounts the mount at fd with flags set and clear_flags cleared,
 * keeping the flags it already has (some are locked in user namespaces). */
int mount_remount_bind(int fd, unsigned long flags, unsigned long clear_flags,
                       hrun_error *err);

/* Checks where a mount resolved to before mounting it (mount_checks.c);
 * source is where it is mounted from (a path, or /proc/self/fd/N). */
int mount_check_target(const struct rootfs_ctx *ctx, const struct spec_mount *m,
                       const char *source, int fd, hrun_error *err);
/* After a proc mount: the mount at fd is really procfs. */
int mount_check_procfs(int fd, hrun_error *err);

/* Mounts every config mount in order (mounts.c). */
int mounts_apply(const struct rootfs_ctx *ctx, hrun_error *err);
/* Makes read-only the tmpfs and /dev mounts whose "ro" mounts_apply left
 * for after the mounts nested in them, the devices and the cwd. */
int mounts_finish_readonly(const struct rootfs_ctx *ctx, hrun_error *err);

/* Default and config devices, /dev symlinks and ptmx (devices.c). */
int devices_create(const struct rootfs_ctx *ctx, hrun_error *err);

/* process.cwd made when missing, maskedPaths and readonlyPaths
 * (rootfs_paths.c). */
int rootfs_make_cwd(const struct rootfs_ctx *ctx, hrun_error *err);
int rootfs_mask_paths(const struct rootfs_ctx *ctx, hrun_error *err);
int rootfs_readonly_paths(const struct rootfs_ctx *ctx, hrun_error *err);

#endif
