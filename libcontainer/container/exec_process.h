/* The process an `exec` runs: a process JSON file as it is, or the
 * container's own process with the command line's changes. */
#ifndef HRUN_EXEC_PROCESS_H
#define HRUN_EXEC_PROCESS_H

#include "libcontainer/util/error.h"

struct exec_options;
struct oci_spec;
struct spec_process;

/* Allocates in config->arena; errors name the option or the file. */
int exec_process_build(const struct exec_options *opts, struct oci_spec *config,
                       struct spec_process **out, hrun_error *err);

#endif
