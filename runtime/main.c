/* hrun [global options] <command> [command options] [arguments] */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libcontainer/exe_seal.h"
#include "libcontainer/fsutil.h"
#include "libcontainer/log.h"
#include "runtime/cli.h"

static const struct {
  const char *name;
  command_fn fn;
  const char *summary;
  bool enters_container; /* its clones run inside the container */
} commands[] = {
    {"create", cmd_create, "create a container from a bundle", true},
    {"start", cmd_start, "start the process of a created container", false},
    {"run", cmd_run, "create and start a container", true},
    {"state", cmd_state, "print the state of a container as JSON", false},
    {"kill", cmd_kill, "send a signal to a container's init process", false},
    {"delete", cmd_delete, "delete a container", false},
    {"list", cmd_list, "list containers", false},
    {"exec", cmd_exec, "run a new process in a running container", true},
    {"ps", cmd_ps, "list the processes of a container", false},
    {"pause", cmd_pause, "freeze every process of a container", false},
    {"resume", cmd_resume, "thaw a paused container", false},
    {"update", cmd_update, "change the resource limits of a container", false},
    {"features", cmd_features, "print what this runtime supports, as JSON", false},
    {"spec", cmd_spec, "write a default config.json", false},
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

/* Processes that enter a container are clones of this one: run them from
 * an image the container cannot write (CVE-2019-5736, see exe_seal.h). */
static int seal_self(char **argv, hrun_error *err)
{
#ifdef HRUN_TEST_NO_EXE_SEAL
  (void)argv, (void)err;
  return 0; /* test builds only: shows that the CVE tests catch it */
#else
  if (exe_is_sealed())
    return 0;
  return exe_reexec_sealed(argv, err);
#endif
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

/* The largest --preserve-fds on the line, plus LISTEN_FDS meant for us. */
static int preserved_fd_count(int argc, char **argv)
{
  const char *listen = getenv("LISTEN_FDS"), *listen_pid = getenv("LISTEN_PID");
  int i, n = 0, v;

  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--preserve-fds") == 0 && i + 1 < argc)
      v = atoi(argv[++i]);
    else if (strncmp(argv[i], "--preserve-fds=", 15) == 0)
      v = atoi(argv[i] + 15);
    else
      continue;
    if (v > n)
      n = v;
  }
  if (listen && listen_pid && atoi(listen_pid) == getpid() && atoi(listen) > 0)
    n += atoi(listen);
  return n > 1 << 20 ? 1 << 20 : n;
}

/* fds 3..3+n-1 go to the container as they are: a number the caller left
 * unused gets /dev/null now, so that no fd hrun opens later (the log, the
 * state dir) can land in that range and be passed on. */
static void hold_preserved_fds(int argc, char **argv)
{
  int fd, n = preserved_fd_count(argc, argv);

  for (fd = 3; fd < 3 + n; fd++) {
    if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
      continue;
    int null = open("/dev/null", O_RDONLY);
    if (null >= 0 && null != fd) {
      dup2(null, fd);
      close(null);
    }
  }
}

static int find_command(const char *name)
{
  size_t i;

  for (i = 0; i < N_COMMANDS; i++)
    if (strcmp(commands[i].name, name) == 0)
      return (int)i;
  return -1;
}

int main(int argc, char **argv)
{
  struct cli cli = {.ctx = {.root = HRUN_DEFAULT_ROOT}};
  struct globals g = {0};
  hrun_error err;
  int status, cmd_index, cmd;

  cmd_index = parse_globals(argc, argv, &cli, &g, &status);
  if (cmd_index < 0)
    return status;
  cli.command = argv[cmd_index];
  log_set_command(cli.command);
  cmd = find_command(cli.command);
  /* Before anything is opened or marked close-on-exec: the sealed re-exec
   * must keep the caller's fds, and the preserved range is held first. */
  if (cmd >= 0 && commands[cmd].enters_container) {
    hold_preserved_fds(argc - cmd_index, argv + cmd_index);
    if (seal_self(argv, &err) < 0)
      return cli_fail(&err);
  }
  /* Nothing the caller left open (containerd's shim passes a socket at fd
   * 3) may reach a hook or the container; --preserve-fds re-opens its range
   * in the container's process only. */
  mark_fds_cloexec_from(3);
  if (log_init(g.log_file, g.log_format, g.debug, &err) < 0)
    return cli_fail(&err);
  if (cmd < 0) {
    log_set_command("");
    return cli_usage("unknown command \"%s\" (see hrun --help)", cli.command);
  }
  cli_reset_getopt();
  return commands[cmd].fn(&cli, argc - cmd_index, argv + cmd_index);
}
