/* The exit status of a failed command, by the kind of its error: the one
 * place that maps kinds to statuses. runc 1.1.5 and crun exit 1 on every
 * error (state, delete and kill of a missing id, a bundle without
 * config.json; crun's 64 for an unknown option is its own), engines only
 * tell 0 from not 0 there, and tests pin 1: so every kind is 1, and a kind
 * that ever needs a status of its own gets it here.
 *
 * The texts engines match are not in this table: each is composed with
 * the container's id ("container c1 does not exist"), so it is made, with
 * its kind, where the error arises, by libcontainer/util/engine_errors.c
 * (docs/engine-errors.md says which kind goes with which text).
 *
 * Not an error's status, so not here: `run` exits with its container's
 * status, `exec` with its process's and 255 when it fails (runc's, in
 * runtime/exec.c), --help and --version with 0. */
#include "runtime/cli.h"

static const int exit_status[HRUN_ERR_KIND_COUNT] = {
    [HRUN_ERR_OTHER] = 1,          [HRUN_ERR_NOT_FOUND] = 1,
    [HRUN_ERR_NOT_RUNNING] = 1,    [HRUN_ERR_EXISTS] = 1,
    [HRUN_ERR_PEER_GONE] = 1,      [HRUN_ERR_INVALID_CONFIG] = 1,
    [HRUN_ERR_WRONG_STATE] = 1,
};

int cli_exit_status(enum hrun_error_kind kind)
{
  if ((unsigned)kind >= HRUN_ERR_KIND_COUNT || exit_status[kind] == 0)
    return 1;
  return exit_status[kind];
}
