#include "libcontainer/rlimit.h"

#include <errno.h>
#include <string.h>
#include <sys/resource.h>

#include "libcontainer/spec.h"

static const struct {
  const char *name;
  int resource;
} rlimit_names[] = {
    {"RLIMIT_AS", RLIMIT_AS},           {"RLIMIT_CORE", RLIMIT_CORE},
    {"RLIMIT_CPU", RLIMIT_CPU},         {"RLIMIT_DATA", RLIMIT_DATA},
    {"RLIMIT_FSIZE", RLIMIT_FSIZE},     {"RLIMIT_LOCKS", RLIMIT_LOCKS},
    {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK}, {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE},
    {"RLIMIT_NICE", RLIMIT_NICE},       {"RLIMIT_NOFILE", RLIMIT_NOFILE},
    {"RLIMIT_NPROC", RLIMIT_NPROC},     {"RLIMIT_RSS", RLIMIT_RSS},
    {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},   {"RLIMIT_RTTIME", RLIMIT_RTTIME},
    {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
    {"RLIMIT_STACK", RLIMIT_STACK},
};

int rlimit_from_name(const char *name)
{
  size_t i;

  for (i = 0; i < sizeof(rlimit_names) / sizeof(rlimit_names[0]); i++)
    if (strcmp(rlimit_names[i].name, name) == 0)
      return rlimit_names[i].resource;
  return -1;
}

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
