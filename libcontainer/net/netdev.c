#include "libcontainer/net/netdev.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/util/cleanup.h"
#include "libcontainer/net/netlink.h"
#include "libcontainer/spec/spec.h"

#define MAX_ADDRS 64

struct saved_addr {
  struct ifaddrmsg ifa;
  unsigned char local[16], address[16];
  size_t local_len, address_len;
};

struct addr_list {
  int ifindex;
  size_t n;
  struct saved_addr a[MAX_ADDRS];
};

static void copy_attr(const struct ifaddrmsg *ifa, size_t len, uint16_t type,
                      unsigned char *out, size_t *out_len)
{
  size_t n = 0;
  const void *v = nl_attr_find(IFA_RTA(ifa), len, type, &n);

  *out_len = v && n <= 16 ? n : 0;
  if (*out_len)
    memcpy(out, v, n);
}

/* The spec keeps permanent addresses of global scope only: the others
 * belong to the namespace they were made in. */
static int collect_addr(const struct nlmsghdr *msg, void *data)
{
  struct addr_list *l = data;
  const struct ifaddrmsg *ifa = NLMSG_DATA(msg);
  size_t len = IFA_PAYLOAD(msg), n = 0;
  const uint32_t *flags = nl_attr_find(IFA_RTA(ifa), len, IFA_FLAGS, &n);
  uint32_t f = flags && n == sizeof(*flags) ? *flags : ifa->ifa_flags;
  struct saved_addr *s;

  if (msg->nlmsg_type != RTM_NEWADDR || (int)ifa->ifa_index != l->ifindex ||
      ifa->ifa_scope != RT_SCOPE_UNIVERSE || !(f & IFA_F_PERMANENT))
    return 0;
  if (l->n == MAX_ADDRS)
    return -1;
  s = &l->a[l->n++];
  s->ifa = *ifa;
  copy_attr(ifa, len, IFA_LOCAL, s->local, &s->local_len);
  copy_attr(ifa, len, IFA_ADDRESS, s->address, &s->address_len);
  return 0;
}

static int list_addrs(int fd, struct addr_list *l, hrun_error *err)
{
  struct ifaddrmsg ifa = {.ifa_family = AF_UNSPEC};
  struct nl_req req;

  nl_req_init(&req, RTM_GETADDR, 0, &ifa, sizeof(ifa));
  if (nl_dump(fd, &req, collect_addr, l, err) < 0)
    return err_wrap(err, "list its addresses");
  return 0;
}

static int add_addr(int fd, int index, const struct saved_addr *s, hrun_error *err)
{
  struct ifaddrmsg ifa = s->ifa;
  struct nl_req req;

  ifa.ifa_index = (uint32_t)index;
  nl_req_init(&req, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, &ifa, sizeof(ifa));
  if ((s->local_len && nl_req_attr(&req, IFA_LOCAL, s->local, s->local_len) < 0) ||
      (s->address_len && nl_req_attr(&req, IFA_ADDRESS, s->address, s->address_len) < 0))
    return err_set(err, E2BIG, "netlink request");
  if (nl_talk(fd, &req, err) < 0)
    return err_wrap(err, "add an address back");
  return 0;
}

static int link_set_up(int fd, int index, bool up, hrun_error *err)
{
  struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC, .ifi_index = index,
                          .ifi_flags = up ? IFF_UP : 0, .ifi_change = IFF_UP};
  struct nl_req req;

  nl_req_init(&req, RTM_NEWLINK, 0, &ifi, sizeof(ifi));
  if (nl_talk(fd, &req, err) < 0)
    return err_wrap(err, "set the link %s", up ? "up" : "down");
  return 0;
}

/* Namespace and name change in one request: the new name never meets the
 * runtime's interfaces, the old one never the container's. */
static int move_link(int fd, int index, int ns_fd, const char *name, hrun_error *err)
{
  struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC, .ifi_index = index};
  uint32_t ns = (uint32_t)ns_fd;
  struct nl_req req;

  nl_req_init(&req, RTM_NEWLINK, 0, &ifi, sizeof(ifi));
  if (nl_req_attr(&req, IFLA_NET_NS_FD, &ns, sizeof(ns)) < 0 ||
      nl_req_attr(&req, IFLA_IFNAME, name, strlen(name) + 1) < 0)
    return err_set(err, E2BIG, "netlink request");
  if (nl_talk(fd, &req, err) < 0)
    return err_wrap(err, "move it into the container's network namespace as %s", name);
  return 0;
}

struct in_container {
  const char *name;
  int old_index;
  int index; /* out */
  int fd;    /* out: a netlink socket there */
};

/* The spec wants an error, not a move, when the name is taken there: the
 * kernel would move the link under its old name and fail the rename. */
static int check_free(struct in_container *c, hrun_error *err)
{
  if (strchr(c->name, '%') || if_nametoindex(c->name) == 0)
    return 0;
  return err_set(err, 0, "the container's network namespace already has an interface %s",
                 c->name);
}

/* The moved link's index there: found by name, or for a "%d" template (the
 * kernel picks the name) by the index it keeps when that is free. */
static int find_moved(struct in_container *c, hrun_error *err)
{
  char buf[IF_NAMESIZE];

  if (strchr(c->name, '%'))
    c->index = if_indextoname((unsigned)c->old_index, buf) ? c->old_index : 0;
  else
    c->index = (int)if_nametoindex(c->name);
  if (c->index == 0)
    return err_set(err, 0, "moved as %s but not found in the container's namespace", c->name);
  c->fd = nl_open(err);
  return c->fd < 0 ? -1 : 0;
}

/* Runs fn in the container's network namespace; the runtime comes back to
 * its own either way. */
static int in_netns(int ns_fd, int (*fn)(struct in_container *, hrun_error *),
                    struct in_container *c, hrun_error *err)
{
  cleanup_close int own = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  int r;

  if (own < 0)
    return err_set(err, errno, "open /proc/self/ns/net");
  if (setns(ns_fd, CLONE_NEWNET) < 0)
    return err_set(err, errno, "join the container's network namespace");
  r = fn(c, err);
  if (setns(own, CLONE_NEWNET) < 0)
    return err_set(err, errno, "return to the runtime's network namespace");
  return r;
}

static int move_one(int fd, int ns_fd, const struct spec_net_device *d, hrun_error *err)
{
  struct in_container c = {.name = d->name ? d->name : d->host_name, .fd = -1};
  cleanup_free struct addr_list *addrs = xmalloc0(sizeof(*addrs));
  cleanup_close int theirs = -1;
  size_t i;

  c.old_index = (int)if_nametoindex(d->host_name);
  if (c.old_index == 0)
    return err_set(err, errno, "no such interface in the runtime's network namespace");
  addrs->ifindex = c.old_index;
  if (in_netns(ns_fd, check_free, &c, err) < 0)
    return -1;
  /* Down first, as runc: whatever uses it on the host stops cleanly. */
  if (link_set_up(fd, c.old_index, false, err) < 0 || list_addrs(fd, addrs, err) < 0 ||
      move_link(fd, c.old_index, ns_fd, c.name, err) < 0)
    return -1;
  if (in_netns(ns_fd, find_moved, &c, err) < 0) {
    if (c.fd >= 0)
      close(c.fd);
    return -1;
  }
  theirs = c.fd;
  for (i = 0; i < addrs->n; i++)
    if (add_addr(theirs, c.index, &addrs->a[i], err) < 0)
      return -1;
  return link_set_up(theirs, c.index, true, err);
}

int netdev_move_all(const struct oci_spec *spec, pid_t init_pid, hrun_error *err)
{
  const struct spec_linux *lx = &spec->linux_cfg;
  cleanup_close int fd = -1, ns_fd = -1;
  char path[64];
  size_t i;

  if (!lx->n_net_devices)
    return 0;
  snprintf(path, sizeof(path), "/proc/%d/ns/net", init_pid);
  ns_fd = open(path, O_RDONLY | O_CLOEXEC);
  if (ns_fd < 0)
    return err_set(err, errno, "linux.netDevices: open %s", path);
  fd = nl_open(err);
  if (fd < 0)
    return err_wrap(err, "linux.netDevices");
  for (i = 0; i < lx->n_net_devices; i++)
    if (move_one(fd, ns_fd, &lx->net_devices[i], err) < 0)
      return err_wrap(err, "linux.netDevices.%s", lx->net_devices[i].host_name);
  return 0;
}
