/* --hook-spec FILE (as iSulad): a JSON object of stages -> hook arrays that
 * create or run adds to the config's hooks, after its own and after those
 * of hook directories. The file and every hook in it are checked as iSulad
 * does, because the caller may be less trusted than the hook binaries: the
 * file's path absolute, a regular file of at most 10 MB; each hook path
 * absolute, existing, a regular executable file owned by root and
 * writable by no one else; each timeout > 0. */
#ifndef HRUN_HOOK_SPEC_H
#define HRUN_HOOK_SPEC_H

#include "libcontainer/util/error.h"
#include "libcontainer/spec/spec.h"

#define HOOK_SPEC_MAX (10 << 20)

struct arena;

/* Errors: "--hook-spec /x/h.json: poststop[0].path: /bin/x is writable by
 * its group or others". */
int hook_spec_load(const char *path, struct arena *arena, struct spec_hooks *out,
                   hrun_error *err);

#endif
