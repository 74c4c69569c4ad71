/* The last step of the init: find process.args[0] and execve it. */
#ifndef HRUN_EXEC_H
#define HRUN_EXEC_H

#include "libcontainer/util/error.h"

struct spec_process;

/* Finds args[0] as execvp would, in the PATH of process.env (the default
 * PATH when it has none), checked with the process's final credentials. */
int exec_resolve(const struct spec_process *proc, char **path, hrun_error *err);

/* process.env plus HOME (from the container's /etc/passwd, else "/") when
 * the config does not set it, as runc does. NULL-terminated, malloc'ed;
 * NULL with err when /etc/passwd could not be read. */
char **exec_build_env(const struct spec_process *proc, hrun_error *err);

#endif
