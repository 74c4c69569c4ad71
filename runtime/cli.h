/* The command line: global options, then one command per file. */
#ifndef HRUN_CLI_H
#define HRUN_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "libcontainer/container/container.h"
#include "libcontainer/util/json.h"
#include "runtime/options.h"

struct cli {
  struct hrun_context ctx;
  const char *command;
};

/* One table each, in the file of the command. */
extern const struct cli_command cli_cmd_create, cli_cmd_start, cli_cmd_run, cli_cmd_state,
    cli_cmd_kill, cli_cmd_delete, cli_cmd_list, cli_cmd_exec, cli_cmd_ps, cli_cmd_pause,
    cli_cmd_resume, cli_cmd_update, cli_cmd_events, cli_cmd_features, cli_cmd_spec,
    cli_cmd_hooks, cli_cmd_help;

/* A command that takes one container id and no options (start, pause,
 * resume): runs op on it. */
typedef int (*id_op)(const struct hrun_context *ctx, const char *id, hrun_error *err);
int cli_run_on_id(struct cli *cli, const struct cli_command *cmd, int argc, char **argv,
                  id_op op);

/* -r/--regex (crun): fn on every container whose id the POSIX extended
 * regular expression matches (unanchored); the exit status is 1 when any
 * fn failed (it reports its own error) or the pattern is invalid. */
int cli_for_each_match(struct cli *cli, const char *pattern,
                       int (*fn)(struct cli *cli, const char *id, void *data), void *data);

/* The exit status of a command that failed with an error of that kind
 * (runtime/exit_codes.c). */
int cli_exit_status(enum hrun_error_kind kind);
/* Reports a failure the way every command does and returns the exit status
 * of its kind. */
int cli_fail(const hrun_error *err);
/* cli_fail of an error of that kind made from the text. */
int cli_failf(enum hrun_error_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* "hrun: <cmd>: <message>" for bad usage (kind HRUN_ERR_INVALID_CONFIG);
 * returns its exit status. */
int cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* --preserve-fds N: 0 and the count, or -1 after printing the usage error. */
int cli_parse_fd_count(const char *arg, int *out);
/* Resets getopt for a command's own options. */
void cli_reset_getopt(void);

/* The `state` JSON of one container (runc's fields). */
void cli_write_state(json_writer *w, const struct container_info *info);

void print_version(void);

#endif
