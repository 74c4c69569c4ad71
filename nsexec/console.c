#include "nsexec/console.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/util/cleanup.h"
#include "libcontainer/util/fs_secure.h"
#include "libcontainer/security/passwd.h"
#include "libcontainer/spec/spec.h"
#include "libcontainer/util/unix_socket.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

int console_socket_connect(const char *path, hrun_error *err)
{
  return unix_connect(path, "--console-socket", err);
}

static int set_size(int fd, const struct spec_process *proc, hrun_error *err)
{
  struct winsize ws = {0};

  if (!proc->console_height.set && !proc->console_width.set)
    return 0;
  ws.ws_row = proc->console_height.value;
  ws.ws_col = proc->console_width.value;
  if (ioctl(fd, TIOCSWINSZ, &ws) < 0)
    return err_set(err, errno, "process.consoleSize");
  return 0;
}

/* The slave becomes fds 0-2 and the controlling terminal. */
static int take_slave(int slave, hrun_error *err)
{
  int i;

  for (i = 0; i < 3; i++)
    if (dup2(slave, i) < 0)
      return err_set(err, errno, "dup2 the pty slave");
  if (ioctl(STDIN_FILENO, TIOCSCTTY, 0) < 0)
    return err_set(err, errno, "make the pty the controlling terminal");
  return 0;
}

/* *gid: the gid of the "tty" group in the container's /etc/group, or -1
 * when it has none. Only a regular file is read: an image's /etc/group may
 * be a FIFO or a device, and O_NONBLOCK keeps a FIFO from blocking the
 * open. One that cannot be read is an error, not a file without "tty". */
static int container_tty_gid(int root_fd, gid_t *gid, hrun_error *err)
{
  hrun_error ignored;
  int fd = secure_open(root_fd, "/etc/group", O_RDONLY | O_NONBLOCK | O_NOCTTY, &ignored);
  cleanup_fclose FILE *f = NULL;
  struct stat st;
  uint32_t found;
  int r;

  *gid = (gid_t)-1;
  if (fd < 0)
    return 0;
  if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || !(f = fdopen(fd, "r"))) {
    close(fd);
    return 0;
  }
  r = group_lookup_gid(f, "tty", &found, err);
  if (r > 0)
    *gid = (gid_t)found;
  return r < 0 ? err_wrap(err, "process.terminal: the tty group") : 0;
}

/* As runc: in a user namespace the ids may not be mapped (EINVAL), the
 * devpts may come from outside it (EPERM), /dev may be read-only (EROFS);
 * the pty then stays as devpts made it rather than failing the process. */
static bool cannot_change(int e)
{
  return e == EINVAL || e == EPERM || e == EROFS;
}

/* The slave belongs to the process's user, so that it may use its own
 * terminal (runc does the same); the group is the container's tty group
 * when it has one (for write(1) and wall(1)), else what devpts gave. */
static int own_slave(int root_fd, int slave, const struct spec_process *proc,
                     hrun_error *err)
{
  gid_t gid;
  int r;

  if (container_tty_gid(root_fd, &gid, err) < 0)
    return -1;
  r = fchown(slave, proc->user.uid, gid);

  if (r < 0 && errno == EINVAL && gid != (gid_t)-1)
    r = fchown(slave, proc->user.uid, -1); /* an unmapped tty gid */
  if (r < 0 && !cannot_change(errno))
    return err_set(err, errno, "process.user.uid: give the pty to uid %u",
                   (unsigned)proc->user.uid);
  if (fchmod(slave, 0620) < 0 && !cannot_change(errno))
    return err_set(err, errno, "process.terminal: chmod the pty");
  return 0;
}

static bool is_ptmx(int fd)
{
  struct stat st;

  return fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == makedev(5, 2);
}

int console_setup(int root_fd, int socket_fd, const struct spec_process *proc,
                  hrun_error *err)
{
  cleanup_close int master = -1;
  cleanup_close int slave = -1;
  char name[64];

  /* Through the container's /dev/ptmx: the pty belongs to its devpts. */
  master = secure_open(root_fd, "/dev/ptmx", O_RDWR | O_NOCTTY, err);
  if (master < 0)
    return err_wrap(err, "process.terminal");
  if (!is_ptmx(master))
    return err_set(err, 0, "process.terminal: /dev/ptmx in the container is not a ptmx device");
  if (unlockpt(master) < 0 || ptsname_r(master, name, sizeof(name)) != 0)
    return err_set(err, errno, "process.terminal: unlock the pty");
  /* TIOCGPTPEER opens the slave from the master: no path lookup at all. */
  slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (slave < 0)
    return err_set(err, errno, "process.terminal: open the pty slave");
  if (own_slave(root_fd, slave, proc, err) < 0 || set_size(master, proc, err) < 0 ||
      unix_send_fd(socket_fd, master, name, strlen(name), "--console-socket", err) < 0)
    return -1;
  if (take_slave(slave, err) < 0)
    return -1;
  return take_fd(&slave);
}

/* /dev/console itself is never followed: an image whose /dev/console is a
 * symlink (say to a /proc file) must not get the pty bound over its target
 * (the CVE-2025-52565 family). */
static int open_console_target(int root_fd, hrun_error *err)
{
  const char *name;
  cleanup_close int dev = secure_open_parent(root_fd, "/dev/console", &name, err);
  int fd;
  struct stat st;

  if (dev < 0)
    return -1;
  /* O_EXCL: an existing entry (even a dangling symlink) is not opened. */
  fd = openat(dev, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd >= 0)
    close(fd);
  else if (errno != EEXIST)
    return err_set(err, errno, "create /dev/console");
  fd = openat(dev, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return err_set(err, errno, "open /dev/console");
#ifndef HRUN_TEST_NO_DEV_CHECKS
  if (fstat(fd, &st) < 0 || S_ISLNK(st.st_mode) || S_ISDIR(st.st_mode)) {
    close(fd);
    return err_set(err, 0, "/dev/console in the container is a symlink or a directory");
  }
#else
  /* test builds only: follow whatever /dev/console is */
  (void)st;
  close(fd);
  fd = secure_open(root_fd, "/dev/console", O_PATH, err);
#endif
  return fd;
}

int console_bind_dev_console(int root_fd, int slave_fd, hrun_error *err)
{
  cleanup_close int target = open_console_target(root_fd, err);

  if (target < 0)
    return err_wrap(err, "/dev/console");
  if (mount(fd_path(slave_fd).str, fd_path(target).str, NULL, MS_BIND, NULL) < 0)
    return err_set(err, errno, "bind the pty over /dev/console");
  return 0;
}
