/* Hooks added to a config from outside it (hook directories, --hook-spec):
 * collected per stage, then written into the config's JSON after its own
 * hooks of the stage, so that the copy create keeps in the state dir, which
 * start and delete read, has them too. */
#ifndef HRUN_HOOKS_MERGE_H
#define HRUN_HOOKS_MERGE_H

#include <stddef.h>

#include "libcontainer/util/error.h"
#include "libcontainer/spec/spec.h"

struct hooks_extra {
  const struct spec_hook **list[HOOK_STAGE_COUNT];
  size_t n[HOOK_STAGE_COUNT];
};

void hooks_extra_add(struct hooks_extra *x, int stage, const struct spec_hook *h);
size_t hooks_extra_count(const struct hooks_extra *x);
void hooks_extra_free(struct hooks_extra *x);

/* The config text with x appended to its hooks (malloc'ed). Every other
 * member is copied as it is. */
int hooks_merge(const char *text, size_t len, const struct hooks_extra *x, char **out,
                size_t *out_len, hrun_error *err);

#endif
