/* The features document of runtime-spec (features.md, features-linux.md):
 * what hrun recognizes in config.json, so that a caller (containerd, podman,
 * a test suite) can ask before it relies on a field. */
#ifndef HRUN_FEATURES_H
#define HRUN_FEATURES_H

#include "libcontainer/util/json.h"

/* Writes the whole document as one JSON object; version goes to the
 * "io.github.hrun.version" annotation (the library does not know it). */
void features_write(json_writer *w, const char *version);

#endif
