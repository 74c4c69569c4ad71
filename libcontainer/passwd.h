/* /etc/passwd read directly: no NSS, so that hrun can be a static binary,
 * and inside a container the container's own file is what counts. */
#ifndef HRUN_PASSWD_H
#define HRUN_PASSWD_H

#include <stdint.h>

enum passwd_field {
  PASSWD_NAME = 0,
  PASSWD_HOME = 5,
};

/* The field of the entry for uid in path (malloc'ed), or NULL. */
char *passwd_lookup(const char *path, uint32_t uid, enum passwd_field field);

#endif
