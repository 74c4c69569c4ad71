#include "runtime/create_opts.h"

#include <errno.h>
#include <stdlib.h>

#include "runtime/cli.h"

static int parse_preserve_fds(const char *arg, int *out)
{
  char *end;
  long v;

  errno = 0;
  v = strtol(arg, &end, 10);
  if (errno || *end || v < 0 || v > 1 << 20) {
    cli_usage("--preserve-fds: \"%s\" is not a count of file descriptors", arg);
    return -1;
  }
  *out = (int)v;
  return 0;
}

int create_opt_handle(int c, const char *arg, struct create_options *opts)
{
  switch (c) {
  case CREATE_OPT_BUNDLE:
    opts->bundle = arg;
    return 1;
  case CREATE_OPT_PID_FILE:
    opts->pid_file = arg;
    return 1;
  case CREATE_OPT_CONSOLE_SOCKET:
    opts->console_socket = arg;
    return 1;
  case CREATE_OPT_NO_PIVOT:
    opts->no_pivot = true;
    return 1;
  case CREATE_OPT_NO_NEW_KEYRING:
    opts->no_new_keyring = true;
    return 1;
  case CREATE_OPT_PRESERVE_FDS:
    return parse_preserve_fds(arg, &opts->preserve_fds) < 0 ? -1 : 1;
  default:
    return 0;
  }
}
