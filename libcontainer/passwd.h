/* /etc/passwd and /etc/group read directly: no NSS, so that hrun can be a
 * static binary, and inside a container the container's own files are what
 * count. */
#ifndef HRUN_PASSWD_H
#define HRUN_PASSWD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum passwd_field {
  PASSWD_NAME = 0,
  PASSWD_HOME = 5,
};

/* The field of the entry for uid in path (malloc'ed), or NULL. */
char *passwd_lookup(const char *path, uint32_t uid, enum passwd_field field);

/* The gid of the group called name in f (an /etc/group), read from where
 * f stands; false when there is no such entry or its gid is not a number. */
bool group_lookup_gid(FILE *f, const char *name, uint32_t *gid);

#endif
