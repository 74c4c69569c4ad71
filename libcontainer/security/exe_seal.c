#include "libcontainer/security/exe_seal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libcontainer/util/cleanup.h"

extern char **environ;

#define SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

bool exe_is_sealed(void)
{
  cleanup_close int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  struct statvfs sv;
  int seals;

  if (fd < 0)
    return false;
  seals = fcntl(fd, F_GET_SEALS);
  if (seals >= 0 && (seals & SEALS) == SEALS)
    return true;
  return fstatvfs(fd, &sv) == 0 && (sv.f_flag & ST_RDONLY);
}

/* A detached clone of the mount holding our binary, made read-only: the
 * same inode, no bytes copied, and no path a container could reach. */
static int open_readonly_view(void)
{
  struct mount_attr attr = {.attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV};
  int fd = (int)syscall(SYS_open_tree, AT_FDCWD, "/proc/self/exe",
                        OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);

  if (fd < 0)
    return -1;
  if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH, &attr, sizeof(attr)) < 0) {
    close(fd);
    return -1;
  }
  return fd;
}

static int open_sealed_copy(void)
{
  cleanup_close int src = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  cleanup_close int mem = memfd_create("hrun", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  struct stat st;
  off_t off = 0;

  if (src < 0 || mem < 0 || fstat(src, &st) < 0)
    return -1;
  while (off < st.st_size)
    if (sendfile(mem, src, &off, st.st_size - off) <= 0)
      return -1;
  if (fcntl(mem, F_ADD_SEALS, SEALS) < 0)
    return -1;
  return take_fd(&mem);
}

int exe_reexec_sealed(char **argv, hrun_error *err)
{
  int fd = open_readonly_view();

  if (fd < 0)
    fd = open_sealed_copy();
  if (fd < 0)
    return err_set(err, errno, "CVE-2019-5736 protection: seal the hrun binary");
  syscall(SYS_execveat, fd, "", argv, environ, AT_EMPTY_PATH);
  err_set(err, errno, "CVE-2019-5736 protection: re-exec the sealed hrun binary");
  close(fd);
  return -1;
}
