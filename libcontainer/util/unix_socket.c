#include "libcontainer/util/unix_socket.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/util/cleanup.h"

int unix_connect(const char *path, const char *what, hrun_error *err)
{
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  cleanup_close int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  cleanup_close int dir = -1;
  cleanup_free char *copy = xstrdup(path);
  char *slash = strrchr(copy, '/');

  if (fd < 0)
    return err_set(err, errno, "%s: socket", what);
  if (strlen(path) < sizeof(addr.sun_path)) {
    memcpy(addr.sun_path, path, strlen(path) + 1);
  } else if (slash) {
    *slash = '\0';
    dir = open(copy[0] ? copy : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0)
      return err_set(err, errno, "%s: open %s", what, copy);
    if ((size_t)snprintf(addr.sun_path, sizeof(addr.sun_path), "/proc/self/fd/%d/%s", dir,
                         slash + 1) >= sizeof(addr.sun_path))
      return err_set(err, ENAMETOOLONG, "%s %s", what, path);
  } else {
    return err_set(err, ENAMETOOLONG, "%s %s", what, path);
  }
  if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
    return err_set(err, errno, "%s: connect to %s", what, path);
  return take_fd(&fd);
}

int unix_send_fd(int sock, int fd, const void *data, size_t len, const char *what,
                 hrun_error *err)
{
  char control[CMSG_SPACE(sizeof(int))] = {0};
  struct iovec iov = {.iov_base = (void *)data, .iov_len = len};
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
                       .msg_controllen = sizeof(control)};
  struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
  size_t done = 0;

  cmsg->cmsg_level = SOL_SOCKET;
  cmsg->cmsg_type = SCM_RIGHTS;
  cmsg->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
  while (done < len) {
    ssize_t n = sendmsg(sock, &msg, MSG_NOSIGNAL);

    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return err_set(err, errno, "%s: send the fd", what);
    /* The fd rode with the first bytes; the rest follows without it. */
    done += (size_t)n;
    iov.iov_base = (char *)data + done;
    iov.iov_len = len - done;
    msg.msg_control = NULL;
    msg.msg_controllen = 0;
  }
  return 0;
}

int unix_recv_fd(int sock, const char *what, hrun_error *err)
{
  char data[256], control[CMSG_SPACE(sizeof(int))];
  struct iovec iov = {.iov_base = data, .iov_len = sizeof(data)};
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
                       .msg_controllen = sizeof(control)};
  struct cmsghdr *cmsg;
  ssize_t n;
  int fd;

  do
    n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return err_set(err, errno, "%s: receive the fd", what);
  cmsg = CMSG_FIRSTHDR(&msg);
  if (!cmsg || cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS ||
      cmsg->cmsg_len != CMSG_LEN(sizeof(int)))
    return err_set(err, 0, "%s: no fd received", what);
  memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
  return fd;
}
