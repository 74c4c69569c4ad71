/* /etc/passwd and /etc/group read directly: no NSS, so that hrun can be a
 * static binary, and inside a container the container's own files are what
 * count. */
#ifndef HRUN_PASSWD_H
#define HRUN_PASSWD_H

#include <stdint.h>
#include <stdio.h>

#include "libcontainer/util/error.h"

enum passwd_field {
  PASSWD_NAME = 0,
  PASSWD_HOME = 5,
};

/* 0 with *out: the field of the entry for uid in path (malloc'ed), or
 * NULL when there is none (or no file to open). -1 when path could not be
 * read: a read error is not the end of the file. */
int passwd_lookup(const char *path, uint32_t uid, enum passwd_field field, char **out,
                  hrun_error *err);

/* The gid of the group called name in f (an /etc/group), read from where
 * f stands: 1 with *gid, 0 when there is no such entry or its gid is not a
 * number, -1 when f could not be read. */
int group_lookup_gid(FILE *f, const char *name, uint32_t *gid, hrun_error *err);

#endif
