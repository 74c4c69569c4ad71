/* Path resolution inside the container's rootfs that cannot be led out of it:
 * every lookup goes through openat2(RESOLVE_IN_ROOT), so ".." and symlinks
 * (absolute or relative) stay below the rootfs even if the image was built to
 * escape (CVE-2021-30465 and relatives). Mounts are then made on the fd that
 * was resolved, never on a path string. */
#ifndef HRUN_FS_SECURE_H
#define HRUN_FS_SECURE_H

#include <stdbool.h>
#include <sys/types.h>

#include "libcontainer/util/error.h"

enum secure_kind {
  SECURE_DIR,  /* create missing components as directories */
  SECURE_FILE, /* the last component is created as an empty regular file */
};

/* Opens path (as seen from inside the rootfs) below root_fd. flags are
 * open(2) flags (O_PATH, O_DIRECTORY, ...); O_CLOEXEC is added. */
int secure_open(int root_fd, const char *path, int flags, hrun_error *err);

/* Like mkdir -p inside the rootfs, then returns an O_PATH fd of path. With
 * SECURE_FILE the last component is a file (created empty when missing). */
int secure_create(int root_fd, const char *path, enum secure_kind kind, mode_t mode,
                  hrun_error *err);

/* Opens the parent directory of path inside the rootfs (creating it) and
 * returns its fd; *name points to the last component inside path. */
int secure_open_parent(int root_fd, const char *path, const char **name,
                       hrun_error *err);

/* "/proc/self/fd/<fd>" for mount(2) and friends to act on a resolved fd. */
struct fd_path {
  char str[32];
};
struct fd_path fd_path(int fd);

#endif
