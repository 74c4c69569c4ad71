#include <seccomp.h>
#include <stdio.h>

#include "libcontainer/spec/spec.h"
#include "runtime/cli.h"
#include "runtime/version.h"

#ifndef HRUN_VERSION
#define HRUN_VERSION "0.0.0"
#endif
#ifndef HRUN_COMMIT
#define HRUN_COMMIT "unknown"
#endif

void print_version(void)
{
  const struct scmp_version *v = seccomp_version();

  printf("hrun version %s\n", HRUN_VERSION);
  printf("commit: %s\n", HRUN_COMMIT);
  printf("spec: %s\n", HRUN_SPEC_VERSION);
  if (v)
    printf("libseccomp: %u.%u.%u\n", v->major, v->minor, v->micro);
}

const char *hrun_version_string(void)
{
  return HRUN_VERSION;
}
