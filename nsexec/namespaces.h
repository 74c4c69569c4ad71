/* Namespaces of the container: which ones the clone creates, which the init
 * joins by path, and the parent-side steps (pid and time namespaces, which
 * take effect for children only, and the uid/gid maps). */
#ifndef HRUN_NAMESPACES_H
#define HRUN_NAMESPACES_H

#include <stdbool.h>
#include <sys/types.h>

#include "libcontainer/util/error.h"

struct oci_spec;

#define NS_MAX_JOIN 8

struct ns_plan {
  int clone_flags;   /* CLONE_NEW* created by the clone itself */
  int unshare_flags; /* created by the init itself: after joining a user
                        namespace, and the cgroup namespace always */
  int join_fds[NS_MAX_JOIN]; /* opened by the parent, joined by the init in order */
  int join_types[NS_MAX_JOIN];
  size_t n_join;
  int pid_fd;        /* pid namespace to join: set for children by the parent */
  bool new_userns;
  bool any_userns;   /* new or joined */
  bool new_timens;
  bool new_cgroupns;
  bool mount_sources; /* the parent opens the bind sources (mount_sources.h) */
};

/* Opens every namespace path (errors name linux.namespaces[i].path) and
 * decides the flags. */
int ns_plan_build(const struct oci_spec *spec, struct ns_plan *plan, hrun_error *err);
void ns_plan_close(struct ns_plan *plan);

/* Parent, before the clone: pid namespace by path and a new time namespace
 * (with linux.timeOffsets) are set for the parent's next child. The
 * previous namespaces are saved in *saved and restored by ns_parent_restore,
 * so hooks the parent runs later stay in the runtime's namespaces. */
struct ns_saved {
  int pid_fd;
  int time_fd;
};
int ns_parent_prepare(const struct oci_spec *spec, const struct ns_plan *plan,
                      struct ns_saved *saved, hrun_error *err);
int ns_parent_restore(struct ns_saved *saved, hrun_error *err);

/* Parent, after the clone: writes uid_map and gid_map of the child. */
int ns_write_id_maps(pid_t pid, const struct oci_spec *spec, hrun_error *err);

/* Init: joins the namespaces given by path (user first, mount last) and
 * creates those that had to wait for a joined user namespace. */
int ns_init_join(const struct ns_plan *plan, hrun_error *err);

/* Init: becomes uid/gid 0 of its user namespace, if it has one. Until then
 * it keeps the runtime's ids, which can still reach the bundle. */
int ns_init_become_root(const struct ns_plan *plan, hrun_error *err);

#endif
