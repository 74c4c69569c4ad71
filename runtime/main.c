/* hrun [global options] <command> [command options] [arguments] */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libcontainer/fsutil.h"
#include "libcontainer/log.h"
#include "runtime/cli.h"

static const struct {
  const char *name;
  command_fn fn;
  const char *summary;
} commands[] = {
    {"create", cmd_create, "create a container from a bundle"},
    {"start", cmd_start, "start the process of a created container"},
    {"run", cmd_run, "create and start a container"},
    {"state", cmd_state, "print the state of a container as JSON"},
    {"kill", cmd_kill, "send a signal to a container's init process"},
    {"delete", cmd_delete, "delete a container"},
    {"list", cmd_list, "list containers"},
    {"exec", cmd_exec, "run a new process in a running container"},
    {"ps", cmd_ps, "list the processes of a container"},
    {"pause", cmd_pause, "freeze every process of a container"},
    {"resume", cmd_resume, "thaw a paused container"},
    {"update", cmd_update, "change the resource limits of a container"},
    {"features", cmd_features, "print what this runtime supports, as JSON"},
    {"spec", cmd_spec, "write a default config.json"},
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void print_help(void)
{
  size_t i;

  printf("usage: hrun [global options] <command> [options] [arguments]\n\n"
         "An OCI container runtime.\n\ncommands:\n");
  for (i = 0; i < N_COMMANDS; i++)
    printf("  %-8s %s\n", commands[i].name, commands[i].summary);
  printf("\nglobal options:\n"
         "  --root DIR           state directory (default " HRUN_DEFAULT_ROOT ")\n"
         "  --log FILE           also write errors (and debug lines) to FILE\n"
         "  --log-format FORMAT  text or json\n"
         "  --debug              log debug lines\n"
         "  --systemd-cgroup     use systemd to manage cgroups\n"
         "  -v, --version        print the version\n"
         "  -h, --help           print this help\n");
}

struct globals {
  const char *log_file;
  const char *log_format;
  bool debug;
};

enum { OPT_ROOT = 256, OPT_LOG, OPT_LOG_FORMAT, OPT_DEBUG, OPT_SYSTEMD_CGROUP,
       OPT_ROOTLESS, OPT_CRIU };

/* Returns the index of the command word, or -1 when main must exit with
 * *status (help, version, usage errors). */
static int parse_globals(int argc, char **argv, struct cli *cli, struct globals *g,
                         int *status)
{
  static const struct option opts[] = {
      {"root", required_argument, NULL, OPT_ROOT},
      {"log", required_argument, NULL, OPT_LOG},
      {"log-format", required_argument, NULL, OPT_LOG_FORMAT},
      {"debug", no_argument, NULL, OPT_DEBUG},
      {"systemd-cgroup", no_argument, NULL, OPT_SYSTEMD_CGROUP},
      {"rootless", required_argument, NULL, OPT_ROOTLESS},
      {"criu", required_argument, NULL, OPT_CRIU},
      {"version", no_argument, NULL, 'v'},
      {"help", no_argument, NULL, 'h'},
      {0},
  };
  int c;

  *status = 0;
  while ((c = getopt_long(argc, argv, "+vh", opts, NULL)) != -1) {
    switch (c) {
    case OPT_ROOT:
      cli->ctx.root = optarg;
      break;
    case OPT_LOG:
      g->log_file = optarg;
      break;
    case OPT_LOG_FORMAT:
      g->log_format = optarg;
      break;
    case OPT_DEBUG:
      g->debug = true;
      break;
    case OPT_SYSTEMD_CGROUP:
      cli->ctx.systemd_cgroup = true;
      break;
    case OPT_ROOTLESS:
    case OPT_CRIU:
      break; /* accepted for compatibility; nothing to do */
    case 'v':
      print_version();
      return -1;
    case 'h':
      print_help();
      return -1;
    default:
      *status = 1;
      return -1;
    }
  }
  if (optind >= argc) {
    print_help();
    *status = 1;
    return -1;
  }
  return optind;
}

int main(int argc, char **argv)
{
  struct cli cli = {.ctx = {.root = HRUN_DEFAULT_ROOT}};
  struct globals g = {0};
  hrun_error err;
  int status, cmd_index;
  size_t i;

  /* Nothing the caller left open (containerd's shim passes a socket at fd
   * 3) may reach a hook or the container; --preserve-fds re-opens its range
   * in the container init only. */
  mark_fds_cloexec_from(3);
  cmd_index = parse_globals(argc, argv, &cli, &g, &status);
  if (cmd_index < 0)
    return status;
  cli.command = argv[cmd_index];
  log_set_command(cli.command);
  if (log_init(g.log_file, g.log_format, g.debug, &err) < 0)
    return cli_fail(&err);
  for (i = 0; i < N_COMMANDS; i++) {
    if (strcmp(commands[i].name, cli.command) != 0)
      continue;
    cli_reset_getopt();
    return commands[i].fn(&cli, argc - cmd_index, argv + cmd_index);
  }
  log_set_command("");
  return cli_usage("unknown command \"%s\" (see hrun --help)", cli.command);
}
