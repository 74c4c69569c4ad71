#include <getopt.h>
#include <stdio.h>

#include "runtime/cli.h"

int cmd_state(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {{0}};
  struct container_info info;
  json_writer *w;
  hrun_error err;

  if (getopt_long(argc, argv, "", opts, NULL) != -1)
    return 1;
  if (cli_expect_args(argc - optind, 1, 1, "state ID"))
    return 1;
  if (container_info(&cli->ctx, argv[optind], &info, &err) < 0)
    return cli_fail(&err);
  w = json_writer_new(true);
  cli_write_state(w, &info);
  fputs(jw_output(w, NULL), stdout);
  fputc('\n', stdout);
  json_writer_free(w);
  container_info_free(&info);
  return 0;
}
