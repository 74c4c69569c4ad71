/* OCI hooks: one stage at a time, each hook with its own sealed copy of the
 * container state JSON on stdin, its own process group, the tails of its
 * output kept, its timeout enforced, and what it leaves running killed when
 * it or its stage fails. Where each stage runs and what it may do on
 * failure is the caller's part (see the table in README.md and
 * man/hrun-hooks.5). */
#ifndef HRUN_HOOKS_H
#define HRUN_HOOKS_H

#include <stdbool.h>
#include <sys/types.h>

#include "libcontainer/util/error.h"
#include "libcontainer/spec/spec.h"

/* What one hook did; sent over the sync channels by the init so that the
 * runtime process can log it, hence the fixed-size path. */
struct hook_report {
  int stage;  /* enum hook_stage */
  int index;  /* position in hooks.<stage> */
  int exit_code; /* -1 when killed by a signal or never started */
  int signal;
  int timed_out;
  long long duration_us;
  char path[512];
};

typedef void (*hook_report_fn)(const struct hook_report *report, void *data);

struct hook_run {
  const char *id;
  const char *bundle; /* absolute */
  pid_t pid;          /* the state's pid; ignored for poststop */
  /* Environment of hooks without "env": the runtime's own, or the
   * process's for startContainer. */
  char *const *default_env;
  /* The state dir where each runtime hook's process group is recorded
   * while it runs (hook_groups.h), or NULL. */
  const int *record_dir;
  /* Called once per hook when debug logging is on; NULL logs directly. */
  hook_report_fn report;
  void *report_data;
};

/* "created", "running" or "stopped": the status a stage's hooks see in the
 * state (never "creating", lifecycle step 2, which no hook runs in). */
const char *hooks_stage_status(enum hook_stage stage);

/* Runs the stage's hooks in order. The first failing hook fails the stage,
 * with an error naming hooks.<stage>[i], its path, its exit status or
 * signal and the tail of its stderr — except poststop, where a failure is a
 * warning and every hook still runs. Processes a failing hook, or any hook
 * of a failing stage, left behind are killed and reaped before it returns
 * (hook_reaper.h). A stage without hooks costs nothing. */
int hooks_run_stage(const struct oci_spec *spec, enum hook_stage stage,
                    const struct hook_run *run, hrun_error *err);

/* poststop after the container is gone: warnings only, never fails. */
void hooks_run_poststop(const struct oci_spec *spec, const char *id, const char *bundle);

struct hook_outcome;

/* The error of a hook that failed (a non-zero exit, a signal, its timeout):
 * "<name> (<path>) failed: exit status 3: <the end of its stderr>". */
int hooks_outcome_error(const char *name, const char *path, long long timeout,
                        const struct hook_outcome *o, hrun_error *err);

/* Logs a report (debug level; fields stage, index, path, duration, status). */
void hooks_log_report(const struct hook_report *report);

#endif
