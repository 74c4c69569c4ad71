#include "libcontainer/util/engine_errors.h"

#include <errno.h>

int err_no_container(hrun_error *err, const char *id)
{
  return err_set_kind(err, HRUN_ERR_NOT_FOUND, 0, "container %s does not exist", id);
}

int err_container_exists(hrun_error *err, const char *id)
{
  return err_set_kind(err, HRUN_ERR_EXISTS, 0, "container %s already exists", id);
}

int err_not_running(hrun_error *err, const char *id)
{
  return err_set_kind(err, HRUN_ERR_NOT_RUNNING, 0, "container %s: container not running", id);
}

int err_exec_not_found_in_path(hrun_error *err, const char *name)
{
  return err_set(err, 0, "exec: \"%s\": executable file not found in $PATH", name);
}

int err_exec_lookup(hrun_error *err, const char *name, int errnum, int stat_failed)
{
  if (stat_failed)
    return err_set(err, errnum, "exec: \"%s\": stat %s", name, name);
  return err_set(err, errnum, "exec: \"%s\"", name);
}
