/* hrun features: the runtime-spec features document, pretty-printed. */
#include <getopt.h>
#include <stdio.h>

#include "libcontainer/features.h"
#include "runtime/cli.h"
#include "runtime/version.h"

int cmd_features(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {{0}};
  json_writer *w;

  (void)cli;
  if (getopt_long(argc, argv, "", opts, NULL) != -1)
    return 1;
  if (cli_expect_args(argc - optind, 0, 0, "features"))
    return 1;
  w = json_writer_new(true);
  features_write(w, hrun_version_string());
  fputs(jw_output(w, NULL), stdout);
  fputc('\n', stdout);
  json_writer_free(w);
  return 0;
}
