/* exec [options] ID [COMMAND [ARG...]] */
#include <getopt.h>
#include <stdlib.h>

#include "runtime/cli.h"

enum {
  OPT_PROCESS = 'p',
  OPT_DETACH = 'd',
  OPT_TTY = 't',
  OPT_ENV = 'e',
  OPT_USER = 'u',
  OPT_PID_FILE = 500,
  OPT_CONSOLE_SOCKET,
  OPT_CWD,
  OPT_CAP,
  OPT_NO_NEW_PRIVS,
  OPT_PRESERVE_FDS,
};

static const struct option exec_options_table[] = {
    {"process", required_argument, NULL, OPT_PROCESS},
    {"detach", no_argument, NULL, OPT_DETACH},
    {"tty", no_argument, NULL, OPT_TTY},
    {"env", required_argument, NULL, OPT_ENV},
    {"user", required_argument, NULL, OPT_USER},
    {"pid-file", required_argument, NULL, OPT_PID_FILE},
    {"console-socket", required_argument, NULL, OPT_CONSOLE_SOCKET},
    {"cwd", required_argument, NULL, OPT_CWD},
    {"cap", required_argument, NULL, OPT_CAP},
    {"no-new-privs", no_argument, NULL, OPT_NO_NEW_PRIVS},
    {"preserve-fds", required_argument, NULL, OPT_PRESERVE_FDS},
    {0},
};

/* Repeatable options collect into argv-style lists (they point into argv). */
static void push(char ***list, int *n, char *item)
{
  *list = realloc(*list, sizeof(char *) * (*n + 1));
  (*list)[(*n)++] = item;
}

static int handle_option(int c, struct exec_options *o)
{
  switch (c) {
  case OPT_PROCESS: o->process_file = optarg; break;
  case OPT_DETACH: o->detach = true; break;
  case OPT_TTY: o->tty = true; break;
  case OPT_ENV: push(&o->env, &o->n_env, optarg); break;
  case OPT_USER: o->user = optarg; break;
  case OPT_PID_FILE: o->pid_file = optarg; break;
  case OPT_CONSOLE_SOCKET: o->console_socket = optarg; break;
  case OPT_CWD: o->cwd = optarg; break;
  case OPT_CAP: push(&o->caps, &o->n_caps, optarg); break;
  case OPT_NO_NEW_PRIVS: o->no_new_privs = true; break;
  case OPT_PRESERVE_FDS: return cli_parse_fd_count(optarg, &o->preserve_fds);
  default: return -1;
  }
  return 0;
}

int cmd_exec(struct cli *cli, int argc, char **argv)
{
  struct exec_options o = {0};
  hrun_error err;
  int c, code, r = 1;

  /* "+": options stop at the id; what follows is the command's own. */
  while ((c = getopt_long(argc, argv, "+p:dte:u:", exec_options_table, NULL)) != -1)
    if (handle_option(c, &o) < 0)
      goto out;
  if (cli_expect_args(argc - optind, 1, -1, "exec [options] ID [COMMAND [ARG...]]"))
    goto out;
  o.id = argv[optind];
  o.args = argv + optind + 1;
  o.n_args = argc - optind - 1;
  if (container_exec(&cli->ctx, &o, &code, &err) < 0) {
    cli_fail(&err);
    r = 255; /* runc's status for a failed exec, which callers know */
  } else {
    r = code;
  }
out:
  free(o.env);
  free(o.caps);
  return r;
}
