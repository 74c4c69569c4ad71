/* Mount option strings ("ro", "nosuid", "rbind", "size=64k") to mount(2)
 * flags, propagation, recursive attributes and filesystem data. */
#ifndef HRUN_MOUNTOPTS_H
#define HRUN_MOUNTOPTS_H

#include "libcontainer/util/error.h"

struct arena;
struct spec_mount;

/* Fills the derived fields of m from m->options and m->type. Options the
 * kernel does not know as flags are passed to the filesystem as data. */
int mountopts_parse(struct arena *arena, struct spec_mount *m, hrun_error *err);

/* "rprivate" -> MS_PRIVATE|MS_REC (the rootfsPropagation values); 0 when
 * the name is not a propagation mode. */
unsigned long mountopts_propagation(const char *name);

#endif
