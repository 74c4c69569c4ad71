#include "libcontainer/console.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "libcontainer/arena.h"
#include "libcontainer/cleanup.h"
#include "libcontainer/fs_secure.h"
#include "libcontainer/spec.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

int console_socket_connect(const char *path, hrun_error *err)
{
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  cleanup_close int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  cleanup_close int dir = -1;
  cleanup_free char *copy = xstrdup(path);
  char *slash = strrchr(copy, '/');

  if (fd < 0)
    return err_set(err, errno, "--console-socket: socket");
  if (strlen(path) < sizeof(addr.sun_path)) {
    snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
  } else if (slash) {
    /* Too long for sun_path: go through the directory's fd. */
    *slash = '\0';
    dir = open(copy[0] ? copy : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0)
      return err_set(err, errno, "--console-socket: open %s", copy);
    snprintf(addr.sun_path, sizeof(addr.sun_path), "/proc/self/fd/%d/%s", dir, slash + 1);
  }
  if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
    return err_set(err, errno, "--console-socket: connect to %s", path);
  return take_fd(&fd);
}

static int send_master(int socket_fd, int master, const char *name, hrun_error *err)
{
  char control[CMSG_SPACE(sizeof(int))] = {0};
  struct iovec iov = {.iov_base = (void *)name, .iov_len = strlen(name)};
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
                       .msg_controllen = sizeof(control)};
  struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);

  cmsg->cmsg_level = SOL_SOCKET;
  cmsg->cmsg_type = SCM_RIGHTS;
  cmsg->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(cmsg), &master, sizeof(int));
  if (sendmsg(socket_fd, &msg, MSG_NOSIGNAL) < 0)
    return err_set(err, errno, "--console-socket: send the pty master");
  return 0;
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
  if (unlockpt(master) < 0 || ptsname_r(master, name, sizeof(name)) != 0)
    return err_set(err, errno, "process.terminal: unlock the pty");
  /* TIOCGPTPEER opens the slave from the master: no path lookup at all. */
  slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (slave < 0)
    return err_set(err, errno, "process.terminal: open the pty slave");
  if (set_size(master, proc, err) < 0 || send_master(socket_fd, master, name, err) < 0)
    return -1;
  if (take_slave(slave, err) < 0)
    return -1;
  return take_fd(&slave);
}

int console_bind_dev_console(int root_fd, int slave_fd, hrun_error *err)
{
  cleanup_close int target = secure_create(root_fd, "/dev/console", SECURE_FILE, 0600, err);

  if (target < 0)
    return err_wrap(err, "/dev/console");
  if (mount(fd_path(slave_fd).str, fd_path(target).str, NULL, MS_BIND, NULL) < 0)
    return err_set(err, errno, "bind the pty over /dev/console");
  return 0;
}
