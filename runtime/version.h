/* hrun's version string. Only runtime/version.c is compiled with
 * -DHRUN_VERSION (so that a new VERSION rebuilds one file), hence an
 * accessor for the other commands. */
#ifndef HRUN_RUNTIME_VERSION_H
#define HRUN_RUNTIME_VERSION_H

/* "0.1.0", the contents of the VERSION file at build time. */
const char *hrun_version_string(void);

#endif
