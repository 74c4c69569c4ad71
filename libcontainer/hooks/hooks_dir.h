/* oci-hooks(5) directories (the format of containers/common pkg/hooks, read
 * by podman and CRI-O): JSON files that say which hook to add to which
 * stages of which containers. hrun reads them itself (--hooks-dir, the
 * configuration file), matches their `when` conditions in-process, so a
 * file that does not match costs no fork, and appends the hooks that match
 * after the config's own (hooks_inject.h). man/hrun-hooks.5 has the
 * format and where hrun differs from pkg/hooks. */
#ifndef HRUN_HOOKS_DIR_H
#define HRUN_HOOKS_DIR_H

#include <stdbool.h>
#include <stddef.h>

#include "libcontainer/util/error.h"
#include "libcontainer/spec/spec.h"

/* The stages a file may name: the six of the runtime-spec, then precreate
 * (hooks_precreate.h). */
#define HOOKD_PRECREATE HOOK_STAGE_COUNT
#define HOOKD_STAGE_COUNT (HOOK_STAGE_COUNT + 1)

/* "prestart", ..., "poststop", "precreate". */
const char *hookd_stage_name(int stage);

/* An annotation condition: some annotation's key matches key and its value
 * matches value. */
struct hookd_annotation {
  const char *key, *value; /* the expressions */
};

struct hookd_when {
  opt_bool always;
  opt_bool has_bind_mounts;
  struct hookd_annotation *annotations;
  size_t n_annotations;
  const char **commands;
  size_t n_commands;
  /* 0.1.0 files: any condition that holds is enough; 1.0.0: all must. */
  bool any;
};

struct hookd_file {
  char *name; /* the file name, the key of masking and of the order */
  char *path; /* dir/name */
  const char *version; /* "1.0.0" or "0.1.0" */
  struct spec_hook hook;
  struct hookd_when when;
  unsigned stages;   /* 1 << stage for each stage listed (prestart: see
                      * hookd_target_stage) */
  char *masked_by;   /* the path of the file of the same name that masks it */
};

/* The files of some directories, in one arena. Expressions are checked
 * when a file is read but kept as text: compiled ones hold 4 KiB each of
 * fresh heap, whose page faults cost a create more than compiling again
 * the few that a match evaluates (hooks_match.c). */
struct hookd_set {
  struct arena *arena;
  struct hookd_file *files; /* in effect, sorted by name (case-folded) */
  size_t n;
  struct hookd_file *masked; /* not parsed: only name, path, masked_by */
  size_t n_masked;
};

void hookd_set_init(struct hookd_set *set);
void hookd_set_free(struct hookd_set *set);

/* Parses one file's text into out (its name and path set by the caller).
 * Errors name the field: "when.commands[0]: invalid regular expression
 * \"(\": ...", "stages[1]: unknown stage \"prestop\"", "version: ...". The
 * hook's path must exist, as pkg/hooks checks. */
int hookd_parse(struct hookd_set *set, const char *text, size_t len, struct hookd_file *out,
                hrun_error *err);

/* Reads the *.json files of dirs in order: a file masks the earlier ones of
 * the same name; a missing directory is skipped. An error names the file:
 * "/etc/hrun/hooks.d/10-x.json: hook.path: is required". */
int hookd_load(struct hookd_set *set, char *const *dirs, size_t n_dirs, hrun_error *err);

/* Whether the file's `when` holds for this config. why (when not NULL)
 * gets the reason on one line: the condition that decided. */
bool hookd_match(const struct hookd_file *f, const struct oci_spec *spec, char *why,
                 size_t size);

/* The stage a matched file's hook is added to for stage s (prestart:
 * createRuntime, as pkg/hooks does). */
int hookd_target_stage(int s);

#endif
