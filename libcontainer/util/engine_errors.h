/* The error texts that container engines and shims match in a runtime's
 * output, each spelled as runc 1.1 spells it. Every text an engine looks
 * for is made here and nowhere else; docs/engine-errors.md lists which
 * engine matches which text, where, and what it does on a match, and
 * tests/integration/engine_errors.bats has a test per row. */
#ifndef HRUN_ENGINE_ERRORS_H
#define HRUN_ENGINE_ERRORS_H

#include "libcontainer/util/error.h"

/* "container X does not exist" (kind HRUN_ERR_NOT_FOUND). */
int err_no_container(hrun_error *err, const char *id);

/* "container X already exists" (kind HRUN_ERR_EXISTS). */
int err_container_exists(hrun_error *err, const char *id);

/* "container X: container not running" (kind HRUN_ERR_NOT_RUNNING). */
int err_not_running(hrun_error *err, const char *id);

/* Why process.args[0] cannot be executed, as Go's exec.LookPath says it:
 *   exec: "x": executable file not found in $PATH     (errnum 0)
 *   exec: "/x": stat /x: no such file or directory   (stat failed)
 *   exec: "/x": permission denied                    (not executable, a directory)
 * stat_failed tells the second form from the third. */
int err_exec_not_found_in_path(hrun_error *err, const char *name);
int err_exec_lookup(hrun_error *err, const char *name, int errnum, int stat_failed);

#endif
