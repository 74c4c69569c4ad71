/* hrun features: the runtime-spec features document, pretty-printed. */
#include <stdio.h>

#include "libcontainer/container/features.h"
#include "runtime/cli.h"
#include "runtime/version.h"

static int cmd_features(struct cli *cli, int argc, char **argv)
{
  struct cli_parser p;
  json_writer *w;
  int c;

  (void)cli;
  cli_parse_begin(&p, &cli_cmd_features, argc, argv);
  if ((c = cli_next(&p)) != CLI_DONE)
    return cli_parse_status(c);
  w = json_writer_new(true);
  features_write(w, hrun_version_string());
  fputs(jw_output(w, NULL), stdout);
  fputc('\n', stdout);
  json_writer_free(w);
  return 0;
}

const struct cli_command cli_cmd_features = {
    .name = "features", .args = "",
    .summary = "Print what this runtime supports, as the runtime-spec features JSON.",
    .fn = cmd_features, .min_args = 0, .max_args = 0,
};
