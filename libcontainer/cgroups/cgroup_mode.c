/* Which cgroup version this host runs: cgroup2 mounted at /sys/fs/cgroup
 * is v2 (unified); anything else is v1, with or without a cgroup2
 * hierarchy beside it (hybrid). Asked once per process. */
#include <linux/magic.h>
#include <sys/statfs.h>

#include "libcontainer/cgroups/cgroup_internal.h"

static int mode_cache = -1;

enum cgroup_mode cgroup_mode(void)
{
  struct statfs st;

  if (mode_cache < 0)
    mode_cache = statfs(CGROUP_ROOT, &st) == 0 && st.f_type == CGROUP2_SUPER_MAGIC
                     ? CGROUP_MODE_V2
                     : CGROUP_MODE_V1;
  return (enum cgroup_mode)mode_cache;
}

void cg_mode_reset(void)
{
  mode_cache = -1;
}
