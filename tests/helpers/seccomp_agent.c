/* seccomp_agent SOCKET OUTDIR [ERRNO]: a seccomp notify agent for tests
 * (runtime-spec linux.seccomp.listenerPath).
 *
 * Listens on SOCKET, accepts one connection, receives the container process
 * state JSON with the listener fd in SCM_RIGHTS, writes the JSON to
 * OUTDIR/state.json, then answers notifications: mkdir and mkdirat fail
 * with ERRNO (default EXDEV, "Invalid cross-device link"), anything else
 * continues. It exits 0 when every process of the filter is gone, 1 on any
 * error. SOCKET appears only once it accepts connections (bound under a
 * temporary name, then renamed), so a test may wait for the file. */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_STATE (1 << 20)

static void die(const char *what)
{
  fprintf(stderr, "seccomp_agent: %s: %s\n", what, strerror(errno));
  exit(1);
}

static int listen_on(const char *path)
{
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  char tmp[sizeof(addr.sun_path)];

  if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
    errno = ENAMETOOLONG;
    die(path);
  }
  memcpy(addr.sun_path, tmp, sizeof(tmp));
  unlink(tmp);
  if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(fd, 1) < 0)
    die("listen");
  if (rename(tmp, path) < 0)
    die("rename the socket");
  return fd;
}

/* The whole message (the runtime closes after sending); *fd from the first
 * part. Returns the malloc'ed JSON. */
static char *receive_state(int conn, int *fd, size_t *len)
{
  char control[CMSG_SPACE(sizeof(int))], *buf = malloc(MAX_STATE);
  size_t used = 0;

  *fd = -1;
  if (!buf)
    die("malloc");
  for (;;) {
    struct iovec iov = {.iov_base = buf + used, .iov_len = MAX_STATE - used};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
                         .msg_controllen = sizeof(control)};
    struct cmsghdr *cmsg;
    ssize_t n = recvmsg(conn, &msg, MSG_CMSG_CLOEXEC);

    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      die("recvmsg");
    for (cmsg = CMSG_FIRSTHDR(&msg); cmsg; cmsg = CMSG_NXTHDR(&msg, cmsg))
      if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS && *fd < 0)
        memcpy(fd, CMSG_DATA(cmsg), sizeof(int));
    used += (size_t)n;
    if (n == 0 || used == MAX_STATE)
      break;
  }
  *len = used;
  return buf;
}

/* Written under a temporary name and renamed: a reader never sees half. */
static void write_state(const char *outdir, const char *json, size_t len)
{
  char path[4096], tmp[4096];
  FILE *f;

  snprintf(path, sizeof(path), "%s/state.json", outdir);
  snprintf(tmp, sizeof(tmp), "%s/.state.json.tmp", outdir);
  f = fopen(tmp, "we");
  if (!f || fwrite(json, 1, len, f) != len || fclose(f) != 0)
    die(tmp);
  if (rename(tmp, path) < 0)
    die(path);
}

static int is_mkdir(const struct seccomp_data *d)
{
#if defined(__x86_64__)
  if (d->arch != AUDIT_ARCH_X86_64)
    return 0;
#endif
#ifdef __NR_mkdir
  if (d->nr == __NR_mkdir)
    return 1;
#endif
  return d->nr == __NR_mkdirat;
}

/* One notification. ENOENT: the caller died or was interrupted meanwhile. */
static void answer(int listener, int err)
{
  struct seccomp_notif req;
  struct seccomp_notif_resp resp;

  memset(&req, 0, sizeof(req)); /* the kernel refuses a dirty buffer */
  if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
    if (errno == ENOENT || errno == EINTR)
      return;
    die("SECCOMP_IOCTL_NOTIF_RECV");
  }
  memset(&resp, 0, sizeof(resp));
  resp.id = req.id;
  if (is_mkdir(&req.data))
    resp.error = -err;
  else
    resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
  fprintf(stderr, "seccomp_agent: pid %u syscall %d: %s\n", req.pid, req.data.nr,
          resp.error ? strerror(err) : "continue");
  if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0 && errno != ENOENT)
    die("SECCOMP_IOCTL_NOTIF_SEND");
}

int main(int argc, char **argv)
{
  int srv, conn, listener, err = EXDEV;
  size_t len;
  char *json;

  if (argc < 3 || argc > 4) {
    fprintf(stderr, "usage: seccomp_agent SOCKET OUTDIR [ERRNO]\n");
    return 2;
  }
  if (argc == 4)
    err = atoi(argv[3]);
  srv = listen_on(argv[1]);
  conn = accept4(srv, NULL, NULL, SOCK_CLOEXEC);
  if (conn < 0)
    die("accept");
  json = receive_state(conn, &listener, &len);
  if (listener < 0) {
    fprintf(stderr, "seccomp_agent: no fd received\n");
    return 1;
  }
  write_state(argv[2], json, len);
  free(json);
  close(conn);
  close(srv);
  for (;;) {
    struct pollfd p = {.fd = listener, .events = POLLIN};

    if (poll(&p, 1, -1) < 0) {
      if (errno == EINTR)
        continue;
      die("poll");
    }
    if (p.revents & POLLIN)
      answer(listener, err);
    else if (p.revents & (POLLHUP | POLLERR | POLLNVAL))
      break; /* no process uses the filter any more */
  }
  fprintf(stderr, "seccomp_agent: the filter's processes are gone\n");
  return 0;
}
