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

/* Each message's name, and who sends it: the name its wait reports. */
static const struct {
  const char *name;
  const char *sender;
} messages[] = {
    [SYNC_GO] = {"GO", "the runtime"},
    [SYNC_MOUNTS_READY] = {"MOUNTS_READY", "the container init"},
    [SYNC_HOOKS_DONE] = {"HOOKS_DONE", "the runtime"},
    [SYNC_READY] = {"READY", "the container init"},
    [SYNC_START] = {"START", "start"},
    [SYNC_EXEC] = {"EXEC", "the container init"},
    [SYNC_ERROR] = {"ERROR", NULL},
    [SYNC_HOOK_REPORT] = {"HOOK_REPORT", NULL},
    [SYNC_SECCOMP_FD] = {"SECCOMP_FD", "the container process"},
    [SYNC_SECCOMP_DONE] = {"SECCOMP_DONE", "the runtime"},
    [SYNC_MOUNT_SOURCES] = {"MOUNT_SOURCES", "the container init"},
    [SYNC_MOUNT_SOURCE_FD] = {"MOUNT_SOURCE_FD", "the runtime"},
};

const char *sync_type_name(enum sync_type t)
{
  if ((unsigned)t >= sizeof(messages) / sizeof(messages[0]) || !messages[t].name)
    return "?";
  return messages[t].name;
}

static int send_msg(int fd, const struct sync_msg *m, size_t len)
{
  ssize_t r;

  do
    r = send(fd, m, len, MSG_NOSIGNAL);
  while (r < 0 && errno == EINTR);
  return r < 0 ? -1 : 0;
}

static int send_plain(int fd, enum sync_type type, int value, hrun_error *err)
{
  /* integer payloads travel in the errnum field */
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

static int unexpected(enum sync_type got, enum sync_type expect, const char *with,
                      hrun_error *err)
{
  return err_set(err, 0, "%s sent %s, expected %s%s", messages[expect].sender,
                 sync_type_name(got), sync_type_name(expect), with);
}

/* One message of type expect, from the sender the table names. */
static int wait_plain(int fd, enum sync_type expect, int *value, hrun_error *err)
{
  struct sync_msg m;
  int r = recv_msg(fd, &m, err);

  if (r < 0)
    return -1;
  if (r == 0)
    return peer_gone(err, messages[expect].sender, sync_type_name(expect));
  if (m.type == SYNC_ERROR)
    return peer_error(&m, err);
  if (m.type != expect)
    return unexpected((enum sync_type)m.type, expect, "", err);
  if (value)
    *value = m.errnum;
  return 0;
}

int sync_wait_any(int fd, int *number, const char *peer, hrun_error *err)
{
  struct sync_msg m;
  int r = recv_msg(fd, &m, err);

  if (r < 0)
    return -1;
  if (r == 0)
    return peer_gone(err, peer, "it was ready");
  if (m.type == SYNC_ERROR)
    return peer_error(&m, err);
  if (m.type < SYNC_GO || m.type > SYNC_MOUNT_SOURCE_FD)
    return err_set(err, 0, "%s sent an unknown message (%u)", peer, m.type);
  *number = m.errnum;
  return (int)m.type;
}

int sync_wait_eof(int fd, const char *peer, hrun_error *err)
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

static int send_with_fd(int fd, enum sync_type type, int value, int passed_fd, hrun_error *err)
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

/* One message of type expect with an fd attached: a missing fd is an error. */
static int wait_with_fd(int fd, enum sync_type expect, int *value, int *passed_fd,
                        hrun_error *err)
{
  struct sync_msg m;
  ssize_t r = recv_with_fd(fd, &m, passed_fd);

  if (r < 0)
    return err_set(err, errno, "receive");
  if (r == 0)
    return peer_gone(err, messages[expect].sender, sync_type_name(expect));
  if (m.type == SYNC_ERROR || m.type != expect || *passed_fd < 0 ||
      (size_t)r < offsetof(struct sync_msg, text)) {
    if (*passed_fd >= 0)
      close(*passed_fd);
    *passed_fd = -1;
    if (m.type == SYNC_ERROR)
      return peer_error(&m, err);
    return unexpected((enum sync_type)m.type, expect, " with an fd", err);
  }
  *value = m.errnum;
  return 0;
}

/* The table's API, in its order (sync.h). */

int sync_send_go(int fd, hrun_error *err)
{
  return send_plain(fd, SYNC_GO, 0, err);
}

int sync_wait_go(int fd, hrun_error *err)
{
  return wait_plain(fd, SYNC_GO, NULL, err);
}

int sync_send_mounts_ready(int fd, hrun_error *err)
{
  return send_plain(fd, SYNC_MOUNTS_READY, 0, err);
}

int sync_wait_mounts_ready(int fd, hrun_error *err)
{
  return wait_plain(fd, SYNC_MOUNTS_READY, NULL, err);
}

int sync_send_hooks_done(int fd, hrun_error *err)
{
  return send_plain(fd, SYNC_HOOKS_DONE, 0, err);
}

int sync_wait_hooks_done(int fd, hrun_error *err)
{
  return wait_plain(fd, SYNC_HOOKS_DONE, NULL, err);
}

int sync_send_ready(int fd, hrun_error *err)
{
  return send_plain(fd, SYNC_READY, 0, err);
}

int sync_wait_ready(int fd, hrun_error *err)
{
  return wait_plain(fd, SYNC_READY, NULL, err);
}

int sync_send_start(int fd, hrun_error *err)
{
  return send_plain(fd, SYNC_START, 0, err);
}

int sync_wait_start(int fd, hrun_error *err)
{
  return wait_plain(fd, SYNC_START, NULL, err);
}

int sync_send_exec(int fd, hrun_error *err)
{
  return send_plain(fd, SYNC_EXEC, 0, err);
}

int sync_wait_exec(int fd, hrun_error *err)
{
  return wait_plain(fd, SYNC_EXEC, NULL, err);
}

int sync_send_seccomp_fd(int fd, int listener_fd_number, hrun_error *err)
{
  return send_plain(fd, SYNC_SECCOMP_FD, listener_fd_number, err);
}

int sync_wait_seccomp_fd(int fd, int *listener_fd_number, hrun_error *err)
{
  return wait_plain(fd, SYNC_SECCOMP_FD, listener_fd_number, err);
}

int sync_send_seccomp_done(int fd, hrun_error *err)
{
  return send_plain(fd, SYNC_SECCOMP_DONE, 0, err);
}

int sync_wait_seccomp_done(int fd, hrun_error *err)
{
  return wait_plain(fd, SYNC_SECCOMP_DONE, NULL, err);
}

int sync_send_mount_sources(int fd, hrun_error *err)
{
  return send_plain(fd, SYNC_MOUNT_SOURCES, 0, err);
}

int sync_wait_mount_sources(int fd, hrun_error *err)
{
  return wait_plain(fd, SYNC_MOUNT_SOURCES, NULL, err);
}

int sync_send_mount_source_fd(int fd, int index, int passed_fd, hrun_error *err)
{
  return send_with_fd(fd, SYNC_MOUNT_SOURCE_FD, index, passed_fd, err);
}

int sync_wait_mount_source_fd(int fd, int *index, int *passed_fd, hrun_error *err)
{
  return wait_with_fd(fd, SYNC_MOUNT_SOURCE_FD, index, passed_fd, err);
}
