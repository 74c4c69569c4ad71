#include <getopt.h>

#include "runtime/cli.h"
#include "runtime/create_opts.h"

enum { RUN_OPT_DETACH = 'd', RUN_OPT_KEEP = 400 };

int cmd_run(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {
      CREATE_LONG_OPTIONS,
      {"detach", no_argument, NULL, RUN_OPT_DETACH},
      {"keep", no_argument, NULL, RUN_OPT_KEEP},
      {0},
  };
  struct create_options co = {0};
  bool detach = false, keep = false;
  hrun_error err;
  int c, r, code;

  while ((c = getopt_long(argc, argv, "b:d", opts, NULL)) != -1) {
    if (c == RUN_OPT_DETACH) {
      detach = true;
      continue;
    }
    if (c == RUN_OPT_KEEP) {
      keep = true;
      continue;
    }
    r = create_opt_handle(c, optarg, &co);
    if (r <= 0)
      return 1;
  }
  if (cli_expect_args(argc - optind, 1, 1, "run [--bundle DIR] [-d] [--keep] ID"))
    return 1;
  co.id = argv[optind];
  if (container_run(&cli->ctx, &co, detach, keep, &code, &err) < 0)
    return cli_fail(&err);
  return code;
}
