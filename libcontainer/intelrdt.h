/* Intel RDT (cache allocation, memory bandwidth) through the resctrl file
 * system. */
#ifndef HRUN_INTELRDT_H
#define HRUN_INTELRDT_H

#include <stdbool.h>
#include <stdio.h>

#include "libcontainer/error.h"

struct container_state;

/* Whether a resctrl file system is mounted; its mount point in *mnt
 * (malloc'ed) when it is. -1 with err when mountinfo cannot be read. */
int intelrdt_mount_point(char **mnt, hrun_error *err);
/* The same from mountinfo text in f (the parser alone, for fuzzing). */
int intelrdt_mount_point_in(FILE *f, char **mnt, hrun_error *err);

/* `update --l3-cache-schema / --mem-bw-schema`: nothing when both are
 * NULL; a clear error when this host has no resctrl, or the container no
 * RDT group of its own. */
int intelrdt_update(const struct container_state *st, const char *l3_schema,
                    const char *mb_schema, hrun_error *err);

#endif
