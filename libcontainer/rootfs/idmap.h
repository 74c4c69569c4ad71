/* Idmapped bind mounts (mounts[].options "idmap"/"ridmap", mounts[].
 * uidMappings/gidMappings): a detached clone of the source tree, given a
 * user namespace's mappings with mount_setattr(MOUNT_ATTR_IDMAP), to be
 * attached with move_mount. Making it takes CAP_SYS_ADMIN over the source
 * filesystem, so a container with a user namespace gets it from the runtime
 * (nsexec/mount_sources.h); one without makes it in its init. */
#ifndef HRUN_IDMAP_H
#define HRUN_IDMAP_H

#include <stddef.h>
#include <sys/types.h>

#include "libcontainer/util/error.h"

struct oci_spec;
struct spec_id_mapping;
struct spec_mount;

/* Writes /proc/<pid>/<file> ("uid_map", "gid_map") from mappings. */
int idmap_write_map(pid_t pid, const char *file, const struct spec_id_mapping *m, size_t n,
                    hrun_error *err);

/* A user namespace fd with exactly these mappings, made by a short-lived
 * child (its namespace outlives it through the fd). */
int idmap_userns_fd(const struct spec_mount *m, hrun_error *err);

/* The idmapped, detached tree of m's source (path, relative to the cwd).
 * Its mappings: m's own, else those of the user namespace at userns_path
 * (the container's). */
int idmap_open_tree(const struct spec_mount *m, const char *path, const char *userns_path,
                    hrun_error *err);

/* Attaches a tree from idmap_open_tree on the target fd. */
int idmap_attach(int tree_fd, int target_fd, hrun_error *err);

#endif
