/* linux.sysctl: only namespaced keys, and only when the container has the
 * namespace they belong to (runc's rule), so a container can never change a
 * host-wide kernel setting. */
#ifndef HRUN_SYSCTL_H
#define HRUN_SYSCTL_H

#include "libcontainer/util/error.h"

struct oci_spec;

int sysctl_validate(const struct oci_spec *spec, hrun_error *err);
/* Writes the values; runs in the init, inside the container's namespaces. */
int sysctl_apply(const struct oci_spec *spec, hrun_error *err);

#endif
