#include <stdio.h>

#include "runtime/cli.h"

static int cmd_state(struct cli *cli, int argc, char **argv)
{
  struct container_info info;
  struct cli_parser p;
  json_writer *w;
  hrun_error err;
  int c;

  cli_parse_begin(&p, &cli_cmd_state, argc, argv);
  if ((c = cli_next(&p)) != CLI_DONE)
    return cli_parse_status(c);
  if (container_info(&cli->ctx, p.args[0], &info, &err) < 0)
    return cli_fail(&err);
  w = json_writer_new(true);
  cli_write_state(w, &info);
  fputs(jw_output(w, NULL), stdout);
  fputc('\n', stdout);
  json_writer_free(w);
  container_info_free(&info);
  return 0;
}

const struct cli_command cli_cmd_state = {
    .name = "state", .args = "ID",
    .summary = "Print the state of a container as JSON (runc's fields).",
    .fn = cmd_state, .min_args = 1, .max_args = 1,
};
