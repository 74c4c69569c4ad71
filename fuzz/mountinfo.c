/* libFuzzer target: /proc/self/mountinfo text through the parsers that
 * read it: the cgroup hierarchies (cgroup_v1.c) and the resctrl mount
 * (intelrdt.c). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "libcontainer/cgroups/cgroup_internal.h"
#include "libcontainer/cgroups/intelrdt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct cg_mounts ms;
  char *mnt = NULL;
  hrun_error err;
  FILE *f;

  if (size == 0)
    return 0;
  f = fmemopen((void *)data, size, "r");
  if (!f)
    return 0;
  cg_mountinfo_parse(f, &ms);
  cg_mounts_free(&ms);
  rewind(f);
  if (intelrdt_mount_point_in(f, &mnt, &err) == 0)
    free(mnt);
  fclose(f);
  return 0;
}
