#include "runtime/cli.h"

static int cmd_start(struct cli *cli, int argc, char **argv)
{
  return cli_run_on_id(cli, &cli_cmd_start, argc, argv, container_start);
}

const struct cli_command cli_cmd_start = {
    .name = "start", .args = "ID",
    .summary = "Start the process of a created container; returns once it has been "
               "executed and the poststart hooks ran.",
    .fn = cmd_start, .min_args = 1, .max_args = 1,
};
