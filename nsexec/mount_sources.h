/* Bind mount sources opened by the runtime for an init in a user namespace
 * (runc's "mount sources"): the container's root may not be able to walk
 * to a source the runtime can reach (a directory mode 0700 owned by the
 * host's root, with no mapping for root), so the parent opens each one,
 * O_PATH, inside the init's mount namespace, and hands the fds over the
 * create channel (nsexec/sync.h, messages 11 and 12). The init then binds
 * /proc/self/fd/N onto a target it resolved inside the rootfs as before.
 * An idmapped bind's fd is instead its detached, idmapped tree
 * (libcontainer/rootfs/idmap.h), which the init attaches with move_mount. */
#ifndef HRUN_MOUNT_SOURCES_H
#define HRUN_MOUNT_SOURCES_H

#include <stdbool.h>
#include <sys/types.h>

#include "libcontainer/util/error.h"

struct oci_spec;

/* The container has a user namespace, a mount namespace and a bind mount,
 * and the runtime is privileged enough to join the init's mount namespace
 * (root). Decided once, by the parent, before the clone. */
bool mount_sources_needed(const struct oci_spec *spec, bool any_userns);

/* Parent, on SYNC_MOUNT_SOURCES: joins the mount namespace of init_pid,
 * opens each bind source there (a relative one from the bundle), comes
 * back to its own namespace and directory, and sends the fds. Errors name
 * the mount: "mounts[3] (/data): source /x: no such file or directory". */
int mount_sources_send(int sync_fd, pid_t init_pid, const struct oci_spec *spec,
                       const char *bundle, hrun_error *err);

/* Init: asks for the fds and receives them. *fds gets one entry per config
 * mount (malloc'ed): the source's fd, or -1 for a mount that is no bind. */
int mount_sources_receive(int sync_fd, const struct oci_spec *spec, int **fds,
                          hrun_error *err);

/* Closes and frees what mount_sources_receive gave (NULL is fine). */
void mount_sources_close(const struct oci_spec *spec, int **fds);

#endif
