/* What a container's cgroup reports: its resource usage (the numbers runc's
 * `events` prints, read from the v1 or v2 controller files) and its OOM
 * kills (a pollable source). A controller or file this host does not have
 * leaves its numbers at zero; only an unreadable or malformed file is an
 * error. */
#ifndef HRUN_CGROUP_STATS_H
#define HRUN_CGROUP_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "libcontainer/cgroups/cgroup.h"
#include "libcontainer/util/error.h"

struct json_writer;

struct cgroup_u64_list {
  uint64_t *v;
  size_t n;
};

/* One of memory, memory+swap, kernel or kernel TCP memory, in bytes. */
struct cgroup_mem_data {
  uint64_t usage, max, failcnt, limit;
};

/* A line of a blkio file or one op of an io.stat line. */
struct cgroup_blkio_entry {
  uint64_t major, minor, value;
  char op[16]; /* "Read", "Write", "Sync", "Async", "Discard", "Total" or "" */
};

/* runc's tables, in its order. */
enum cgroup_blkio_table {
  BLKIO_SERVICE_BYTES,
  BLKIO_SERVICED,
  BLKIO_QUEUED,
  BLKIO_SERVICE_TIME,
  BLKIO_WAIT_TIME,
  BLKIO_MERGED,
  BLKIO_TIME,
  BLKIO_SECTORS,
  BLKIO_N_TABLES,
};

struct cgroup_hugetlb_stat {
  char *size; /* "2MB", as the kernel names the files */
  uint64_t usage, max, failcnt;
};

struct cgroup_kv {
  char *key;
  uint64_t value;
};

struct cgroup_stats {
  struct {
    uint64_t total, kernel, user; /* ns */
    struct cgroup_u64_list percpu, percpu_kernel, percpu_user;
    uint64_t periods, throttled_periods, throttled_time;
  } cpu;
  struct {
    struct cgroup_u64_list cpus, mems;
    uint64_t cpu_exclusive, mem_hardwall, mem_exclusive, memory_migrate, memory_spread_page,
        memory_spread_slab, memory_pressure, sched_load_balance;
    int64_t sched_relax_domain_level;
  } cpuset;
  struct {
    uint64_t cache;
    struct cgroup_mem_data usage, swap, kernel, kernel_tcp;
    struct cgroup_kv *raw; /* memory.stat, sorted by key */
    size_t n_raw;
  } memory;
  struct {
    uint64_t current, limit; /* limit 0: none */
  } pids;
  struct {
    struct cgroup_blkio_entry *e;
    size_t n;
  } blkio[BLKIO_N_TABLES];
  struct cgroup_hugetlb_stat *hugetlb; /* sorted by size name */
  size_t n_hugetlb;
};

/* Reads every controller of p: from its v1 hierarchy, or from the cgroup2
 * directory (pure v2, or a hybrid host's controller that no v1 hierarchy
 * has). The conversions are runc 1.1's: v2 microseconds become ns, v2 swap
 * is reported with memory added (v1's memsw), an unlimited pids.max is 0. */
int cgroup_stats_read(const struct cgroup_paths *p, struct cgroup_stats *s, hrun_error *err);
void cgroup_stats_free(struct cgroup_stats *s);

/* runc's types.Stats object (the "data" of a stats event), with runc's
 * keys and omissions; intel_rdt is {} and network_interfaces null. */
void cgroup_stats_to_json(struct json_writer *w, const struct cgroup_stats *s);

/* OOM kills of the container's cgroup: v1 an eventfd registered on
 * memory.oom_control, v2 inotify on memory.events (its oom_kill counter).
 * fd is -1 when there is no memory controller to watch. */
struct cgroup_oom_watch {
  int fd;       /* poll it for POLLIN */
  int event_fd; /* v1: memory.oom_control, kept open while registered */
  char *dir;    /* the memory controller's directory */
  uint64_t oom_kills; /* v2: the counter as last seen */
  enum cgroup_mode mode;
};

int cgroup_oom_watch_open(const struct cgroup_paths *p, struct cgroup_oom_watch *w,
                          hrun_error *err);
/* Never blocks: 1 when the cgroup had an OOM since the last call, else 0.
 * Once the cgroup is gone the watch closes itself (fd -1). */
int cgroup_oom_watch_read(struct cgroup_oom_watch *w, hrun_error *err);
void cgroup_oom_watch_close(struct cgroup_oom_watch *w);

#endif
