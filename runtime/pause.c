#include "runtime/cli.h"

static int cmd_pause(struct cli *cli, int argc, char **argv)
{
  return cli_run_on_id(cli, &cli_cmd_pause, argc, argv, container_pause);
}

const struct cli_command cli_cmd_pause = {
    .name = "pause", .args = "ID",
    .summary = "Freeze every process of a container (the freezer cgroup).",
    .fn = cmd_pause, .min_args = 1, .max_args = 1,
};
