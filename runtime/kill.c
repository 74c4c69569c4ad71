#include <signal.h>

#include "libcontainer/util/signals.h"
#include "runtime/cli.h"

enum { KILL_OPT_ALL = 'a', KILL_OPT_REGEX = 'r' };

static const struct cli_opt kill_opts[] = {
    {KILL_OPT_ALL, "all", 'a', NULL, "signal every process of the container's cgroup", 0},
    {KILL_OPT_REGEX, "regex", 'r', NULL,
     "ID is a regular expression (POSIX ERE): every container it matches (crun)", 0},
    {0},
};

struct kill_call {
  int sig;
  bool all;
};

static int kill_one(struct cli *cli, const char *id, void *data)
{
  const struct kill_call *k = data;
  hrun_error err;

  if (container_kill(&cli->ctx, id, k->sig, k->all, &err) < 0)
    return cli_fail(&err);
  return 0;
}

static int cmd_kill(struct cli *cli, int argc, char **argv)
{
  struct kill_call k = {.sig = SIGTERM};
  bool regex = false;
  struct cli_parser p;
  hrun_error err;
  int c;

  cli_parse_begin(&p, &cli_cmd_kill, argc, argv);
  while ((c = cli_next(&p)) > 0) {
    if (c == KILL_OPT_ALL)
      k.all = true;
    else
      regex = true;
  }
  if (c < 0)
    return cli_parse_status(c);
  if (p.n_args == 2 && (k.sig = signal_parse(p.args[1], &err)) < 0)
    return cli_fail(&err);
  if (regex)
    return cli_for_each_match(cli, p.args[0], kill_one, &k);
  return kill_one(cli, p.args[0], &k);
}

const struct cli_command cli_cmd_kill = {
    .name = "kill", .args = "[options] ID [SIGNAL]",
    .summary = "Send a signal (default SIGTERM; a name or a number, 0 to check that it "
               "lives) to a container's init.",
    .opts = kill_opts, .fn = cmd_kill, .min_args = 1, .max_args = 2,
};
