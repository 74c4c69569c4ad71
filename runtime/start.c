#include "runtime/cli.h"

int cmd_start(struct cli *cli, int argc, char **argv)
{
  return cli_run_on_id(cli, argc, argv, "start ID", container_start);
}
