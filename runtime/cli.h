/* The command line: global options, then one command per file. */
#ifndef HRUN_CLI_H
#define HRUN_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "libcontainer/container.h"
#include "libcontainer/json.h"

struct cli {
  struct hrun_context ctx;
  const char *command;
};

typedef int (*command_fn)(struct cli *cli, int argc, char **argv);

int cmd_create(struct cli *cli, int argc, char **argv);
int cmd_start(struct cli *cli, int argc, char **argv);
int cmd_state(struct cli *cli, int argc, char **argv);
int cmd_kill(struct cli *cli, int argc, char **argv);
int cmd_delete(struct cli *cli, int argc, char **argv);
int cmd_run(struct cli *cli, int argc, char **argv);
int cmd_list(struct cli *cli, int argc, char **argv);

/* Reports a failure the way every command does and returns exit status 1. */
int cli_fail(const hrun_error *err);
/* "hrun: <cmd>: <message>" for bad usage; returns exit status 1. */
int cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Checks the number of positional arguments left after the options. */
int cli_expect_args(int argc, int min, int max, const char *usage);
/* Resets getopt for a command's own options. */
void cli_reset_getopt(void);

/* The `state` JSON of one container (runc's fields). */
void cli_write_state(json_writer *w, const struct container_info *info);

void print_version(void);

#endif
