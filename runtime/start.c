#include <getopt.h>

#include "runtime/cli.h"

int cmd_start(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {{0}};
  hrun_error err;

  if (getopt_long(argc, argv, "", opts, NULL) != -1)
    return 1;
  if (cli_expect_args(argc - optind, 1, 1, "start ID"))
    return 1;
  if (container_start(&cli->ctx, argv[optind], &err) < 0)
    return cli_fail(&err);
  return 0;
}
