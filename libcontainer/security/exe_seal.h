/* CVE-2019-5736: a process in the container must never be able to open the
 * runtime's binary for writing through /proc/<pid>/exe. Every hrun process
 * that enters a container (the init, exec'd processes, the hooks they
 * spawn) is a clone of the create/run/exec process, so that process re-execs
 * itself once from an image the container cannot write: its own binary seen
 * through a detached read-only bind mount (no copy), or, where the new mount
 * API is missing, a sealed memfd copy. A binary already on a read-only
 * mount, or already sealed, needs nothing. */
#ifndef HRUN_EXE_SEAL_H
#define HRUN_EXE_SEAL_H

#include <stdbool.h>

#include "libcontainer/util/error.h"

/* True when /proc/self/exe cannot be opened for writing by anyone. */
bool exe_is_sealed(void);

/* Re-execs the running binary from a sealed image with the same argv and
 * environment; returns only on failure. */
int exe_reexec_sealed(char **argv, hrun_error *err);

#endif
