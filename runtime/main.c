/* hrun [global options] <command> [command options] [arguments] */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "libcontainer/security/exe_seal.h"
#include "libcontainer/util/fsutil.h"
#include "libcontainer/util/log.h"
#include "runtime/cli.h"
#include "runtime/docgen.h"

const struct cli_command *const cli_commands[] = {
    &cli_cmd_create, &cli_cmd_start, &cli_cmd_run, &cli_cmd_state, &cli_cmd_kill,
    &cli_cmd_delete, &cli_cmd_list, &cli_cmd_exec, &cli_cmd_ps, &cli_cmd_pause,
    &cli_cmd_resume, &cli_cmd_update, &cli_cmd_events, &cli_cmd_features, &cli_cmd_spec,
    &cli_cmd_hooks, &cli_cmd_help,
    NULL,
};

enum { OPT_ROOT = 256, OPT_LOG, OPT_LOG_FORMAT, OPT_LOG_LEVEL, OPT_DEBUG, OPT_SYSTEMD_CGROUP,
       OPT_CGROUP_MANAGER, OPT_ROOTLESS, OPT_CRIU, OPT_GEN_DOC };

const struct cli_opt cli_global_opts[] = {
    {OPT_ROOT, "root", 0, "DIR", "state directory (default " HRUN_DEFAULT_ROOT ")", 0},
    {OPT_LOG, "log", 0, "FILE", "also write errors (and debug lines) to FILE", 0},
    {OPT_LOG_FORMAT, "log-format", 0, "FORMAT", "text or json", 0},
    {OPT_LOG_LEVEL, "log-level", 0, "LEVEL", "error, warning, info or debug (crun)", 0},
    {OPT_DEBUG, "debug", 0, NULL, "log what each command does (--log-level debug)", 0},
    {OPT_CGROUP_MANAGER, "cgroup-manager", 0, "MANAGER",
     "cgroupfs (default), systemd or disabled (crun)", 0},
    {OPT_SYSTEMD_CGROUP, "systemd-cgroup", 0, NULL, "--cgroup-manager systemd (runc)", 0},
    {OPT_ROOTLESS, "rootless", 0, "VALUE", "accepted: true, false or auto",
     CLI_OPT_OPTIONAL},
    {OPT_CRIU, "criu", 0, "PATH", "accepted and ignored (no checkpoint/restore)", 0},
    {'v', "version", 'v', NULL, "print the version (also -V)", 0},
    {'h', "help", 'h', NULL, "print this help", 0},
    /* Internal: `make man` splices its output into the man pages and the
     * bash completion (tools/gendoc.sh). */
    {OPT_GEN_DOC, "gen-doc", 0, "KEY", "print a generated part of the documentation",
     CLI_OPT_HIDDEN},
    {0},
};

static void print_help(void)
{
  const struct cli_opt *o;
  size_t i;

  printf("usage: hrun [global options] <command> [options] [arguments]\n\n"
         "An OCI container runtime. `hrun <command> --help` (or `hrun help <command>`)\n"
         "describes a command.\n\ncommands:\n");
  for (i = 0; cli_commands[i]; i++)
    printf("  %-9s %s\n", cli_commands[i]->name, cli_commands[i]->summary);
  printf("\nglobal options:\n");
  for (o = cli_global_opts; o->name; o++)
    cli_print_option(o);
}

/* hrun help [COMMAND] */
static int cmd_help(struct cli *cli, int argc, char **argv)
{
  const struct cli_command *cmd;
  struct cli_parser p;
  char quoted[128];
  int c;

  (void)cli;
  cli_parse_begin(&p, &cli_cmd_help, argc, argv);
  if ((c = cli_next(&p)) != CLI_DONE)
    return cli_parse_status(c);
  if (p.n_args == 0) {
    print_help();
    return 0;
  }
  cmd = cli_find_command(p.args[0]);
  if (!cmd)
    return cli_usage("unknown command \"%s\" (see hrun --help)",
                     err_quote(p.args[0], quoted, sizeof(quoted)));
  cli_print_command_help(cmd);
  return 0;
}

const struct cli_command cli_cmd_help = {
    .name = "help", .args = "[COMMAND]", .summary = "Describe hrun, or one command.",
    .fn = cmd_help, .min_args = 0, .max_args = 1,
};

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
  const char *log_level;
  bool debug;
};

static int set_cgroup_manager(struct cli *cli, const char *name)
{
  if (strcmp(name, "cgroupfs") == 0)
    cli->ctx.cgroup_manager = CGROUP_MANAGER_CGROUPFS;
  else if (strcmp(name, "systemd") == 0)
    cli->ctx.cgroup_manager = CGROUP_MANAGER_SYSTEMD;
  else if (strcmp(name, "disabled") == 0)
    cli->ctx.cgroup_manager = CGROUP_MANAGER_DISABLED;
  else
    return cli_usage("--cgroup-manager: unknown manager \"%s\" (cgroupfs, systemd or "
                     "disabled)", name);
  return 0;
}

/* runc spells it `--rootless VALUE`, crun `--rootless[=VALUE]`: a value
 * that is not the command word is taken as runc's. */
static void skip_rootless_value(int argc, char **argv)
{
  if (!optarg && optind < argc &&
      (strcmp(argv[optind], "true") == 0 || strcmp(argv[optind], "false") == 0 ||
       strcmp(argv[optind], "auto") == 0))
    optind++;
}

static int handle_global(int c, struct cli *cli, struct globals *g, int argc, char **argv)
{
  char quoted[128];

  switch (c) {
  case OPT_ROOT: cli->ctx.root = optarg; return 0;
  case OPT_LOG: g->log_file = optarg; return 0;
  case OPT_LOG_FORMAT: g->log_format = optarg; return 0;
  case OPT_LOG_LEVEL: g->log_level = optarg; return 0;
  case OPT_DEBUG: g->debug = true; return 0;
  case OPT_SYSTEMD_CGROUP: cli->ctx.cgroup_manager = CGROUP_MANAGER_SYSTEMD; return 0;
  case OPT_CGROUP_MANAGER: return set_cgroup_manager(cli, optarg) ? -1 : 0;
  case OPT_ROOTLESS: skip_rootless_value(argc, argv); return 0;
  case OPT_CRIU: return 0; /* accepted for compatibility; nothing to do */
  case 'v': print_version(); return 1;
  case 'h': print_help(); return 1;
  case OPT_GEN_DOC: return cli_gen_doc(optarg) ? -1 : 1;
  }
  if (c == ':')
    cli_usage("global option %s needs an argument", argv[optind - 1]);
  else
    cli_usage("unknown global option %s (see hrun --help)",
              err_quote(argv[optind - 1], quoted, sizeof(quoted)));
  return -1;
}

/* Returns the index of the command word, or -1 when main must exit with
 * *status (help, version, usage errors). */
static int parse_globals(int argc, char **argv, struct cli *cli, struct globals *g,
                         int *status)
{
  struct option opts[sizeof(cli_global_opts) / sizeof(cli_global_opts[0])];
  const struct cli_opt *o;
  size_t n = 0;
  int c, r;

  for (o = cli_global_opts; o->name; o++)
    opts[n++] = (struct option){o->name,
                                !o->arg ? no_argument
                                : o->flags & CLI_OPT_OPTIONAL ? optional_argument
                                                              : required_argument,
                                NULL, o->id};
  opts[n] = (struct option){0};
  opterr = 0;
  *status = 0;
  while ((c = getopt_long(argc, argv, "+:vVh", opts, NULL)) != -1) {
    if (c == 'V' || (c == '?' && optopt == '?')) /* crun's -V and -? */
      c = c == 'V' ? 'v' : 'h';
    r = handle_global(c, cli, g, argc, argv);
    if (r != 0) {
      *status = r < 0 ? cli_exit_status(HRUN_ERR_INVALID_CONFIG) : 0;
      return -1;
    }
  }
  if (optind >= argc) {
    print_help();
    *status = cli_exit_status(HRUN_ERR_INVALID_CONFIG);
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

/* What hrun itself may hold open beside the preserved range (the log, the
 * state dir, sockets, pipes): 3 + N + this must fit the open file limit. */
#define HRUN_OWN_FDS 64

/* fds 3..3+n-1 go to the container as they are: a number the caller left
 * unused gets /dev/null now, so that no fd hrun opens later (the log, the
 * state dir) can land in that range and be passed on. A range beyond the
 * open file limit is refused first: otherwise the first open after it
 * fails with EMFILE, in an error that names that open instead. */
static int hold_preserved_fds(int argc, char **argv, hrun_error *err)
{
  int fd, n = preserved_fd_count(argc, argv);
  struct rlimit rl;

  if (n > 0 && getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
      (rlim_t)3 + n + HRUN_OWN_FDS > rl.rlim_cur)
    return err_set_kind(err, HRUN_ERR_INVALID_CONFIG, 0,
                        "--preserve-fds %d: fds 3 to %d and the %d hrun needs for itself do "
                        "not fit the open file limit (%llu)",
                        n, n + 2, HRUN_OWN_FDS, (unsigned long long)rl.rlim_cur);
  for (fd = 3; fd < 3 + n; fd++) {
    if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
      continue;
    int null = open("/dev/null", O_RDONLY);
    if (null >= 0 && null != fd) {
      dup2(null, fd);
      close(null);
    }
  }
  return 0;
}

int main(int argc, char **argv)
{
  struct cli cli = {.ctx = {.root = HRUN_DEFAULT_ROOT}};
  const struct cli_command *cmd;
  struct globals g = {0};
  char quoted[128];
  hrun_error err;
  int status, cmd_index;

  /* A caller that ignores SIGCHLD (some shims and shells do) would have our
   * children reaped by the kernel, and every wait for a hook, the init or
   * the container's process fail with ECHILD. */
  signal(SIGCHLD, SIG_DFL);
  cmd_index = parse_globals(argc, argv, &cli, &g, &status);
  if (cmd_index < 0)
    return status;
  cli.command = argv[cmd_index];
  log_set_command(cli.command);
  cmd = cli_find_command(cli.command);
  /* Before anything is opened or marked close-on-exec: the sealed re-exec
   * must keep the caller's fds, and the preserved range is held first. */
  if (cmd && cmd->enters_container) {
    if (hold_preserved_fds(argc - cmd_index, argv + cmd_index, &err) < 0 ||
        seal_self(argv, &err) < 0)
      return cli_fail(&err);
  }
  /* Nothing the caller left open (containerd's shim passes a socket at fd
   * 3) may reach a hook or the container; --preserve-fds re-opens its range
   * in the container's process only. */
  if (mark_fds_cloexec_from(3, &err) < 0)
    return cli_fail(&err);
  if (log_init(g.log_file, g.log_format, g.debug, g.log_level, &err) < 0)
    return cli_fail(&err);
  if (!cmd) {
    log_set_command("");
    return cli_usage("unknown command \"%s\" (see hrun --help)",
                     err_quote(cli.command, quoted, sizeof(quoted)));
  }
  cli_reset_getopt();
  return cmd->fn(&cli, argc - cmd_index, argv + cmd_index);
}
