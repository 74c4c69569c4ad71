/* recvtty SOCKET: a --console-socket peer for tests. Listens on SOCKET,
 * takes one pty master sent with SCM_RIGHTS, prints the name that came with
 * it on stderr, then copies the pty's output to stdout (and stdin to the
 * pty) until the container side closes. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int listen_on(const char *path)
{
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

  snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
  unlink(path);
  if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(fd, 1) < 0) {
    perror("recvtty: listen");
    exit(1);
  }
  return fd;
}

static int receive_master(int conn)
{
  char name[256] = "", control[CMSG_SPACE(sizeof(int))];
  struct iovec iov = {.iov_base = name, .iov_len = sizeof(name) - 1};
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
                       .msg_controllen = sizeof(control)};
  struct cmsghdr *cmsg;
  int fd;

  if (recvmsg(conn, &msg, MSG_CMSG_CLOEXEC) < 0) {
    perror("recvtty: recvmsg");
    exit(1);
  }
  cmsg = CMSG_FIRSTHDR(&msg);
  if (!cmsg || cmsg->cmsg_type != SCM_RIGHTS) {
    fprintf(stderr, "recvtty: no fd received\n");
    exit(1);
  }
  memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
  fprintf(stderr, "recvtty: got pty master for %s\n", name);
  return fd;
}

static void copy(int master)
{
  struct pollfd p[2] = {{.fd = master, .events = POLLIN}, {.fd = STDIN_FILENO, .events = POLLIN}};
  char buf[4096];
  ssize_t n;

  for (;;) {
    if (poll(p, 2, -1) < 0 && errno != EINTR)
      return;
    if (p[0].revents) {
      n = read(master, buf, sizeof(buf));
      if (n <= 0)
        return; /* EIO once the last slave fd is closed */
      if (write(STDOUT_FILENO, buf, n) != n)
        return;
    }
    if (p[1].revents) {
      n = read(STDIN_FILENO, buf, sizeof(buf));
      if (n <= 0)
        p[1].fd = -1;
      else if (write(master, buf, n) != n)
        return;
    }
  }
}

int main(int argc, char **argv)
{
  int listener, conn, master;

  if (argc != 2) {
    fprintf(stderr, "usage: recvtty SOCKET\n");
    return 2;
  }
  listener = listen_on(argv[1]);
  conn = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
  if (conn < 0) {
    perror("recvtty: accept");
    return 1;
  }
  master = receive_master(conn);
  close(conn);
  close(listener);
  copy(master);
  return 0;
}
