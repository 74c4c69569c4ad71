#include "runtime/cli.h"

enum { DELETE_OPT_FORCE = 'f', DELETE_OPT_REGEX = 'r' };

static const struct cli_opt delete_opts[] = {
    {DELETE_OPT_FORCE, "force", 'f', NULL,
     "kill a container that is not stopped; an id that does not exist is no error", 0},
    {DELETE_OPT_REGEX, "regex", 'r', NULL,
     "ID is a regular expression (POSIX ERE): every container it matches (crun)", 0},
    {0},
};

static int delete_one(struct cli *cli, const char *id, void *data)
{
  const bool *force = data;
  hrun_error err;

  if (container_delete(&cli->ctx, id, *force, &err) < 0)
    return cli_fail(&err);
  return 0;
}

static int cmd_delete(struct cli *cli, int argc, char **argv)
{
  bool force = false, regex = false;
  struct cli_parser p;
  int c;

  cli_parse_begin(&p, &cli_cmd_delete, argc, argv);
  while ((c = cli_next(&p)) > 0) {
    if (c == DELETE_OPT_FORCE)
      force = true;
    else
      regex = true;
  }
  if (c < 0)
    return cli_parse_status(c);
  if (regex)
    return cli_for_each_match(cli, p.args[0], delete_one, &force);
  return delete_one(cli, p.args[0], &force);
}

const struct cli_command cli_cmd_delete = {
    .name = "delete", .args = "[options] ID",
    .summary = "Delete a stopped container: its processes, cgroup and state; poststop "
               "hooks run.",
    .opts = delete_opts, .fn = cmd_delete, .min_args = 1, .max_args = 1,
};
