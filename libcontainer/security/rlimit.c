#include "libcontainer/security/rlimit.h"

#include <errno.h>
#include <string.h>
#include <sys/resource.h>

#include "libcontainer/spec/spec.h"

int rlimits_apply(const struct spec_rlimit *limits, size_t n, hrun_error *err)
{
  size_t i;

  for (i = 0; i < n; i++) {
    struct rlimit rl = {.rlim_cur = limits[i].soft, .rlim_max = limits[i].hard};
    if (setrlimit(limits[i].resource, &rl) < 0)
      return err_set(err, errno, "process.rlimits: cannot set %s to %llu/%llu",
                     limits[i].name, (unsigned long long)limits[i].soft,
                     (unsigned long long)limits[i].hard);
  }
  return 0;
}
