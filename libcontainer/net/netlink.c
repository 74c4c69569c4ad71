#include "libcontainer/net/netlink.h"

#include <errno.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int nl_open(hrun_error *err)
{
  struct sockaddr_nl addr = {.nl_family = AF_NETLINK};
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

  if (fd < 0)
    return err_set(err, errno, "netlink socket");
  if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
    err_set(err, errno, "bind the netlink socket");
    close(fd);
    return -1;
  }
  return fd;
}

void nl_req_init(struct nl_req *req, uint16_t type, uint16_t flags, const void *hdr,
                 size_t hdr_len)
{
  static uint32_t seq;

  memset(req, 0, sizeof(*req));
  req->u.hdr.nlmsg_len = NLMSG_LENGTH(hdr_len);
  req->u.hdr.nlmsg_type = type;
  req->u.hdr.nlmsg_flags = NLM_F_REQUEST | flags;
  req->u.hdr.nlmsg_seq = ++seq;
  memcpy(NLMSG_DATA(&req->u.hdr), hdr, hdr_len);
}

int nl_req_attr(struct nl_req *req, uint16_t type, const void *data, size_t len)
{
  size_t at = NLMSG_ALIGN(req->u.hdr.nlmsg_len);
  struct rtattr *rta = (struct rtattr *)(req->u.buf + at);

  if (at + RTA_SPACE(len) > sizeof(req->u.buf))
    return -1;
  rta->rta_type = type;
  rta->rta_len = (unsigned short)RTA_LENGTH(len);
  memcpy(RTA_DATA(rta), data, len);
  req->u.hdr.nlmsg_len = (uint32_t)(at + RTA_SPACE(len));
  return 0;
}

static int send_req(int fd, struct nl_req *req, hrun_error *err)
{
  struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};

  if (sendto(fd, req->u.buf, req->u.hdr.nlmsg_len, 0, (struct sockaddr *)&kernel,
             sizeof(kernel)) < 0)
    return err_set(err, errno, "netlink send");
  return 0;
}

/* One answer message: 1 when it ends the exchange (an ack, an error or
 * NLMSG_DONE), 0 to read on, -1 on error. */
static int handle(const struct nlmsghdr *msg, uint32_t seq, nl_msg_fn fn, void *data,
                  hrun_error *err)
{
  if (msg->nlmsg_seq != seq)
    return 0; /* a late answer to an earlier request */
  if (msg->nlmsg_type == NLMSG_DONE)
    return 1;
  if (msg->nlmsg_type == NLMSG_ERROR) {
    const struct nlmsgerr *e = NLMSG_DATA(msg);
    if (msg->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
      return err_set(err, EBADMSG, "netlink: short error message");
    return e->error == 0 ? 1 : err_set(err, -e->error, "netlink");
  }
  if (fn && fn(msg, data) < 0)
    return err_set(err, 0, "netlink: unexpected answer");
  return 0;
}

static int receive(int fd, uint32_t seq, nl_msg_fn fn, void *data, hrun_error *err)
{
  static char buf[32768];

  for (;;) {
    ssize_t n = recv(fd, buf, sizeof(buf), 0);
    struct nlmsghdr *msg = (struct nlmsghdr *)buf;
    size_t left;

    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return err_set(err, n < 0 ? errno : EPIPE, "netlink receive");
    for (left = (size_t)n; NLMSG_OK(msg, left); msg = NLMSG_NEXT(msg, left)) {
      int r = handle(msg, seq, fn, data, err);
      if (r != 0)
        return r < 0 ? -1 : 0;
    }
  }
}

int nl_talk(int fd, struct nl_req *req, hrun_error *err)
{
  req->u.hdr.nlmsg_flags |= NLM_F_ACK;
  if (send_req(fd, req, err) < 0)
    return -1;
  return receive(fd, req->u.hdr.nlmsg_seq, NULL, NULL, err);
}

int nl_dump(int fd, struct nl_req *req, nl_msg_fn fn, void *data, hrun_error *err)
{
  req->u.hdr.nlmsg_flags |= NLM_F_DUMP;
  if (send_req(fd, req, err) < 0)
    return -1;
  return receive(fd, req->u.hdr.nlmsg_seq, fn, data, err);
}

const void *nl_attr_find(const void *attrs, size_t len, uint16_t type, size_t *attr_len)
{
  const struct rtattr *rta = attrs;
  int left = (int)len;

  for (; RTA_OK(rta, left); rta = RTA_NEXT(rta, left)) {
    if (rta->rta_type == type) {
      *attr_len = RTA_PAYLOAD(rta);
      return RTA_DATA(rta);
    }
  }
  return NULL;
}
