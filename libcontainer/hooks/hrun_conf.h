/* hrun's own configuration file, for what an engine has no flag to pass
 * (the containerd shim passes none): JSON, by default /etc/hrun/hrun.json,
 * HRUN_CONFIG names another (tests, a second installation). A missing file
 * configures nothing. Members (man/hrun-hooks.5):
 *   "hooksDirs": ["/etc/hrun/hooks.d", ...]   oci-hooks(5) directories
 *   "precreateHooks": [{"path": ..., "args": ..., "timeout": ...}, ...] */
#ifndef HRUN_HRUN_CONF_H
#define HRUN_HRUN_CONF_H

#include <stdbool.h>
#include <stddef.h>

#include "libcontainer/util/error.h"
#include "libcontainer/spec/spec.h"

#define HRUN_CONF_DEFAULT "/etc/hrun/hrun.json"
#define HRUN_CONF_ENV "HRUN_CONFIG"

struct hrun_conf {
  struct arena *arena;
  const char *path; /* the file read (or that would have been) */
  bool found;
  struct spec_strv hooks_dirs;
  struct spec_hook *precreate;
  size_t n_precreate;
};

/* Errors name the file and the member: "/etc/hrun/hrun.json: hooksDirs[0]
 * must be an absolute path". */
int hrun_conf_load(struct hrun_conf *conf, hrun_error *err);
void hrun_conf_free(struct hrun_conf *conf);

#endif
