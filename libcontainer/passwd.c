#include "libcontainer/passwd.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libcontainer/arena.h"
#include "libcontainer/cleanup.h"

/* The uid field: digits only (an empty one is no uid 0). */
static bool uid_is(const char *field, uint32_t uid)
{
  char *end;
  unsigned long v;

  if (*field < '0' || *field > '9')
    return false;
  v = strtoul(field, &end, 10);
  return *end == '\0' && v == uid;
}

char *passwd_lookup(const char *path, uint32_t uid, enum passwd_field field)
{
  cleanup_fclose FILE *f = fopen(path, "re");
  char *line = NULL, *found = NULL;
  size_t cap = 0;

  while (f && !found && getline(&line, &cap, f) > 0) {
    char *fields[7], *p = line;
    int n;

    line[strcspn(line, "\n")] = '\0';
    for (n = 0; n < 7 && p; n++)
      fields[n] = strsep(&p, ":");
    if (n > (int)field && n >= 3 && uid_is(fields[2], uid) && fields[field][0])
      found = xstrdup(fields[field]);
  }
  free(line);
  return found;
}
