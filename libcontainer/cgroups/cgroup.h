/* The container's cgroup: where it lives, creating it with its limits,
 * putting processes in it, freezing, and removing it.
 *
 * Two host layouts are supported: cgroup v2 (/sys/fs/cgroup is cgroup2) and
 * cgroup v1 (one hierarchy per controller under /sys/fs/cgroup, possibly with
 * a cgroup2 "unified" hierarchy beside them: hybrid). A container's cgroup is
 * therefore a list of directories, one per mounted hierarchy. */
#ifndef HRUN_CGROUP_H
#define HRUN_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "libcontainer/util/error.h"

struct spec_resources;

enum cgroup_mode {
  CGROUP_MODE_V1,     /* v1 hierarchies; a cgroup2 "unified" mount may exist too */
  CGROUP_MODE_V2,     /* pure v2 */
};

struct cgroup_dir {
  char *controllers; /* "memory", "cpu,cpuacct", "name=systemd"; "" for cgroup2 */
  char *path;        /* absolute directory, e.g. /sys/fs/cgroup/memory/<p> */
  int created_depth; /* how many trailing components hrun created (removed on destroy) */
};

struct cgroup_paths {
  enum cgroup_mode mode;
  char *rel_path; /* the path inside each hierarchy, e.g. "/user.slice/x/ID" */
  struct cgroup_dir *dirs;
  size_t n_dirs;
  /* The systemd driver: the scope unit that holds the cgroup (its one
   * directory, on v2), which systemd creates and removes; NULL otherwise. */
  char *unit;
};

/* Layout of the host, read once per process. */
enum cgroup_mode cgroup_mode(void);

/* Computes the directories from linux.cgroupsPath. Absolute: from each
 * hierarchy's root. Relative or absent (then the container id): below the
 * runtime's own cgroup, as runc does. Nothing is created. */
int cgroup_resolve(const char *cgroups_path, const char *id, struct cgroup_paths *out,
                   hrun_error *err);

/* Sets each directory's created_depth to the number of its trailing
 * components that do not exist yet: what cgroup_create is about to make,
 * for create to record before it makes it. */
void cgroup_plan(struct cgroup_paths *p);

/* Creates the directories and applies res (may be NULL). On failure nothing
 * created is left behind. */
int cgroup_create(struct cgroup_paths *p, const struct spec_resources *res,
                  hrun_error *err);

/* *fd: an O_DIRECTORY fd of the cgroup2 directory (pure v2, or the
 * "unified" hierarchy of a hybrid host), for clone3(CLONE_INTO_CGROUP);
 * -1 when there is none (or p is NULL), which is no error; nor is a
 * systemd scope not started yet: systemd puts the init in it. */
int cgroup_open_v2_fd(const struct cgroup_paths *p, int *fd, hrun_error *err);

/* The calling single-threaded process moves itself into every v1
 * directory (the cgroup2 one is joined with CLONE_INTO_CGROUP): the cheap
 * way, see cgroup.c. With with_v2 (a clone without clone3) into the
 * cgroup2 directory too. */
int cgroup_enter_self(const struct cgroup_paths *p, bool with_v2, hrun_error *err);

/* Moves pid into every directory (all of them on v1, the one on v2). */
int cgroup_enter(const struct cgroup_paths *p, pid_t pid, hrun_error *err);

/* Applies res to an existing cgroup (also used by `update`). */
int cgroup_apply_resources(const struct cgroup_paths *p, const struct spec_resources *res,
                           hrun_error *err);

/* The pids currently in the cgroup (malloc'ed array). */
int cgroup_pids(const struct cgroup_paths *p, pid_t **pids, size_t *n, hrun_error *err);

/* Whether no process is left in the cgroup (nor in those below it); an
 * unreadable cgroup counts as not empty. */
bool cgroup_is_empty(const struct cgroup_paths *p);

/* Sends sig to every process in the cgroup. */
int cgroup_kill_all(const struct cgroup_paths *p, int sig, hrun_error *err);

int cgroup_freeze(const struct cgroup_paths *p, bool frozen, hrun_error *err);
/* 1 frozen, 0 not frozen (or no freezer), <0 error. */
int cgroup_is_frozen(const struct cgroup_paths *p);

/* Removes the directories (and the parents hrun created), retrying briefly
 * while the kernel still lists exiting tasks. A missing directory is fine.
 * A systemd scope is stopped first (cgroup_systemd.c). */
int cgroup_destroy(const struct cgroup_paths *p, hrun_error *err);

void cgroup_paths_free(struct cgroup_paths *p);

/* A copy of base whose directories are the existing sub-cgroups named by
 * exec --cgroup arguments ("[CONTROLLER[,CONTROLLER]:]PATH", PATH relative). */
int cgroup_sub_paths(const struct cgroup_paths *base, char **specs, int n,
                     struct cgroup_paths *out, hrun_error *err);

/* Mounts the container's view of cgroups at target_fd (an O_PATH fd of the
 * destination inside the rootfs, opened without following symlinks out of
 * it): cgroup2 on v2, a tmpfs with one mount per hierarchy on v1. Runs in
 * the container's mount namespace, before pivot_root. With a new cgroup
 * namespace the real filesystems are mounted, otherwise the container's own
 * directories are bind mounted. flags are the mount's MS_* flags (ro, ...). */
int cgroup_mount_in_container(const struct cgroup_paths *p, int target_fd,
                              unsigned long flags, bool new_cgroupns, hrun_error *err);

#endif
