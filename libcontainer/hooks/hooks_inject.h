/* Hooks from outside config.json, put together for create (and shown by
 * `hrun hooks`): precreate filters, oci-hooks(5) directories, --hook-spec.
 * Nothing here runs unless configured: no directory, no precreate hook and
 * no hook spec cost one stat of the configuration file. */
#ifndef HRUN_HOOKS_INJECT_H
#define HRUN_HOOKS_INJECT_H

#include <stdbool.h>
#include <stddef.h>

#include "libcontainer/util/error.h"
#include "libcontainer/hooks/hooks_dir.h"
#include "libcontainer/hooks/hooks_merge.h"
#include "libcontainer/hooks/hooks_precreate.h"
#include "libcontainer/hooks/hrun_conf.h"
#include "libcontainer/spec/spec.h"

/* A container whose config has this annotation set to "off" gets no hook
 * from hook directories (podman, which adds them itself, may set it). */
#define HOOKS_DIRS_ANNOTATION "run.oci.hrun.hooks-dirs"

/* What the command line adds. */
struct hooks_inject_opts {
  char *const *hooks_dirs; /* --hooks-dir, after the configuration file's */
  size_t n_hooks_dirs;
  char *const *precreate; /* --precreate-hook PATH */
  size_t n_precreate;
  const char *hook_spec;  /* --hook-spec */
};



struct hooks_sources {
  struct hrun_conf conf;
  struct arena *arena;
  char **dirs; /* the configuration file's, then --hooks-dir's */
  size_t n_dirs;
  bool opted_out; /* the annotation says off */
  struct hookd_set set;
  struct precreate_hook *precreate; /* directories', the file's, the flags' */
  size_t n_precreate;
  size_t n_precreate_dirs; /* the first ones come from directories */
  struct spec_hooks spec_hooks; /* --hook-spec */
};

bool hooks_inject_configured(const struct hooks_sources *s, const struct hooks_inject_opts *o);

/* Reads the configuration file: which directories and precreate hooks. */
int hooks_sources_open(struct hooks_sources *s, const struct hooks_inject_opts *o,
                       hrun_error *err);
/* Then the directories (unless spec opts out) and the hook spec; precreate
 * hooks of directories are matched against spec. */
int hooks_sources_load(struct hooks_sources *s, const struct hooks_inject_opts *o,
                       const struct oci_spec *spec, hrun_error *err);
void hooks_sources_free(struct hooks_sources *s);

/* The hooks directories and the hook spec add to spec's stages. */
void hooks_sources_extra(const struct hooks_sources *s, const struct oci_spec *spec,
                         struct hooks_extra *x);

/* create: *text (config.json's, malloc'ed) becomes the config to use:
 * filtered by the precreate hooks, with the hooks of the directories
 * (matched against the filtered config) and of the hook spec appended.
 * Unchanged when nothing is configured. An error in config.json itself is
 * prefixed with name. *parsed is the final text's parsed config when one
 * was parsed on the way (saves create a second parse), else NULL. */
int hooks_inject(const struct hooks_inject_opts *o, const char *name, char **text,
                 size_t *len, struct oci_spec **parsed, hrun_error *err);

#endif
