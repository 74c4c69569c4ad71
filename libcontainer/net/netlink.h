/* A minimal rtnetlink client: one request buffer, attributes appended in
 * order, acknowledged requests and dumps. Enough for moving interfaces
 * (netdev.c); no library, no routing tables. */
#ifndef HRUN_NETLINK_H
#define HRUN_NETLINK_H

#include <linux/netlink.h>
#include <stddef.h>
#include <stdint.h>

#include "libcontainer/util/error.h"

#define NL_BUF_SIZE 4096

struct nl_req {
  union {
    struct nlmsghdr hdr;
    char buf[NL_BUF_SIZE];
  } u;
};

/* A NETLINK_ROUTE socket in the caller's current network namespace. */
int nl_open(hrun_error *err);

/* Starts a request of type with flags (NLM_F_REQUEST is added) and a
 * family header of hdr_len bytes copied from hdr. */
void nl_req_init(struct nl_req *req, uint16_t type, uint16_t flags, const void *hdr,
                 size_t hdr_len);
/* Appends an attribute; -1 when the buffer is full. */
int nl_req_attr(struct nl_req *req, uint16_t type, const void *data, size_t len);

/* Sends req and waits for its acknowledgement: 0, or -1 with the
 * kernel's errno in err. */
int nl_talk(int fd, struct nl_req *req, hrun_error *err);

/* Sends a dump request and calls fn on every message of its answer. */
typedef int (*nl_msg_fn)(const struct nlmsghdr *msg, void *data);
int nl_dump(int fd, struct nl_req *req, nl_msg_fn fn, void *data, hrun_error *err);

/* The payload of attribute type in a run of rtattrs (len bytes at
 * attrs), its length in *attr_len; NULL when absent. */
const void *nl_attr_find(const void *attrs, size_t len, uint16_t type, size_t *attr_len);

#endif
