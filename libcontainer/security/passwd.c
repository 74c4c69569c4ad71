#include "libcontainer/security/passwd.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/util/cleanup.h"
#include "libcontainer/util/fsutil.h"

/* An id field: digits only (an empty one is no id 0). */
static bool parse_id(const char *field, uint32_t *id)
{
  char *end;
  unsigned long v;

  if (*field < '0' || *field > '9')
    return false;
  v = strtoul(field, &end, 10);
  if (*end != '\0' || v > UINT32_MAX)
    return false;
  *id = (uint32_t)v;
  return true;
}

static bool uid_is(const char *field, uint32_t uid)
{
  uint32_t v;

  return parse_id(field, &v) && v == uid;
}

int passwd_lookup(const char *path, uint32_t uid, enum passwd_field field, char **out,
                  hrun_error *err)
{
  cleanup_fclose FILE *f = fopen(path, "re");
  cleanup_free char *line = NULL;
  size_t cap = 0;

  *out = NULL;
  /* No file, or none we may open, has no entries: runc ignores it too. */
  if (!f)
    return 0;
  while (!*out && getline(&line, &cap, f) > 0) {
    char *fields[7], *p = line;
    int n;

    line[strcspn(line, "\n")] = '\0';
    for (n = 0; n < 7 && p; n++)
      fields[n] = strsep(&p, ":");
    if (n > (int)field && n >= 3 && uid_is(fields[2], uid) && fields[field][0])
      *out = xstrdup(fields[field]);
  }
  return *out ? 0 : stream_check(f, path, err);
}

int group_lookup_gid(FILE *f, const char *name, uint32_t *gid, hrun_error *err)
{
  cleanup_free char *line = NULL;
  size_t cap = 0;

  /* name:password:gid:members; the first entry of that name counts. */
  while (getline(&line, &cap, f) > 0) {
    char *p = line, *group, *gid_field;

    line[strcspn(line, "\n")] = '\0';
    group = strsep(&p, ":");
    if (!p || strcmp(group, name) != 0)
      continue;
    strsep(&p, ":");
    gid_field = p ? strsep(&p, ":") : NULL;
    return gid_field && parse_id(gid_field, gid) ? 1 : 0;
  }
  return stream_check(f, "/etc/group", err);
}
