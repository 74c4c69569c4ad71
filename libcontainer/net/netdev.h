/* linux.netDevices: host interfaces moved into the container's network
 * namespace at create, renamed, their permanent global addresses kept and
 * the link set up (runtime-spec 1.3 config-linux.md "Network Devices").
 * Nothing moves them back: the spec forbids it; when the namespace goes,
 * the kernel returns physical devices to the initial namespace and
 * destroys virtual ones. */
#ifndef HRUN_NETDEV_H
#define HRUN_NETDEV_H

#include <sys/types.h>

#include "libcontainer/util/error.h"

struct oci_spec;

/* The runtime (parent), once the init has its network namespace. Errors
 * name the field: "linux.netDevices.eth0: ...". */
int netdev_move_all(const struct oci_spec *spec, pid_t init_pid, hrun_error *err);

#endif
