/* The container lifecycle, one operation per file (container_*.c). The CLI
 * in runtime/ is a thin layer of option parsing over these calls. */
#ifndef HRUN_CONTAINER_H
#define HRUN_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "libcontainer/util/error.h"
#include "libcontainer/state/state.h"

#define HRUN_DEFAULT_ROOT "/run/hrun"

struct oci_spec;
struct spec_resources;

/* Who makes the container's cgroup (--cgroup-manager, --systemd-cgroup). */
enum cgroup_manager {
  CGROUP_MANAGER_CGROUPFS,
  CGROUP_MANAGER_SYSTEMD,
  CGROUP_MANAGER_DISABLED, /* none: the container stays in the caller's (crun) */
};

/* Global options. */
struct hrun_context {
  const char *root; /* state root */
  enum cgroup_manager cgroup_manager;
};

struct create_options {
  const char *id;
  const char *bundle; /* NULL: the current directory */
  const char *config; /* NULL: config.json; relative: to the bundle */
  const char *pid_file;
  const char *console_socket;
  int preserve_fds;
  bool no_pivot;
  bool no_new_keyring;
  /* Hooks from outside config.json (hooks_inject.h): --hooks-dir,
   * --precreate-hook, --hook-spec. */
  char **hooks_dirs;
  size_t n_hooks_dirs;
  char **precreate_hooks;
  size_t n_precreate_hooks;
  const char *hook_spec;
  /* Not an option: a foreground `run` relays the terminal itself, so
   * process.terminal without console_socket is no error and the pty master
   * comes back in create_result.tty_master. */
  bool relay_terminal;
};

/* What create leaves for `run`: the init is the caller's child. */
struct create_result {
  pid_t pid;
  int pidfd;
  int tty_master; /* with relay_terminal and process.terminal, else -1 */
};

struct container_info {
  struct container_state state;
  enum container_status status;
};

/* The hook options of create (or of `hrun hooks`, which takes the same). */
struct hooks_inject_opts;
void hooks_inject_opts_of(const struct create_options *co, struct hooks_inject_opts *o);

int container_create(const struct hrun_context *ctx, const struct create_options *opts,
                     struct create_result *res, hrun_error *err);
int container_start(const struct hrun_context *ctx, const char *id, hrun_error *err);
int container_info(const struct hrun_context *ctx, const char *id,
                   struct container_info *info, hrun_error *err);
void container_info_free(struct container_info *info);
int container_kill(const struct hrun_context *ctx, const char *id, int sig, bool all,
                   hrun_error *err);
int container_delete(const struct hrun_context *ctx, const char *id, bool force,
                     hrun_error *err);
/* create + start (+ wait + delete unless detach). *exit_code gets the
 * process's exit status (128 + signal when killed). */
int container_run(const struct hrun_context *ctx, const struct create_options *opts,
                  bool detach, bool keep, int *exit_code, hrun_error *err);
/* exec: what to run, either a process JSON file or the command line with
 * the container's own process as the base (as runc does). */
struct exec_options {
  const char *id;
  const char *process_file; /* --process */
  char **args;              /* command and arguments, when no process file */
  int n_args;
  bool detach;
  bool tty;
  const char *console_socket;
  const char *pid_file;
  const char *cwd;
  char **env; /* -e VAR=VALUE, added to or replacing the base env */
  int n_env;
  const char *user; /* -u UID[:GID] */
  char **caps;      /* --cap CAP_X */
  int n_caps;
  char **additional_gids; /* -g GID */
  int n_additional_gids;
  char **cgroups; /* --cgroup [CONTROLLER:]PATH, below the container's */
  int n_cgroups;
  const char *apparmor;      /* --apparmor PROFILE */
  const char *process_label; /* --process-label LABEL (SELinux) */
  bool no_new_privs;
  bool ignore_paused;
  int preserve_fds;
};

/* *exit_code gets the process's exit status unless detached. */
int container_exec(const struct hrun_context *ctx, const struct exec_options *opts,
                   int *exit_code, hrun_error *err);

/* update: the limits to apply (only those set in res), and Intel RDT
 * schemata. */
struct update_request {
  struct spec_resources *res;
  const char *l3_cache_schema; /* --l3-cache-schema */
  const char *mem_bw_schema;   /* --mem-bw-schema */
};

int container_update(const struct hrun_context *ctx, const char *id,
                     const struct update_request *u, hrun_error *err);

int container_pause(const struct hrun_context *ctx, const char *id, hrun_error *err);
int container_resume(const struct hrun_context *ctx, const char *id, hrun_error *err);
/* The host pids of every process in the container's cgroup (malloc'ed). */
int container_pids(const struct hrun_context *ctx, const char *id, pid_t **pids, size_t *n,
                   hrun_error *err);

/* events: the container's stats every interval and its OOM kills, until
 * its init is gone. */
struct cgroup_stats;

enum container_event_type {
  CONTAINER_EVENT_STATS,
  CONTAINER_EVENT_OOM,
};

struct events_options {
  int64_t interval_ns; /* > 0 */
  bool stats_only;     /* one stats event, then return */
};

/* Called for each event; stats is NULL for an OOM. A negative return ends
 * the stream with that error. */
typedef int (*container_event_fn)(enum container_event_type type, const char *id,
                                  const struct cgroup_stats *stats, void *data,
                                  hrun_error *err);

/* Returns 0 when the container's init has gone (or, with stats_only, after
 * the one event); an error when the container does not exist or is
 * stopped already. */
int container_events(const struct hrun_context *ctx, const char *id,
                     const struct events_options *opts, container_event_fn fn, void *data,
                     hrun_error *err);

/* Every container under the root, sorted by id. */
int container_list(const struct hrun_context *ctx, struct container_info **list,
                   size_t *n, hrun_error *err);

/* An existing container, opened for one command. */
struct container_handle {
  int root_fd;
  int dir_fd; /* locked when opened with lock */
  struct container_state state;
};

/* Validates the id, opens (and locks) the container's dir and reads its
 * state; "container X does not exist" when there is none. */
int container_open(const struct hrun_context *ctx, const char *id, bool lock,
                   struct container_handle *h, hrun_error *err);
void container_close(struct container_handle *h);

/* container_open, and "container X is not running" unless its process
 * lives (created, running or paused). */
int container_open_alive(const struct hrun_context *ctx, const char *id, bool lock,
                         struct container_handle *h, hrun_error *err);

/* The config as create saw it (the copy in the state dir). */
int container_load_config(const struct container_handle *h, struct oci_spec **spec,
                          hrun_error *err);

/* delete's work, with h opened locked: kills what a killed runtime's hooks
 * left, every process of the container, waits for them, removes its
 * cgroup and its state dir, releases the lock (h->dir_fd is closed) and
 * runs the poststop hooks (from the config copy). */
int container_destroy(struct container_handle *h, hrun_error *err);

#endif
