#include "runtime/cli.h"

int cmd_resume(struct cli *cli, int argc, char **argv)
{
  return cli_run_on_id(cli, argc, argv, "resume ID", container_resume);
}
