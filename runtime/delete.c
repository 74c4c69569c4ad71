#include <getopt.h>

#include "runtime/cli.h"

int cmd_delete(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {{"force", no_argument, NULL, 'f'}, {0}};
  bool force = false;
  hrun_error err;
  int c;

  while ((c = getopt_long(argc, argv, "f", opts, NULL)) != -1) {
    if (c != 'f')
      return 1;
    force = true;
  }
  if (cli_expect_args(argc - optind, 1, 1, "delete [--force] ID"))
    return 1;
  if (container_delete(&cli->ctx, argv[optind], force, &err) < 0)
    return cli_fail(&err);
  return 0;
}
