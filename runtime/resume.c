#include "runtime/cli.h"

static int cmd_resume(struct cli *cli, int argc, char **argv)
{
  return cli_run_on_id(cli, &cli_cmd_resume, argc, argv, container_resume);
}

const struct cli_command cli_cmd_resume = {
    .name = "resume", .args = "ID",
    .summary = "Thaw a paused container.",
    .fn = cmd_resume, .min_args = 1, .max_args = 1,
};
