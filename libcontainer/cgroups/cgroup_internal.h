/* Shared between the cgroup module's files (libcontainer/cgroup*.c) and their unit
 * tests only. */
#ifndef HRUN_CGROUP_INTERNAL_H
#define HRUN_CGROUP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "libcontainer/cgroups/cgroup.h"
#include "libcontainer/spec/spec.h"

#define CGROUP_ROOT "/sys/fs/cgroup"

/* ---- file helpers (cgroup_file.c) ----------------------------------- */

/* Writes value to dir/file in one write(2), as cgroupfs wants. what names
 * the resource in the error: "cgroup: <what>: write <dir>/<file>: <errno>". */
int cg_write(const char *dir, const char *file, const char *value, const char *what,
             hrun_error *err);
/* The same in steps, for several values to one file (each its own write). */
int cg_open_write(const char *dir, const char *file, const char *what, hrun_error *err);
int cg_write_fd(int fd, const char *dir, const char *file, const char *value, const char *what,
                hrun_error *err);
int cg_writef(const char *dir, const char *file, const char *what, hrun_error *err,
              const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Reads dir/file (malloc'ed, NUL-terminated, trailing newline removed). */
int cg_read(const char *dir, const char *file, char **out, hrun_error *err);
bool cg_exists(const char *dir, const char *file);
/* Whether item is one of the tokens of list separated by any of seps. */
bool cg_list_has(const char *list, const char *item, const char *seps);
void cg_sleep_ms(long ms);
/* "max" for negative values, else the number. buf holds 24 bytes. */
const char *cg_limit_str(int64_t v, char buf[24]);

/* ---- hierarchies (cgroup_v1.c) -------------------------------------- */

/* The cgroup and cgroup2 mounts of a mountinfo file. */
struct cg_mount {
  char *controllers; /* "cpu,cpuacct", "name=systemd"; "" for cgroup2 */
  char *mountpoint;
  char *root; /* the cgroup mounted there, as our /proc/self/cgroup names it */
};

struct cg_mounts {
  struct cg_mount *m;
  size_t n;
};

/* Reads /proc/self/mountinfo's format from f (the parser alone: unit tests
 * and fuzz/mountinfo.c give it other text). */
void cg_mountinfo_parse(FILE *f, struct cg_mounts *out);
void cg_mounts_free(struct cg_mounts *ms);

/* Fills out->dirs (and rel_path) for out->mode: on v2 the cgroup2 mount at
 * /sys/fs/cgroup; on v1 every hierarchy of /proc/self/mountinfo plus a
 * cgroup2 one (hybrid). inner is "/abs/path" (from each hierarchy's root)
 * or "rel/path" (below our own cgroup there). */
int cg_hierarchy_dirs(struct cgroup_paths *out, const char *inner, hrun_error *err);

/* The directory of the hierarchy holding ctrl (v1) or the cgroup2 one. */
const struct cgroup_dir *cg_v1_dir(const struct cgroup_paths *p, const char *ctrl);
const struct cgroup_dir *cg_v2_dir(const struct cgroup_paths *p);

/* ---- writers: (dir, resources) -> files ------------------------------ */

/* v1 (cgroup_v1.c). */
int cg_v1_cpuset_init(const struct cgroup_dir *d, hrun_error *err);
int cg_v1_memory(const char *dir, const struct spec_resources *r, hrun_error *err);
int cg_v1_cpu(const char *dir, const struct spec_resources *r, hrun_error *err);
int cg_v1_blkio(const char *dir, const struct spec_resources *r, hrun_error *err);
int cg_v1_hugetlb(const char *dir, const struct spec_resources *r, hrun_error *err);
int cg_v1_net_cls(const char *dir, const struct spec_resources *r, hrun_error *err);
int cg_v1_net_prio(const char *dir, const struct spec_resources *r, hrun_error *err);
int cg_v1_devices(const char *dir, const struct spec_resources *r, hrun_error *err);
int cg_v1_freeze(const char *dir, bool frozen, hrun_error *err);
int cg_v1_is_frozen(const char *dir);

/* v2 (cgroup_v2.c). */
/* Enables ctrls in cgroup.subtree_control of every ancestor of dir inside
 * its hierarchy, top-down. fields[i] names the config field that needs
 * ctrls[i] in the error; NULL: best effort, failures are ignored. */
int cg_v2_enable(const char *dir, const char *const *ctrls, const char *const *fields,
                 size_t n, hrun_error *err);
int cg_v2_memory(const char *dir, const struct spec_resources *r, hrun_error *err);
int cg_v2_cpu(const char *dir, const struct spec_resources *r, hrun_error *err);
/* linux.resources.cpu.shares (v1's cpu.shares) as cpu.weight; 0 stays 0
 * (unset). */
uint64_t cg_v2_cpu_weight(uint64_t shares);
/* v1's memory.swap (memory+swap) as v2's memory.swap.max: 0 leave alone,
 * -1 max; limit is memory.limit (0 when not set). */
int cg_v2_swap(int64_t limit, int64_t swap, int64_t *out, hrun_error *err);
/* blkio.weight [10, 1000] as io.weight [1, 10000] (as it is for BFQ). */
unsigned long long cg_v2_io_weight(unsigned long long w, bool bfq);
int cg_v2_io(const char *dir, const struct spec_resources *r, hrun_error *err);
int cg_v2_hugetlb(const char *dir, const struct spec_resources *r, hrun_error *err);
int cg_v2_unified(const char *dir, const struct spec_kv *kv, size_t n, hrun_error *err);
/* Writes cgroup.freeze and waits until cgroup.events agrees; a freeze that
 * does not complete in cg_v2_freeze_timeout_ms is thawed again and is an
 * error. */
int cg_v2_freeze(const char *dir, bool frozen, hrun_error *err);
/* The "frozen" line of cgroup.events (its own freeze or an ancestor's):
 * 1, 0, or -1 with err. */
int cg_v2_events_frozen(const char *dir, hrun_error *err);
int cg_v2_is_frozen(const char *dir);
/* Replaces the device programs attached to dir by one built from the rules
 * (cgroup_devices_v2.c). */
int cg_v2_devices(const char *dir, const struct spec_resources *r, hrun_error *err);

/* Same files in both versions (cgroup_common.c). */
int cg_cpuset(const char *dir, const struct spec_resources *r, hrun_error *err);
int cg_pids_max(const char *dir, const struct spec_resources *r, hrun_error *err);
/* hugetlb.<size>.<limit_suffix>, and .<rsvd_suffix> where it exists. */
int cg_hugetlb(const char *dir, const struct spec_resources *r, const char *limit_suffix,
               const char *rsvd_suffix, hrun_error *err);
/* checkBeforeUpdate: usage_file is memory.usage_in_bytes or memory.current. */
int cg_check_memory(const char *dir, const struct spec_memory *m, const char *usage_file,
                    hrun_error *err);

/* ---- for tests -------------------------------------------------------- */

/* Forgets the cached cgroup_mode() (tests switch mount namespaces). */
void cg_mode_reset(void);

/* Where mountinfo and cgroup are read from: "/proc/self"; tests point it
 * at files of their own. */
extern const char *cg_proc_self;

/* How long a cgroup2 freeze may take: 5000 ms; tests shorten it. */
extern long cg_v2_freeze_timeout_ms;

/* The device program cg_v2_devices loads for a policy (malloc'ed,
 * *n_insns instructions), so that tests can run it on probes in
 * userspace. */
struct bpf_insn;
struct device_policy;
struct bpf_insn *cg_v2_device_program(const struct device_policy *pol, size_t *n_insns);

#endif
