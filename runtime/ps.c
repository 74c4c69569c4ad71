/* ps [--format table|json] ID [-- ps options]: json is the host pids (what
 * containerd reads); table is `ps` output (default -ef) cut to the
 * container's processes, as runc prints it. A stopped container has none:
 * the header alone (or null), and success, as with runc. */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libcontainer/util/fsutil.h"
#include "libcontainer/state/process.h"
#include "runtime/cli.h"

extern char **environ;

static void print_json(const pid_t *pids, size_t n)
{
  json_writer *w;
  size_t i;

  /* runc prints its empty (nil) list as null; its callers decode both. */
  if (n == 0) {
    puts("null");
    return;
  }
  w = json_writer_new(false);
  jw_array_begin(w);
  for (i = 0; i < n; i++)
    jw_int(w, pids[i]);
  jw_array_end(w);
  puts(jw_output(w, NULL));
  json_writer_free(w);
}

static bool has_pid(const pid_t *pids, size_t n, long pid)
{
  size_t i;

  for (i = 0; i < n; i++)
    if (pids[i] == pid)
      return true;
  return false;
}

/* The 0-based column titled PID in ps's header, or -1. */
static int pid_column(const char *header)
{
  char *copy = strdup(header), *tok, *save = NULL;
  int col = 0, found = -1;

  for (tok = strtok_r(copy, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save), col++)
    if (strcmp(tok, "PID") == 0) {
      found = col;
      break;
    }
  free(copy);
  return found;
}

static long column_value(const char *line, int col)
{
  char *copy = strdup(line), *tok, *save = NULL;
  long v = -1;
  int i = 0;

  for (tok = strtok_r(copy, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save), i++)
    if (i == col) {
      v = strtol(tok, NULL, 10);
      break;
    }
  free(copy);
  return v;
}

static int filter_ps(FILE *in, const pid_t *pids, size_t n)
{
  hrun_error err;
  char *line = NULL;
  size_t cap = 0;
  int col = -1;

  if (getline(&line, &cap, in) > 0) {
    fputs(line, stdout);
    col = pid_column(line);
  }
  while (col >= 0 && getline(&line, &cap, in) > 0)
    if (has_pid(pids, n, column_value(line, col)))
      fputs(line, stdout);
  free(line);
  if (stream_check(in, "the output of ps", &err) < 0)
    return cli_fail(&err);
  return col >= 0 ? 0 : cli_usage("ps: no PID column in the output of ps");
}

static int print_table(const pid_t *pids, size_t n, char **ps_args, int n_args)
{
  char *argv[64] = {"ps", "-ef", NULL};
  posix_spawn_file_actions_t fa;
  int p[2], i, r;
  hrun_error err;
  pid_t child;
  FILE *in;

  if (n_args > 0 && strcmp(ps_args[0], "--") == 0)
    ps_args++, n_args--;
  for (i = 0; i < n_args && i < 62; i++)
    argv[i + 1] = ps_args[i];
  if (n_args > 0)
    argv[i + 1] = NULL;
  if (pipe2(p, O_CLOEXEC) < 0)
    return cli_failf(HRUN_ERR_OTHER, "ps: pipe: %s", strerror(errno));
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, p[1], STDOUT_FILENO);
  r = posix_spawnp(&child, "ps", &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  close(p[1]);
  if (r != 0) {
    close(p[0]);
    return cli_failf(HRUN_ERR_OTHER, "ps: cannot run ps: %s", strerror(r));
  }
  in = fdopen(p[0], "r");
  r = filter_ps(in, pids, n);
  fclose(in);
  if (process_reap(child, NULL, &err) < 0)
    return cli_fail(&err);
  return r;
}

static const struct cli_opt ps_opts[] = {
    {'f', "format", 'f', "FORMAT", "table (ps -ef, or the ps options given) or json (pids)", 0},
    {0},
};

static int cmd_ps(struct cli *cli, int argc, char **argv)
{
  const char *format = "table";
  struct cli_parser p;
  hrun_error err;
  pid_t *pids;
  size_t n;
  int c, r;

  cli_parse_begin(&p, &cli_cmd_ps, argc, argv);
  while ((c = cli_next(&p)) > 0)
    format = p.optarg;
  if (c < 0)
    return cli_parse_status(c);
  if (strcmp(format, "table") != 0 && strcmp(format, "json") != 0)
    return cli_usage("--format: unknown format \"%s\" (table or json)", format);
  if (container_pids(&cli->ctx, p.args[0], &pids, &n, &err) < 0)
    return cli_fail(&err);
  if (strcmp(format, "json") == 0) {
    print_json(pids, n);
    r = 0;
  } else {
    r = print_table(pids, n, p.args + 1, p.n_args - 1);
  }
  free(pids);
  return r;
}

const struct cli_command cli_cmd_ps = {
    .name = "ps", .args = "[options] ID [PS_OPTION...]",
    .summary = "List the processes of a container.",
    .opts = ps_opts, .fn = cmd_ps, .min_args = 1, .max_args = -1, .options_first = true,
};
