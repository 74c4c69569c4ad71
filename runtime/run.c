#include "runtime/cli.h"
#include "runtime/create_opts.h"

enum { RUN_OPT_DETACH = 'd', RUN_OPT_KEEP = 400 };

static const struct cli_opt run_opts[] = {
    CREATE_OPTIONS,
    {RUN_OPT_DETACH, "detach", 'd', NULL, "return once the process runs (no wait, no delete)", 0},
    {RUN_OPT_KEEP, "keep", 0, NULL, "do not delete the container when it exits", 0},
    {0},
};

static int cmd_run(struct cli *cli, int argc, char **argv)
{
  struct create_options co = {0};
  bool detach = false, keep = false;
  struct cli_parser p;
  hrun_error err;
  int c, code;

  cli_parse_begin(&p, &cli_cmd_run, argc, argv);
  while ((c = cli_next(&p)) > 0) {
    if (c == RUN_OPT_DETACH)
      detach = true;
    else if (c == RUN_OPT_KEEP)
      keep = true;
    else if (create_opt_handle(c, p.optarg, &co) <= 0)
      return cli_exit_status(HRUN_ERR_INVALID_CONFIG);
  }
  if (c < 0)
    return cli_parse_status(c);
  co.id = p.args[0];
  if (container_run(&cli->ctx, &co, detach, keep, &code, &err) < 0)
    return cli_fail(&err);
  return code;
}

const struct cli_command cli_cmd_run = {
    .name = "run", .args = "[options] ID",
    .summary = "Create and start a container; without -d, wait for it, delete it and "
               "exit with its status.",
    .opts = run_opts, .fn = cmd_run, .min_args = 1, .max_args = 1, .enters_container = true,
};
