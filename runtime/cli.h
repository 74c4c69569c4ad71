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
int cmd_exec(struct cli *cli, int argc, char **argv);
int cmd_ps(struct cli *cli, int argc, char **argv);
int cmd_pause(struct cli *cli, int argc, char **argv);
int cmd_resume(struct cli *cli, int argc, char **argv);
int cmd_update(struct cli *cli, int argc, char **argv);
int cmd_features(struct cli *cli, int argc, char **argv);
int cmd_spec(struct cli *cli, int argc, char **argv);

/* A command that takes one container id and no options (start, pause,
 * resume): runs op on it. */
typedef int (*id_op)(const struct hrun_context *ctx, const char *id, hrun_error *err);
int cli_run_on_id(struct cli *cli, int argc, char **argv, const char *usage, id_op op);

/* Reports a failure the way every command does and returns exit status 1. */
int cli_fail(const hrun_error *err);
/* "hrun: <cmd>: <message>" for bad usage; returns exit status 1. */
int cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Checks the number of positional arguments left after the options. */
int cli_expect_args(int argc, int min, int max, const char *usage);
/* --preserve-fds N: 0 and the count, or -1 after printing the usage error. */
int cli_parse_fd_count(const char *arg, int *out);
/* Resets getopt for a command's own options. */
void cli_reset_getopt(void);

/* The `state` JSON of one container (runc's fields). */
void cli_write_state(json_writer *w, const struct container_info *info);

void print_version(void);

#endif
