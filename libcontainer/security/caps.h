/* Capabilities: names from config.json, and the five sets applied to the
 * container process. */
#ifndef HRUN_CAPS_H
#define HRUN_CAPS_H

#include <stdint.h>

#include "libcontainer/util/error.h"

struct spec_capabilities;

/* Highest capability number the running kernel knows. */
int caps_last_cap(void);

/* A capability the runtime itself does not hold (not in its bounding set)
 * cannot be given: runtime-spec says a runtime SHOULD NOT fail then. Each
 * is removed from all five sets with a warning naming it ("<what>:
 * CAP_SYS_MODULE is not in the runtime's bounding set: skipped"). */
void caps_skip_unheld(struct spec_capabilities *caps, const char *what);

/* Drops every capability not in the bounding set (needs CAP_SETPCAP, so it
 * runs before the uid change). */
int caps_apply_bounding(const struct spec_capabilities *caps, hrun_error *err);

/* Sets effective, permitted, inheritable and ambient; runs after the uid
 * change (with PR_SET_KEEPCAPS set across it). */
int caps_apply_sets(const struct spec_capabilities *caps, hrun_error *err);

#endif
