#include <getopt.h>

#include "runtime/cli.h"
#include "runtime/create_opts.h"

int cmd_create(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {CREATE_LONG_OPTIONS, {0}};
  struct create_options co = {0};
  hrun_error err;
  int c, r;

  while ((c = getopt_long(argc, argv, "b:", opts, NULL)) != -1) {
    r = create_opt_handle(c, optarg, &co);
    if (r <= 0)
      return 1;
  }
  if (cli_expect_args(argc - optind, 1, 1, "create [--bundle DIR] [--pid-file FILE] ID"))
    return 1;
  co.id = argv[optind];
  if (container_create(&cli->ctx, &co, NULL, &err) < 0)
    return cli_fail(&err);
  return 0;
}
