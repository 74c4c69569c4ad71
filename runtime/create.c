#include "runtime/cli.h"
#include "runtime/create_opts.h"

static const struct cli_opt create_opts[] = {CREATE_OPTIONS, {0}};

static int cmd_create(struct cli *cli, int argc, char **argv)
{
  struct create_options co = {0};
  struct cli_parser p;
  hrun_error err;
  int c;

  cli_parse_begin(&p, &cli_cmd_create, argc, argv);
  while ((c = cli_next(&p)) > 0)
    if (create_opt_handle(c, p.optarg, &co) <= 0)
      return cli_exit_status(HRUN_ERR_INVALID_CONFIG);
  if (c < 0)
    return cli_parse_status(c);
  co.id = p.args[0];
  if (container_create(&cli->ctx, &co, NULL, &err) < 0)
    return cli_fail(&err);
  return 0;
}

const struct cli_command cli_cmd_create = {
    .name = "create", .args = "[options] ID",
    .summary = "Create a container from a bundle; its process waits for `start`.",
    .opts = create_opts, .fn = cmd_create, .min_args = 1, .max_args = 1,
    .enters_container = true,
};
