/* Options shared by create and run. */
#ifndef HRUN_CREATE_OPTS_H
#define HRUN_CREATE_OPTS_H

#include "libcontainer/container/container.h"
#include "runtime/options.h"

enum {
  CREATE_OPT_BUNDLE = 'b',
  CREATE_OPT_CONFIG = 'f',
  CREATE_OPT_PID_FILE = 300,
  CREATE_OPT_CONSOLE_SOCKET,
  CREATE_OPT_NO_PIVOT,
  CREATE_OPT_NO_NEW_KEYRING,
  CREATE_OPT_PRESERVE_FDS,
  CREATE_OPT_NO_SUBREAPER,
  CREATE_OPT_HOOKS_DIR,
  CREATE_OPT_PRECREATE_HOOK,
  CREATE_OPT_HOOK_SPEC,
};

#define CREATE_OPTIONS                                                                   \
  {CREATE_OPT_BUNDLE, "bundle", 'b', "DIR", "the bundle (default: the current directory)", 0}, \
  {CREATE_OPT_CONFIG, "config", 'f', "FILE",                                             \
   "the config file (default: config.json in the bundle)", 0},                           \
  {CREATE_OPT_PID_FILE, "pid-file", 0, "FILE", "write the init's pid to FILE", 0},       \
  {CREATE_OPT_CONSOLE_SOCKET, "console-socket", 0, "PATH",                               \
   "send the pty master to this unix socket (process.terminal)", 0},                     \
  {CREATE_OPT_NO_PIVOT, "no-pivot", 0, NULL, "move the rootfs to / and chroot instead of pivot_root", 0}, \
  {CREATE_OPT_NO_NEW_KEYRING, "no-new-keyring", 0, NULL,                                 \
   "keep the caller's session keyring", 0},                                              \
  {CREATE_OPT_PRESERVE_FDS, "preserve-fds", 0, "N",                                      \
   "pass fds 3 to 3+N-1 to the container", 0},                                           \
  {CREATE_OPT_NO_SUBREAPER, "no-subreaper", 0, NULL,                                     \
   "accepted (crun): hrun is a subreaper only while hooks run", 0},                    \
  {CREATE_OPT_HOOKS_DIR, "hooks-dir", 0, "DIR",                                          \
   "add matching hooks of this oci-hooks(5) directory (hrun-hooks(5))", CLI_OPT_REPEAT}, \
  {CREATE_OPT_PRECREATE_HOOK, "precreate-hook", 0, "PATH",                               \
   "filter the config through this program before create", CLI_OPT_REPEAT},             \
  {CREATE_OPT_HOOK_SPEC, "hook-spec", 0, "FILE",                                         \
   "add the hooks of this JSON file (checked as iSulad does)", 0}

/* Handles one create option; 1 when c was one, 0 when not, -1 on error. */
int create_opt_handle(int c, const char *arg, struct create_options *opts);

#endif
