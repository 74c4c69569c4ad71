/* exec [options] ID [COMMAND [ARG...]] */
#include <stdlib.h>
#include <string.h>

#include "runtime/cli.h"

enum {
  OPT_PROCESS = 'p',
  OPT_DETACH = 'd',
  OPT_TTY = 't',
  OPT_ENV = 'e',
  OPT_USER = 'u',
  OPT_ADDITIONAL_GIDS = 'g',
  OPT_PID_FILE = 500,
  OPT_CONSOLE_SOCKET,
  OPT_CWD,
  OPT_CAP,
  OPT_NO_NEW_PRIVS,
  OPT_PRESERVE_FDS,
  OPT_IGNORE_PAUSED,
  OPT_CGROUP,
  OPT_APPARMOR,
  OPT_PROCESS_LABEL,
};

static const struct cli_opt exec_opts[] = {
    {OPT_PROCESS, "process", 'p', "FILE", "the process to run, as process JSON (a runtime-spec "
                                          "process object)", 0},
    {OPT_DETACH, "detach", 'd', NULL, "do not wait for the process", 0},
    {OPT_TTY, "tty", 't', "BOOL", "give the process a pty (crun: --tty=false is none)",
     CLI_OPT_OPTIONAL},
    {OPT_CONSOLE_SOCKET, "console-socket", 0, "PATH",
     "send the pty master to this unix socket (with -t)", 0},
    {OPT_PID_FILE, "pid-file", 0, "FILE", "write the process's pid to FILE", 0},
    {OPT_ENV, "env", 'e', "NAME=VALUE", "set an environment variable", CLI_OPT_REPEAT},
    {OPT_USER, "user", 'u', "UID[:GID]", "run as this user", 0},
    {OPT_ADDITIONAL_GIDS, "additional-gids", 'g', "GID", "an additional group",
     CLI_OPT_REPEAT},
    {OPT_CWD, "cwd", 0, "DIR", "the working directory (absolute)", 0},
    {OPT_CAP, "cap", 'c', "CAP", "add a capability", CLI_OPT_REPEAT},
    {OPT_NO_NEW_PRIVS, "no-new-privs", 0, NULL, "set no_new_privs", 0},
    {OPT_PRESERVE_FDS, "preserve-fds", 0, "N", "pass fds 3 to 3+N-1 to the process", 0},
    {OPT_IGNORE_PAUSED, "ignore-paused", 0, NULL, "exec into a paused container too", 0},
    {OPT_CGROUP, "cgroup", 0, "PATH",
     "join this sub-cgroup of the container's ([CONTROLLER:]PATH)", CLI_OPT_REPEAT},
    {OPT_APPARMOR, "apparmor", 0, "PROFILE", "the AppArmor profile to run under", 0},
    {OPT_PROCESS_LABEL, "process-label", 0, "LABEL", "the SELinux label to run under", 0},
    {0},
};

/* Repeatable options collect into argv-style lists (they point into argv). */
static void push(char ***list, int *n, const char *item)
{
  *list = realloc(*list, sizeof(char *) * (*n + 1));
  (*list)[(*n)++] = (char *)item;
}

static int handle_option(int c, const char *arg, struct exec_options *o)
{
  switch (c) {
  case OPT_PROCESS: o->process_file = arg; break;
  case OPT_DETACH: o->detach = true; break;
  case OPT_TTY:
    if (arg && strcmp(arg, "true") != 0 && strcmp(arg, "false") != 0)
      return cli_usage("--tty: \"%s\" is not true or false", arg), -1;
    o->tty = !arg || strcmp(arg, "true") == 0;
    break;
  case OPT_ENV: push(&o->env, &o->n_env, arg); break;
  case OPT_USER: o->user = arg; break;
  case OPT_ADDITIONAL_GIDS: push(&o->additional_gids, &o->n_additional_gids, arg); break;
  case OPT_PID_FILE: o->pid_file = arg; break;
  case OPT_CONSOLE_SOCKET: o->console_socket = arg; break;
  case OPT_CWD: o->cwd = arg; break;
  case OPT_CAP: push(&o->caps, &o->n_caps, arg); break;
  case OPT_NO_NEW_PRIVS: o->no_new_privs = true; break;
  case OPT_PRESERVE_FDS: return cli_parse_fd_count(arg, &o->preserve_fds);
  case OPT_IGNORE_PAUSED: o->ignore_paused = true; break;
  case OPT_CGROUP: push(&o->cgroups, &o->n_cgroups, arg); break;
  case OPT_APPARMOR: o->apparmor = arg; break;
  case OPT_PROCESS_LABEL: o->process_label = arg; break;
  }
  return 0;
}

static int cmd_exec(struct cli *cli, int argc, char **argv)
{
  struct exec_options o = {0};
  struct cli_parser p;
  hrun_error err;
  int c, code, r = 1;

  cli_parse_begin(&p, &cli_cmd_exec, argc, argv);
  while ((c = cli_next(&p)) > 0)
    if (handle_option(c, p.optarg, &o) < 0)
      goto out;
  if (c < 0) {
    r = cli_parse_status(c);
    goto out;
  }
  o.id = p.args[0];
  o.args = p.args + 1;
  o.n_args = p.n_args - 1;
  if (container_exec(&cli->ctx, &o, &code, &err) < 0) {
    cli_fail(&err);
    r = 255; /* runc's status for a failed exec, which callers know */
  } else {
    r = code;
  }
out:
  free(o.env);
  free(o.caps);
  free(o.additional_gids);
  free(o.cgroups);
  return r;
}

const struct cli_command cli_cmd_exec = {
    .name = "exec", .args = "[options] ID [COMMAND [ARG...]]",
    .summary = "Run a new process in a running container, in its namespaces and cgroup; "
               "wait for it and exit with its status (255 when it could not run).",
    .opts = exec_opts, .fn = cmd_exec, .min_args = 1, .max_args = -1,
    .enters_container = true, .options_first = true,
};
