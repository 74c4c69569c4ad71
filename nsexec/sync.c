#include "nsexec/sync.h"

#include "libcontainer/hooks/hooks.h"
#include "libcontainer/util/unix_socket.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct sync_msg {
  uint32_t type;
  int32_t errnum;
  char text[HRUN_ERROR_MAX];
};

const char *sync_type_name(enum sync_type t)
{
  switch (t) {
  case SYNC_GO:
    return "GO";
  case SYNC_MOUNTS_READY:
    return "MOUNTS_READY";
  case SYNC_HOOKS_DONE:
    return "HOOKS_DONE";
  case SYNC_READY:
    return "READY";
  case SYNC_START:
    return "START";
  case SYNC_EXEC:
    return "EXEC";
  case SYNC_ERROR:
    return "ERROR";
  case SYNC_HOOK_REPORT:
    return "HOOK_REPORT";
  case SYNC_SECCOMP_FD:
    return "SECCOMP_FD";
  case SYNC_SECCOMP_DONE:
    return "SECCOMP_DONE";
  case SYNC_MOUNT_SOURCES:
    return "MOUNT_SOURCES";
  case SYNC_MOUNT_SOURCE_FD:
    return "MOUNT_SOURCE_FD";
  }
  return "?";
}

static int send_msg(int fd, const struct sync_msg *m, size_t len)
{
  ssize_t r;

  do
    r = send(fd, m, len, MSG_NOSIGNAL);
  while (r < 0 && errno == EINTR);
  return r < 0 ? -1 : 0;
}

int sync_send(int fd, enum sync_type type, hrun_error *err)
{
  struct sync_msg m = {.type = type};

  if (send_msg(fd, &m, offsetof(struct sync_msg, text)) < 0)
    return err_set(err, errno, "send %s", sync_type_name(type));
  return 0;
}

int sync_send_int(int fd, enum sync_type type, int value, hrun_error *err)
{
  struct sync_msg m = {.type = type, .errnum = value};

  if (send_msg(fd, &m, offsetof(struct sync_msg, text)) < 0)
    return err_set(err, errno, "send %s", sync_type_name(type));
  return 0;
}

void sync_send_hook_report(int fd, const struct hook_report *report)
{
  struct sync_msg m = {.type = SYNC_HOOK_REPORT};

  _Static_assert(sizeof(*report) <= sizeof(m.text), "hook_report fits a sync message");
  memcpy(m.text, report, sizeof(*report));
  send_msg(fd, &m, offsetof(struct sync_msg, text) + sizeof(*report));
}

void sync_send_error(int fd, const hrun_error *error)
{
  struct sync_msg m = {.type = SYNC_ERROR, .errnum = error->errnum};
  size_t n = strnlen(error->msg, sizeof(m.text) - 1);

  memcpy(m.text, error->msg, n);
  send_msg(fd, &m, offsetof(struct sync_msg, text) + n + 1);
}

static void log_hook_report(const struct sync_msg *m)
{
  struct hook_report report;

  memcpy(&report, m->text, sizeof(report));
  report.path[sizeof(report.path) - 1] = '\0';
  hooks_log_report(&report);
}

/* 1: a message, 0: EOF, -1: error. Hook reports are logged, not returned. */
static int recv_msg(int fd, struct sync_msg *m, hrun_error *err)
{
  ssize_t r;

again:
  memset(m, 0, sizeof(*m));
  do
    r = recv(fd, m, sizeof(*m) - 1, 0);
  while (r < 0 && errno == EINTR);
  if (r < 0) {
    /* A peer gone while data was in flight reads as a reset, not EOF. */
    if (errno == ECONNRESET)
      return 0;
    return err_set(err, errno, "receive");
  }
  if (r == 0)
    return 0;
  if ((size_t)r < offsetof(struct sync_msg, text))
    return err_set(err, 0, "short sync message (%zd bytes)", r);
  if (m->type == SYNC_HOOK_REPORT) {
    log_hook_report(m);
    goto again;
  }
  return 1;
}

/* EOF: the caller may tell it from an error the peer reported. */
static int peer_gone(hrun_error *err, const char *peer, const char *expected)
{
  err_set(err, 0, "%s exited before %s", peer, expected);
  err->kind = HRUN_ERR_PEER_GONE;
  return -1;
}

static int peer_error(const struct sync_msg *m, hrun_error *err)
{
  /* The peer's text already carries its strerror. */
  err_set(err, 0, "%s", m->text);
  err->errnum = m->errnum;
  return -1;
}

int sync_expect(int fd, enum sync_type expect, const char *peer, hrun_error *err)
{
  struct sync_msg m;
  int r = recv_msg(fd, &m, err);

  if (r < 0)
    return -1;
  if (r == 0)
    return peer_gone(err, peer, sync_type_name(expect));
  if (m.type == SYNC_ERROR)
    return peer_error(&m, err);
  if (m.type != expect)
    return err_set(err, 0, "%s sent %s, expected %s", peer,
                   sync_type_name((enum sync_type)m.type), sync_type_name(expect));
  return 0;
}

int sync_recv(int fd, enum sync_type *type, int *value, const char *peer, hrun_error *err)
{
  struct sync_msg m;
  int r = recv_msg(fd, &m, err);

  if (r < 0)
    return -1;
  if (r == 0)
    return peer_gone(err, peer, "it was ready");
  if (m.type == SYNC_ERROR)
    return peer_error(&m, err);
  *type = (enum sync_type)m.type;
  if (value)
    *value = m.errnum; /* integer payloads travel in the errnum field */
  return 0;
}

int sync_expect_eof(int fd, const char *peer, hrun_error *err)
{
  struct sync_msg m;
  int r = recv_msg(fd, &m, err);

  if (r < 0)
    return -1;
  if (r == 0)
    return 0;
  if (m.type == SYNC_ERROR)
    return peer_error(&m, err);
  return err_set(err, 0, "%s sent %s, expected the channel to close", peer,
                 sync_type_name((enum sync_type)m.type));
}

int sync_send_fd(int fd, enum sync_type type, int value, int passed_fd, hrun_error *err)
{
  struct sync_msg m = {.type = type, .errnum = value};

  return unix_send_fd(fd, passed_fd, &m, offsetof(struct sync_msg, text), sync_type_name(type),
                      err);
}

/* One message and the fd that came with it (-1 when none). */
static ssize_t recv_with_fd(int fd, struct sync_msg *m, int *passed_fd)
{
  char control[CMSG_SPACE(sizeof(int))] = {0};
  struct iovec iov = {.iov_base = m, .iov_len = sizeof(*m) - 1};
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
                       .msg_controllen = sizeof(control)};
  struct cmsghdr *cmsg;
  ssize_t r;

  *passed_fd = -1;
  memset(m, 0, sizeof(*m));
  do
    r = recvmsg(fd, &msg, MSG_CMSG_CLOEXEC);
  while (r < 0 && errno == EINTR);
  for (cmsg = r > 0 ? CMSG_FIRSTHDR(&msg) : NULL; cmsg; cmsg = CMSG_NXTHDR(&msg, cmsg))
    if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS &&
        cmsg->cmsg_len == CMSG_LEN(sizeof(int)))
      memcpy(passed_fd, CMSG_DATA(cmsg), sizeof(int));
  return r;
}

int sync_expect_fd(int fd, enum sync_type expect, int *value, int *passed_fd, const char *peer,
                   hrun_error *err)
{
  struct sync_msg m;
  ssize_t r = recv_with_fd(fd, &m, passed_fd);

  if (r < 0)
    return err_set(err, errno, "receive");
  if (r == 0)
    return peer_gone(err, peer, sync_type_name(expect));
  if (m.type == SYNC_ERROR || m.type != expect || *passed_fd < 0 ||
      (size_t)r < offsetof(struct sync_msg, text)) {
    if (*passed_fd >= 0)
      close(*passed_fd);
    *passed_fd = -1;
    if (m.type == SYNC_ERROR)
      return peer_error(&m, err);
    return err_set(err, 0, "%s sent %s, expected %s with an fd", peer,
                   sync_type_name((enum sync_type)m.type), sync_type_name(expect));
  }
  *value = m.errnum;
  return 0;
}
