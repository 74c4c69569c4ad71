#include "runtime/create_opts.h"

#include "libcontainer/util/arena.h"
#include "runtime/cli.h"

static void append(char ***list, size_t *n, const char *arg)
{
  *list = xrealloc(*list, (*n + 2) * sizeof(char *));
  (*list)[(*n)++] = (char *)arg;
  (*list)[*n] = NULL;
}

int create_opt_handle(int c, const char *arg, struct create_options *opts)
{
  switch (c) {
  case CREATE_OPT_BUNDLE:
    opts->bundle = arg;
    return 1;
  case CREATE_OPT_CONFIG:
    opts->config = arg;
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
    return cli_parse_fd_count(arg, &opts->preserve_fds) < 0 ? -1 : 1;
  case CREATE_OPT_NO_SUBREAPER:
    return 1;
  case CREATE_OPT_HOOKS_DIR:
    append(&opts->hooks_dirs, &opts->n_hooks_dirs, arg);
    return 1;
  case CREATE_OPT_PRECREATE_HOOK:
    append(&opts->precreate_hooks, &opts->n_precreate_hooks, arg);
    return 1;
  case CREATE_OPT_HOOK_SPEC:
    opts->hook_spec = arg;
    return 1;
  default:
    return 0;
  }
}
