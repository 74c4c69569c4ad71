/* config.json as typed C structs (runtime-spec 1.3.0, Linux).
 *
 * spec_parse() checks every type, required field and enum value while it
 * converts, so the rest of hrun never sees a malformed config; an error names
 * the JSON path ("process.user.uid: expected an unsigned integer"). All memory
 * of one spec lives in its arena and goes with spec_free(). Optional scalars
 * use opt_* so "absent" and "zero" stay distinct. */
#ifndef HRUN_SPEC_H
#define HRUN_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "libcontainer/util/error.h"

#define HRUN_SPEC_VERSION "1.3.0"

struct arena;

typedef struct {
  bool set;
  int64_t value;
} opt_i64;

typedef struct {
  bool set;
  uint64_t value;
} opt_u64;

typedef struct {
  bool set;
  bool value;
} opt_bool;

/* A string array; items is NULL-terminated (also when len == 0). */
struct spec_strv {
  char **items;
  size_t len;
};

struct spec_kv {
  char *key;
  char *value;
};

/* ---- hooks ---------------------------------------------------------- */

enum hook_stage {
  HOOK_PRESTART,
  HOOK_CREATE_RUNTIME,
  HOOK_CREATE_CONTAINER,
  HOOK_START_CONTAINER,
  HOOK_POSTSTART,
  HOOK_POSTSTOP,
  HOOK_STAGE_COUNT,
};

/* "prestart", "createRuntime", ... as spelled in config.json. */
extern const char *const hook_stage_names[HOOK_STAGE_COUNT];
/* The stage of that name, -1 when there is none. */
int spec_hook_stage(const char *name);

struct spec_hook {
  char *path;           /* absolute (validated) */
  struct spec_strv args; /* as given; len 0 when absent */
  bool has_env;
  struct spec_strv env;
  opt_i64 timeout;      /* seconds, > 0 when set (validated) */
};

struct spec_hooks {
  struct spec_hook *list[HOOK_STAGE_COUNT];
  size_t count[HOOK_STAGE_COUNT];
};

/* ---- process -------------------------------------------------------- */

struct spec_user {
  uint32_t uid;
  uint32_t gid;
  opt_u64 umask;
  uint32_t *additional_gids;
  size_t n_additional_gids;
  char *username;
};

struct spec_rlimit {
  int resource;     /* RLIMIT_* */
  const char *name; /* "RLIMIT_NOFILE" */
  uint64_t soft;
  uint64_t hard;
};

enum cap_set_kind {
  CAPSET_BOUNDING,
  CAPSET_EFFECTIVE,
  CAPSET_INHERITABLE,
  CAPSET_PERMITTED,
  CAPSET_AMBIENT,
  CAPSET_COUNT,
};

/* "bounding", "effective", ... as spelled in config.json. */
extern const char *const cap_set_names[CAPSET_COUNT];

struct spec_capabilities {
  uint64_t sets[CAPSET_COUNT]; /* bit n = capability number n */
};

/* process.ioPriority: ioprio_set(2) of the process. */
struct spec_io_priority {
  bool set;
  int klass;    /* IOPRIO_CLASS_RT (1), _BE (2), _IDLE (3) */
  int priority; /* 0-7 (validated) */
};

/* process.scheduler: sched_setattr(2) of the process (validated as the
 * kernel checks it, so that a mistake is named at create). */
struct spec_scheduler {
  bool set;
  uint32_t policy; /* SCHED_OTHER, SCHED_FIFO, ... (6 = SCHED_DEADLINE) */
  uint64_t flags;  /* SCHED_FLAG_* */
  int32_t nice;
  uint32_t priority;
  uint64_t runtime; /* SCHED_DEADLINE only, nanoseconds */
  uint64_t deadline;
  uint64_t period;
};

struct spec_process {
  bool terminal;
  opt_u64 console_height;
  opt_u64 console_width;
  struct spec_user user;
  struct spec_strv args; /* len >= 1 (validated) */
  struct spec_strv env;
  char *cwd; /* absolute (validated) */
  bool has_capabilities;
  struct spec_capabilities capabilities;
  struct spec_rlimit *rlimits;
  size_t n_rlimits;
  bool no_new_privileges;
  opt_i64 oom_score_adj;
  char *apparmor_profile;
  char *selinux_label;
  struct spec_io_priority io_priority;
  struct spec_scheduler scheduler;
};

/* ---- mounts --------------------------------------------------------- */

struct spec_id_mapping {
  uint32_t container_id;
  uint32_t host_id;
  uint32_t size;
};

struct spec_mount {
  char *destination;
  char *type;   /* may be NULL (bind mounts) */
  char *source; /* may be NULL */
  struct spec_strv options;
  struct spec_id_mapping *uid_mappings; /* idmapped mounts */
  size_t n_uid_mappings;
  struct spec_id_mapping *gid_mappings;
  size_t n_gid_mappings;
  /* Derived from options (see mountopts.h). */
  unsigned long flags;       /* MS_* to set */
  unsigned long clear_flags; /* MS_* asked to be cleared ("rw", "suid", ...) */
  unsigned long propagation; /* MS_SHARED/MS_SLAVE/MS_PRIVATE/MS_UNBINDABLE [|MS_REC], 0 = none */
  uint64_t attr_set;         /* MOUNT_ATTR_* applied recursively ("rro", ...) */
  uint64_t attr_clr;
  char *data; /* filesystem options joined with ',' (NULL when none) */
  bool is_bind;
  bool is_recursive_bind;
  /* An idmapped bind ("idmap", "ridmap" or uidMappings/gidMappings given);
   * without mappings of its own it takes the container's user namespace. */
  bool idmap;
  bool idmap_recursive; /* "ridmap": every mount of the tree is idmapped */
};

struct spec_root {
  char *path;
  bool readonly;
};

/* ---- linux ---------------------------------------------------------- */

struct spec_namespace {
  int type;   /* CLONE_NEWPID, CLONE_NEWNET, ... */
  char *path; /* NULL: create a new one */
};

struct spec_device {
  char type; /* 'c', 'b', 'u' (same as 'c') or 'p' */
  char *path;
  int64_t major;
  int64_t minor;
  opt_u64 file_mode;
  opt_u64 uid;
  opt_u64 gid;
};

struct spec_device_rule {
  bool allow;
  char type;     /* 'a', 'c' or 'b' */
  int64_t major; /* -1 = any */
  int64_t minor; /* -1 = any */
  char access[4]; /* subset of "rwm", "" = all */
  bool builtin;   /* one of runc's defaults (device_rules.c), not from the config */
};

struct spec_memory {
  opt_i64 limit;
  opt_i64 reservation;
  opt_i64 swap;
  opt_i64 kernel;
  opt_i64 kernel_tcp;
  opt_u64 swappiness;
  opt_bool disable_oom_killer;
  opt_bool use_hierarchy;
  opt_bool check_before_update;
};

struct spec_cpu {
  opt_u64 shares;
  opt_i64 quota;
  opt_u64 burst;
  opt_u64 period;
  opt_i64 realtime_runtime;
  opt_u64 realtime_period;
  char *cpus;
  char *mems;
  opt_i64 idle;
};

struct spec_pids {
  opt_i64 limit;
};

struct spec_weight_device {
  int64_t major;
  int64_t minor;
  opt_u64 weight;
  opt_u64 leaf_weight;
};

struct spec_throttle_device {
  int64_t major;
  int64_t minor;
  uint64_t rate;
};

enum blkio_throttle_kind {
  THROTTLE_READ_BPS,
  THROTTLE_WRITE_BPS,
  THROTTLE_READ_IOPS,
  THROTTLE_WRITE_IOPS,
  THROTTLE_KIND_COUNT,
};

struct spec_blkio {
  opt_u64 weight;
  opt_u64 leaf_weight;
  struct spec_weight_device *weight_devices;
  size_t n_weight_devices;
  struct spec_throttle_device *throttle[THROTTLE_KIND_COUNT];
  size_t n_throttle[THROTTLE_KIND_COUNT];
};

struct spec_hugepage_limit {
  char *page_size; /* "2MB" */
  uint64_t limit;
};

struct spec_net_priority {
  char *name;
  uint32_t priority;
};

struct spec_network {
  opt_u64 class_id;
  struct spec_net_priority *priorities;
  size_t n_priorities;
};

struct spec_resources {
  struct spec_device_rule *devices;
  size_t n_devices;
  bool has_memory;
  struct spec_memory memory;
  bool has_cpu;
  struct spec_cpu cpu;
  bool has_pids;
  struct spec_pids pids;
  bool has_block_io;
  struct spec_blkio block_io;
  struct spec_hugepage_limit *hugepage_limits;
  size_t n_hugepage_limits;
  bool has_network;
  struct spec_network network;
  struct spec_kv *unified;
  size_t n_unified;
};

enum seccomp_action_kind {
  SECCOMP_ACTION_KILL,
  SECCOMP_ACTION_KILL_PROCESS,
  SECCOMP_ACTION_KILL_THREAD,
  SECCOMP_ACTION_TRAP,
  SECCOMP_ACTION_ERRNO,
  SECCOMP_ACTION_TRACE,
  SECCOMP_ACTION_ALLOW,
  SECCOMP_ACTION_LOG,
  SECCOMP_ACTION_NOTIFY,
};

enum seccomp_op_kind {
  SECCOMP_OP_NOT_EQUAL,
  SECCOMP_OP_LESS_THAN,
  SECCOMP_OP_LESS_EQUAL,
  SECCOMP_OP_EQUAL_TO,
  SECCOMP_OP_GREATER_EQUAL,
  SECCOMP_OP_GREATER_THAN,
  SECCOMP_OP_MASKED_EQUAL,
};

struct spec_seccomp_arg {
  uint32_t index;
  uint64_t value;
  uint64_t value_two;
  enum seccomp_op_kind op;
};

struct spec_seccomp_syscall {
  struct spec_strv names; /* len >= 1 (validated) */
  enum seccomp_action_kind action;
  opt_u64 errno_ret;
  struct spec_seccomp_arg *args;
  size_t n_args;
};

struct spec_seccomp {
  enum seccomp_action_kind default_action;
  opt_u64 default_errno_ret;
  struct spec_strv architectures; /* "SCMP_ARCH_X86_64", ... (validated) */
  struct spec_strv flags;         /* "SECCOMP_FILTER_FLAG_LOG", ... (validated) */
  char *listener_path;
  char *listener_metadata;
  struct spec_seccomp_syscall *syscalls;
  size_t n_syscalls;
};

struct spec_time_offset {
  bool set;
  int64_t secs;
  uint32_t nanosecs;
};

/* linux.netDevices: the host interface host_name moves into the
 * container's network namespace, renamed to name (NULL: kept). */
struct spec_net_device {
  char *host_name;
  char *name;
};

/* linux.intelRdt (resctrl). */
struct spec_intel_rdt {
  char *clos_id; /* NULL: the container id names the group */
  char *l3_cache_schema;
  char *mem_bw_schema;
  struct spec_strv schemata; /* runtime-spec 1.3: whole schemata lines */
  bool enable_monitoring;    /* also enableCMT / enableMBM (1.0-1.2) */
};

/* linux.memoryPolicy: set_mempolicy(2) of the container's processes. */
#define SPEC_MAX_NUMA_NODES 1024
struct spec_memory_policy {
  bool set;
  int mode;       /* MPOL_DEFAULT, MPOL_BIND, ... */
  unsigned flags; /* MPOL_F_STATIC_NODES, ... */
  char *nodes;    /* as written ("0-3,7"), NULL when absent */
  uint64_t mask[SPEC_MAX_NUMA_NODES / 64];
  int max_node; /* highest node in mask, -1 when none */
};

struct spec_linux {
  struct spec_namespace *namespaces;
  size_t n_namespaces;
  struct spec_id_mapping *uid_mappings;
  size_t n_uid_mappings;
  struct spec_id_mapping *gid_mappings;
  size_t n_gid_mappings;
  struct spec_device *devices;
  size_t n_devices;
  char *cgroups_path;
  bool has_resources;
  struct spec_resources resources;
  struct spec_kv *sysctl;
  size_t n_sysctl;
  struct spec_strv masked_paths;
  struct spec_strv readonly_paths;
  unsigned long rootfs_propagation; /* MS_* | MS_REC, 0 when absent */
  char *mount_label;
  struct spec_seccomp *seccomp; /* NULL when absent */
  struct spec_time_offset time_monotonic;
  struct spec_time_offset time_boottime;
  opt_u64 personality; /* PER_LINUX or PER_LINUX32 */
  struct spec_net_device *net_devices;
  size_t n_net_devices;
  struct spec_intel_rdt *intel_rdt; /* NULL when absent */
  struct spec_memory_policy *memory_policy; /* NULL when absent */
};

/* ---- the whole config ----------------------------------------------- */

struct oci_spec {
  struct arena *arena;
  char *oci_version;
  struct spec_root root;
  struct spec_mount *mounts;
  size_t n_mounts;
  struct spec_process *process; /* NULL when absent (create allows it, start refuses) */
  char *hostname;
  char *domainname;
  struct spec_hooks hooks;
  struct spec_kv *annotations;
  size_t n_annotations;
  struct spec_linux linux_cfg; /* not "linux": gnu11 predefines that macro */
};

/* Parses and validates config.json text. */
int spec_parse(const char *text, size_t len, struct oci_spec **out, hrun_error *err);
/* Reads and parses a file; errors are prefixed with the file's base name
 * ("config.json: process.args must not be empty"). */
int spec_load(const char *path, struct oci_spec **out, hrun_error *err);
void spec_free(struct oci_spec *spec);

/* A process object alone (for `exec --process`): same checks as
 * config.json's "process", allocated in arena. */
int spec_parse_process(const char *text, size_t len, struct arena *arena,
                       struct spec_process **out, hrun_error *err);

/* A linux.resources object alone (for `update --resources`); errors name
 * paths from its top ("memory.limit: expected an integer"). */
int spec_parse_resources(const char *text, size_t len, struct arena *arena,
                         struct spec_resources **out, hrun_error *err);

/* The namespace entry of that CLONE_NEW* type, or NULL. */
const struct spec_namespace *spec_namespace(const struct oci_spec *spec, int type);

/* "pid", "network", ... <-> CLONE_NEW*; -1 / NULL when unknown. */
int spec_namespace_type(const char *name);
const char *spec_namespace_name(int type);

#endif
