#include "libcontainer/security/mempolicy.h"

#include <errno.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libcontainer/spec/spec.h"

#define MPOL_F_MEMS_ALLOWED_QUERY (1 << 2)
#define MPOL_RELATIVE_NODES_FLAG (1 << 14)
#define MASK_WORDS (SPEC_MAX_NUMA_NODES / 64)

static bool node_in(const uint64_t *mask, int node)
{
  return (mask[node / 64] >> (node % 64)) & 1;
}

/* The kernel quietly drops the nodes a process may not use as long as one
 * is left (and MPOL_F_STATIC_NODES keeps them for later): a node that does
 * not exist, or that the container's cpuset excludes, would go unnoticed.
 * With MPOL_F_RELATIVE_NODES the numbers are not nodes but positions in
 * the allowed set: the kernel maps them. */
static int check_nodes(const struct spec_memory_policy *mp, hrun_error *err)
{
  uint64_t allowed[MASK_WORDS] = {0};
  int node;

  if (mp->max_node < 0 || (mp->flags & MPOL_RELATIVE_NODES_FLAG))
    return 0;
  if (syscall(SYS_get_mempolicy, NULL, allowed, SPEC_MAX_NUMA_NODES + 1, NULL,
              MPOL_F_MEMS_ALLOWED_QUERY) < 0)
    return err_set(err, errno, "linux.memoryPolicy: get_mempolicy(MPOL_F_MEMS_ALLOWED)");
  for (node = 0; node <= mp->max_node; node++)
    if (node_in(mp->mask, node) && !node_in(allowed, node))
      return err_set(err, 0,
                     "linux.memoryPolicy.nodes: node %d (of \"%s\") does not exist or is not "
                     "allowed to the container",
                     node, mp->nodes);
  return 0;
}

int mempolicy_apply(const struct spec_memory_policy *mp, hrun_error *err)
{
  /* maxnode counts one past the last bit the kernel reads. */
  unsigned long maxnode;

  if (!mp || !mp->set)
    return 0;
  if (check_nodes(mp, err) < 0)
    return -1;
  maxnode = mp->max_node < 0 ? 0 : (unsigned long)mp->max_node + 2;
  if (syscall(SYS_set_mempolicy, mp->mode | (int)mp->flags, maxnode ? mp->mask : NULL,
              maxnode) < 0)
    return err_set(err, errno, "linux.memoryPolicy: set_mempolicy(mode %d, flags %#x, nodes \"%s\")",
                   mp->mode, mp->flags, mp->nodes);
  return 0;
}
