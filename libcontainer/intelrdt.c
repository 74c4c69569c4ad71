#include "libcontainer/intelrdt.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libcontainer/arena.h"
#include "libcontainer/cleanup.h"
#include "libcontainer/fsutil.h"
#include "libcontainer/state.h"

int intelrdt_mount_point(char **mnt, hrun_error *err)
{
  cleanup_fclose FILE *f = fopen("/proc/self/mountinfo", "re");

  *mnt = NULL;
  if (!f)
    return err_set(err, errno, "open /proc/self/mountinfo");
  return intelrdt_mount_point_in(f, mnt, err);
}

int intelrdt_mount_point_in(FILE *f, char **mnt, hrun_error *err)
{
  cleanup_free char *line = NULL;
  char mp[4096], fstype[64];
  size_t cap = 0;
  const char *sep;

  *mnt = NULL;
  errno = 0;
  while (!*mnt && getline(&line, &cap, f) > 0) {
    sep = strstr(line, " - ");
    if (sep && sscanf(sep + 3, "%63s", fstype) == 1 && strcmp(fstype, "resctrl") == 0 &&
        sscanf(line, "%*s %*s %*s %*s %4095s", mp) == 1)
      *mnt = xstrdup(mp);
  }
  return *mnt ? 0 : stream_check(f, "/proc/self/mountinfo", err);
}

int intelrdt_update(const struct container_state *st, const char *l3_schema,
                    const char *mb_schema, hrun_error *err)
{
  const char *opt = l3_schema ? "--l3-cache-schema" : "--mem-bw-schema";
  cleanup_free char *mnt = NULL;

  if (!l3_schema && !mb_schema)
    return 0;
  if (intelrdt_mount_point(&mnt, err) < 0)
    return err_wrap(err, "%s", opt);
  if (!mnt)
    return err_set(err, 0, "%s: this host has no Intel RDT (no resctrl file system is "
                           "mounted, e.g. on /sys/fs/resctrl)", opt);
  /* hrun makes no resctrl group at create yet, so there is none to change. */
  return err_set(err, 0, "%s: container %s has no Intel RDT group of its own to update",
                 opt, st->id);
}
