#include <getopt.h>
#include <signal.h>

#include "libcontainer/signals.h"
#include "runtime/cli.h"

int cmd_kill(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {{"all", no_argument, NULL, 'a'}, {0}};
  bool all = false;
  hrun_error err;
  int c, sig = SIGTERM;

  while ((c = getopt_long(argc, argv, "a", opts, NULL)) != -1) {
    if (c != 'a')
      return 1;
    all = true;
  }
  if (cli_expect_args(argc - optind, 1, 2, "kill [--all] ID [SIGNAL]"))
    return 1;
  if (argc - optind == 2 && (sig = signal_parse(argv[optind + 1], &err)) < 0)
    return cli_fail(&err);
  if (container_kill(&cli->ctx, argv[optind], sig, all, &err) < 0)
    return cli_fail(&err);
  return 0;
}
