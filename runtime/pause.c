#include "runtime/cli.h"

int cmd_pause(struct cli *cli, int argc, char **argv)
{
  return cli_run_on_id(cli, argc, argv, "pause ID", container_pause);
}
